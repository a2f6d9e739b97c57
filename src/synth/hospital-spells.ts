// The hospital encounters the synthetic population has (generate.ts decides how many and when): an
// A&E attendance, an emergency admission's diagnoses (a long-term condition getting worse, or an acute
// illness likely at the person's age, with frailty codes more often in older, iller people) and a
// planned admission or day case. Assumptions in docs/clinical/synthetic-population.md ("Hospital
// activity"). Pure.
import type { ConditionModel } from './catalogue.ts';
import { isoDateOf } from './dates.ts';
import type { SynthEncounter } from './generate.ts';
import { chance, cumulative, pickIndex, poisson, type Random, tilt, uniformInt } from './random.ts';

/** Length of stay in whole days with the given mean; about a third of emergency stays end the same day. */
export function lengthOfStay(r: Random, mean: number): number {
  return Math.floor(-Math.log(1 - r.next()) * (mean + 0.5));
}

export function edAttendance(r: Random, day: number, age: number): SynthEncounter {
  const d = isoDateOf(day);
  return {
    kind: 'ed',
    start: d,
    end: d,
    lengthOfStay: null,
    primaryDiagnosis: null,
    secondaryDiagnoses: [],
    isReadmission: false,
    arrivalByAmbulance: chance(r, Math.min(0.8, 0.12 + age * 0.006)),
  };
}

/** ICD-10 codes an emergency admission may be for when it is not a long-term condition getting worse. */
const ACUTE_DIAGNOSES: readonly [string, number, number][] = [
  // code, weight, minimum age
  ['R07.4', 10, 18],
  ['R10.4', 9, 0],
  ['J18.9', 8, 0],
  ['N39.0', 7, 0],
  ['J22', 6, 0],
  ['L03.1', 4, 18],
  ['A09', 4, 0],
  ['R55', 4, 18],
  ['K59.0', 2, 50],
  ['E86', 3, 65],
  ['S72.0', 3, 65],
  ['F05.9', 3, 75],
  ['R41.0', 2, 75],
  ['T39.1', 2, 12],
  ['S06.0', 2, 0],
  ['R29.6', 3, 75],
  ['I21.9', 3, 40],
  ['I63.9', 3, 50],
  ['K80.2', 2, 30],
  ['R50.9', 3, 0],
];
const EXACERBATION: Record<string, string> = {
  copd: 'J44.1',
  'heart-failure': 'I50.0',
  'atrial-fibrillation': 'I48.9',
  diabetes: 'E11.6',
  chd: 'I20.9',
  'stroke-tia': 'G45.9',
  asthma: 'J45.9',
  epilepsy: 'G40.9',
  dementia: 'F03',
  'severe-mental-illness': 'F20.9',
  ckd: 'N17.9',
  falls: 'W19',
  'fragility-fracture': 'S72.0',
  cancer: 'C80.9',
  'urinary-system-disease': 'N39.0',
};

export function primaryDiagnosis(r: Random, chronic: readonly ConditionModel[], age: number): string {
  const worsening = chronic.filter((c) => EXACERBATION[c.id]);
  if (worsening.length > 0 && chance(r, 0.4))
    return EXACERBATION[worsening[uniformInt(r, 0, worsening.length - 1)]?.id ?? ''] ?? 'R69';
  const eligible = ACUTE_DIAGNOSES.filter(([, , min]) => age >= min);
  const cum = cumulative(eligible.map(([, w]) => w));
  return eligible[pickIndex(r, cum)]?.[0] ?? 'R69';
}

/** Hospital-recorded codes that go with frailty (a selection of the Hospital Frailty Risk Score's). */
const FRAILTY_CODES: readonly string[] = [
  'W19',
  'R29.6',
  'F05.9',
  'N39.0',
  'R26.8',
  'Z74.1',
  'E87.1',
  'R41.0',
  'L89.1',
  'Z75.1',
  'M79.6',
  'S00.9',
  'R54',
  'Z91.8',
  'E86',
];

export function secondaryDiagnoses(
  r: Random,
  chronic: readonly ConditionModel[],
  age: number,
  z: number,
): string[] {
  const out = new Set<string>();
  for (const c of chronic) if (chance(r, 0.7)) out.add(c.icd10);
  const frailtyCodes = age >= 65 ? poisson(r, 0.15 * Math.exp(0.05 * (age - 65)) * tilt(z, 0.8)) : 0;
  for (let i = 0; i < frailtyCodes; i++)
    out.add(FRAILTY_CODES[uniformInt(r, 0, FRAILTY_CODES.length - 1)] ?? 'R54');
  return [...out].slice(0, 12);
}

const PLANNED_DIAGNOSES: readonly string[] = [
  'H26.9',
  'M17.9',
  'M16.9',
  'K80.2',
  'N40',
  'K40.9',
  'Z51.1',
  'K57.3',
  'D12.6',
  'N81.1',
  'M51.1',
  'K21.9',
];

export function plannedAdmission(
  r: Random,
  kind: 'elective-admission' | 'day-case',
  day: number,
  discharge: number,
  chronic: readonly ConditionModel[],
): SynthEncounter {
  return {
    kind,
    start: isoDateOf(day),
    end: isoDateOf(discharge),
    lengthOfStay: discharge - day,
    primaryDiagnosis: PLANNED_DIAGNOSES[uniformInt(r, 0, PLANNED_DIAGNOSES.length - 1)] ?? 'Z51.1',
    secondaryDiagnoses: chronic
      .filter(() => chance(r, 0.5))
      .map((c) => c.icd10)
      .slice(0, 8),
    isReadmission: false,
    arrivalByAmbulance: null,
  };
}
