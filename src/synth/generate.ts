// The synthetic population generator: a pure function of (place inputs, seed, options) that yields
// people one at a time, each with their records, so any number can be streamed with flat memory.
// Every person draws from their own random stream, seeded by the run's seed and their index.
import { en } from '@faker-js/faker';
import { nhsCheckDigit } from '../core/nhs-number.ts';
import { activityRates, calibrateConditions, conditionLogOdds, logistic } from './calibrate.ts';
import { CAUSE_OF_DEATH_SHARES, CONDITIONS, type ConditionModel } from './catalogue.ts';
import { ageOn, birthdayDay, dayOf, isoDateOf, YEAR_DAYS } from './dates.ts';
import { type PopulationCell, planPopulation } from './demography.ts';
import {
  edAttendance,
  lengthOfStay,
  plannedAdmission,
  primaryDiagnosis,
  secondaryDiagnoses,
} from './hospital-spells.ts';
import { MAX_AGE, type Sex, type SynthInputs } from './inputs.ts';
import { BACKGROUND_MEDICINES, MEDICINES_FOR, type MedicineModel } from './medicines.ts';
import {
  calibrateMortality,
  LIFE_EXPECTANCY_FIGURES,
  type MortalityModel,
  mortalityModel,
  NATIONAL_MORTALITY,
  quintileOfDecile,
} from './mortality.ts';
import {
  chance,
  cumulative,
  normal,
  pickIndex,
  poisson,
  type Random,
  randomStream,
  tilt,
  uniformInt,
} from './random.ts';

export const GENERATOR_VERSION = 'synthetic-bury-1';

export interface SynthOptions {
  seed: number;
  people: number;
  /** First and last day of the history window, inclusive ('YYYY-MM-DD'). */
  start: string;
  end: string;
}

export type CauseOfDeath = 'cardiovascular' | 'cancer' | 'respiratory' | 'other';
export type EncounterKind = 'ed' | 'emergency-admission' | 'elective-admission' | 'day-case' | 'outpatient';
export type SocialCareService = 'home-care' | 'reablement' | 'care-home-permanent';

export interface SynthCondition {
  condition: string;
  snomed: string;
  term: string;
  onset: string;
}
export interface SynthMedicine {
  medicine: string;
  name: string;
  bnf: string;
  start: string;
  end: string | null;
}
export interface SynthEncounter {
  kind: EncounterKind;
  start: string;
  end: string;
  lengthOfStay: number | null;
  primaryDiagnosis: string | null;
  secondaryDiagnoses: string[];
  /** An emergency admission within 30 days of discharge from an earlier emergency admission. */
  isReadmission: boolean;
  arrivalByAmbulance: boolean | null;
}
export interface SynthSocialCare {
  service: SocialCareService;
  start: string;
  end: string | null;
}

export interface SynthPerson {
  index: number;
  id: string;
  nhsNumber: string | null;
  givenName: string;
  familyName: string;
  sex: Sex;
  dateOfBirth: string;
  ethnicCategory: string;
  lsoa: string;
  practice: string;
  dateOfDeath: string | null;
  causeOfDeath: CauseOfDeath | null;
  /** Opt-outs from the use of their data for planning (docs/clinical/synthetic-population.md). */
  nationalDataOptOut: boolean;
  type1Objection: boolean;
  conditions: SynthCondition[];
  medicines: SynthMedicine[];
  encounters: SynthEncounter[];
  socialCare: SynthSocialCare[];
}

/** NHS data dictionary ethnic categories, keyed by the Census 2021 group names. */
const ETHNIC_CATEGORY: Record<string, string> = {
  'English, Welsh, Scottish, Northern Irish or British': 'A',
  Irish: 'B',
  'Gypsy or Irish Traveller': 'C',
  Roma: 'C',
  'Other White': 'C',
  'White and Black Caribbean': 'D',
  'White and Black African': 'E',
  'White and Asian': 'F',
  'Other Mixed or Multiple ethnic groups': 'G',
  Indian: 'H',
  Pakistani: 'J',
  Bangladeshi: 'K',
  'Other Asian': 'L',
  Caribbean: 'M',
  African: 'N',
  'Other Black': 'P',
  Chinese: 'R',
  Arab: 'S',
  'Any other ethnic group': 'S',
};

const NAMES = (() => {
  const person = (
    en as unknown as { person: { first_name: Record<string, string[]>; last_name: { generic: string[] } } }
  ).person;
  return {
    female: person.first_name.female ?? [],
    male: person.first_name.male ?? [],
    family: person.last_name.generic,
  };
})();

/** The 999 test range: 909,091 valid numbers (those whose check digit is not 10), in a seeded order. */
const TEST_RANGE_VALID = (() => {
  const out = new Int32Array(909_091);
  let n = 0;
  for (let j = 0; j < 1_000_000; j++)
    if (nhsCheckDigit(`999${String(j).padStart(6, '0')}`) !== null) out[n++] = j;
  return out.subarray(0, n);
})();
export const TEST_RANGE_CAPACITY = TEST_RANGE_VALID.length;

/**
 * Share of people with a national data opt-out: NHS England's monthly National Data Opt-out
 * publication put it at about 5 to 6% of registered patients in England through 2024.
 */
export const NATIONAL_DATA_OPT_OUT_RATE = 0.055;
/** Share with a type 1 objection at their practice: an assumption (no current published rate), stated as one. */
export const TYPE1_OBJECTION_RATE = 0.025;

/**
 * A uniform draw in [0, 1) from (seed, index, salt) alone, so opt-outs leave every other random
 * draw of the generator, and so every earlier population, unchanged.
 */
function independentDraw(seed: number, index: number, salt: number): number {
  let h =
    Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35) ^ Math.imul(salt, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function nhsNumberFor(index: number, seed: number): string | null {
  if (index >= TEST_RANGE_CAPACITY) return null;
  // A bijection of 0..capacity-1 (capacity is prime, any multiplier works), offset by the seed.
  const m = TEST_RANGE_CAPACITY;
  const position = (index * 611_953 + (seed % m)) % m; // below 2^53: exact
  const body = `999${String(TEST_RANGE_VALID[position]).padStart(6, '0')}`;
  return `${body}${nhsCheckDigit(body)}`;
}

const hex8 = (r: Random) =>
  Math.floor(r.next() * 4294967296)
    .toString(16)
    .padStart(8, '0');

/** A version 4 UUID from the person's stream, so ids are the same for the same seed. */
function uuidFrom(r: Random): string {
  const a = hex8(r);
  const b = hex8(r);
  const c = hex8(r);
  const d = hex8(r);
  const variant = (8 + Math.floor(r.next() * 4)).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** Everything worked out once, before the first person. */
export interface Generation {
  inputs: SynthInputs;
  options: SynthOptions;
  cells: PopulationCell[];
  mortality: MortalityModel;
  conditionLevels: Map<string, number>;
  rates: ReturnType<typeof activityRates>;
  meanStay: (admission: 'emergency' | 'elective_ordinary', sex: Sex, age: number) => number;
  ethnicity: Map<string, { categories: string[]; cum: Float64Array }>;
  practices: Map<string, { codes: string[]; cum: Float64Array }>;
  allPractices: { codes: string[]; cum: Float64Array };
  careHomeLevel: number;
  /** The window as days. */
  start: number;
  end: number;
}

export class SynthOptionsError extends Error {}

export function checkOptions(options: SynthOptions): void {
  if (!Number.isInteger(options.people) || options.people < 1 || options.people > 5_000_000)
    throw new SynthOptionsError(`--people must be a whole number from 1 to 5,000,000, not ${options.people}`);
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 2 ** 32 - 1)
    throw new SynthOptionsError(`--seed must be a whole number from 0 to 4294967295, not ${options.seed}`);
  let start: number;
  let end: number;
  try {
    start = dayOf(options.start);
    end = dayOf(options.end);
  } catch {
    throw new SynthOptionsError(
      `the window must be two dates written YYYY-MM-DD, not ${options.start} to ${options.end}`,
    );
  }
  if (end < start)
    throw new SynthOptionsError(`the window ends (${options.end}) before it starts (${options.start})`);
  if (end - start > 366 * 10) throw new SynthOptionsError('the window can be at most ten years long');
  if (start < dayOf('1990-01-01') || end > dayOf('2100-12-31'))
    throw new SynthOptionsError('the window must lie between 1990 and 2100');
}

/** Works out the population plan and calibrates every rate against the place's published figures. */
export function prepareGeneration(inputs: SynthInputs, options: SynthOptions): Generation {
  checkOptions(options);
  const cells = planPopulation(inputs, options.people);
  const years = (dayOf(options.end) - dayOf(options.start) + 1) / YEAR_DAYS;
  const figure = (id: string) => inputs.published.find((f) => f.id === id)?.value;
  const need = (id: string) => {
    const v = figure(id);
    if (v === undefined) throw new Error(`the place pack publishes no figure "${id}"`);
    return v;
  };
  // A place that publishes no life expectancy (the Greater Manchester pack) keeps England and Wales's
  // death rates with England's deprivation gradient, uncalibrated; one that publishes any must give all six.
  const mortality = !LIFE_EXPECTANCY_FIGURES.some((id) => figure(id) !== undefined)
    ? mortalityModel(inputs, { female: NATIONAL_MORTALITY, male: NATIONAL_MORTALITY })
    : calibrateMortality(
        cells,
        inputs,
        {
          atBirth: { female: need('le_birth_female'), male: need('le_birth_male') },
          at65: { female: need('le_65_female'), male: need('le_65_male') },
          sii65: { female: need('sii_le_65_female'), male: need('sii_le_65_male') },
          neighbourhoodsAtBirth: inputs.published
            .filter((f) => f.id.endsWith('_le_birth') && f.area.startsWith('neighbourhood:'))
            .map((f) => ({ neighbourhood: f.area.slice('neighbourhood:'.length), years: f.value })),
        },
        Math.max(1, Math.round(years)),
      );
  const conditionLevels = calibrateConditions(CONDITIONS, cells, inputs);
  const rates = activityRates(inputs, cells);

  const stays = inputs.meanLengthOfStay;
  const meanStay = (admission: 'emergency' | 'elective_ordinary', sex: Sex, age: number) => {
    const a = Math.max(17, age);
    const row = stays.find((s) => {
      if (s.admission !== admission || s.sex !== sex) return false;
      if (s.ageBand.endsWith('+')) return a >= Number(s.ageBand.slice(0, -1));
      const [lo, hi] = s.ageBand.split('-').map(Number);
      return a >= (lo ?? 0) && a <= (hi ?? 0);
    });
    return row?.days ?? 4;
  };

  const detailed = inputs.ethnicityDetailed;
  const ethnicity = new Map<string, { categories: string[]; cum: Float64Array }>();
  for (const [lsoa, groups] of inputs.ethnicityByLsoa) {
    const categories: string[] = [];
    const weights: number[] = [];
    for (const g of groups) {
      const within = detailed.filter((d) => d.broadGroup === g.broadGroup);
      const total = within.reduce((t, d) => t + d.residents, 0);
      for (const d of within) {
        categories.push(ETHNIC_CATEGORY[d.group] ?? 'S');
        weights.push(total > 0 ? (g.residents * d.residents) / total : 0);
      }
    }
    ethnicity.set(lsoa, { categories, cum: cumulative(weights) });
  }

  const practices = new Map<string, { codes: string[]; cum: Float64Array }>();
  for (const code of new Set(inputs.practices.map((p) => p.neighbourhood))) {
    const list = inputs.practices.filter((p) => p.neighbourhood === code);
    practices.set(code, { codes: list.map((p) => p.odsCode), cum: cumulative(list.map((p) => p.listSize)) });
  }
  const allPractices = {
    codes: inputs.practices.map((p) => p.odsCode),
    cum: cumulative(inputs.practices.map((p) => p.listSize)),
  };

  // Permanent care-home admissions of people aged 65+: the level that gives the place's recent rate
  // (ASCOF 2A(2), mean of the last two years) over the planned population.
  const ascof = inputs.localIndicators
    .filter((i) =>
      i.indicator.startsWith('Permanent admissions to residential and nursing care homes aged 65+'),
    )
    .sort((a, b) => a.period.localeCompare(b.period))
    .slice(-2);
  const careHomeRate =
    ascof.length > 0 ? ascof.reduce((t, i) => t + i.value, 0) / ascof.length / 100_000 : 0.0065;
  let weight = 0;
  let people65 = 0;
  for (const cell of cells)
    if (cell.age >= 65) {
      const n = cell.female + cell.male;
      weight += n * careHomeAgeFactor(cell.age);
      people65 += n;
    }
  const careHomeLevel = people65 > 0 ? (careHomeRate * people65) / weight : 0;

  return {
    inputs,
    options,
    cells,
    mortality,
    conditionLevels,
    rates,
    meanStay,
    ethnicity,
    practices,
    allPractices,
    careHomeLevel,
    start: dayOf(options.start),
    end: dayOf(options.end),
  };
}

const careHomeAgeFactor = (age: number) => Math.exp(0.11 * (Math.min(age, 100) - 65));

/** How strongly the latent ill-health score raises each outcome (log scale, per standard deviation). */
const LOADING = { death: 0.4, emergency: 0.7, planned: 0.35, outpatient: 0.45, careHome: 0.9, homeCare: 1.0 };

/**
 * Who dies is decided by systematic sampling along the stream of people (in LSOA and age order, one
 * stream per sex): a running sum of each person's probability of dying in the window, starting from a
 * seeded offset, and a death wherever it passes a whole number. Each person's chance is exactly their
 * own probability, and any run of people (an LSOA, a neighbourhood's ages) has within one death of its
 * expected number, so life expectancy for small areas is not swamped by sampling noise.
 */
interface DeathSampler {
  decide(sex: Sex, probability: number): boolean;
}

function deathSampler(seed: number): DeathSampler {
  const r = randomStream(seed, 0, 7);
  const running: Record<Sex, number> = { female: r.next(), male: r.next() };
  return {
    decide(sex, probability) {
      const before = running[sex];
      running[sex] = before + probability;
      return Math.floor(running[sex]) > Math.floor(before);
    },
  };
}

/** Yields the people of the plan in order, each with their records. */
export function* generatePeople(g: Generation): Generator<SynthPerson> {
  const deaths = deathSampler(g.options.seed);
  let index = 0;
  for (const cell of g.cells) {
    const size = cell.female + cell.male;
    for (let k = 0; k < size; k++, index++) {
      yield generatePerson(g, cell, k < cell.female ? 'female' : 'male', index, deaths);
    }
  }
}

function generatePerson(
  g: Generation,
  cell: PopulationCell,
  sex: Sex,
  index: number,
  deaths: DeathSampler,
): SynthPerson {
  const { inputs, options } = g;
  const r = randomStream(options.seed, index);
  const lsoa = inputs.lsoas[cell.lsoa];
  if (!lsoa) throw new Error(`no LSOA ${cell.lsoa}`);
  const { start, end } = g;

  // Age at the start of the window: the cell's age, or 90–104 for the 90+ group (roughly as survival thins it).
  const age0 =
    cell.age < MAX_AGE ? cell.age : MAX_AGE + Math.min(14, Math.floor(-Math.log(1 - r.next()) * 4));
  const dob = start - Math.floor((age0 + r.next()) * YEAR_DAYS) - 1;
  const id = uuidFrom(r);
  const givenNames = sex === 'female' ? NAMES.female : NAMES.male;
  const givenName = givenNames[uniformInt(r, 0, givenNames.length - 1)] ?? 'Alex';
  const familyName = NAMES.family[uniformInt(r, 0, NAMES.family.length - 1)] ?? 'Smith';
  const eth = g.ethnicity.get(lsoa.code);
  const ethnicCategory = eth ? (eth.categories[pickIndex(r, eth.cum)] ?? 'Z') : 'Z';
  const nearby = chance(r, 0.08) ? g.allPractices : (g.practices.get(lsoa.neighbourhood) ?? g.allPractices);
  const practice = nearby.codes[pickIndex(r, nearby.cum)] ?? '';
  const z = normal(r);
  const decile = lsoa.imd2019Decile;
  const quintile = quintileOfDecile(decile);

  // Death: a piecewise-constant hazard by year of age over the window; whether the person dies is
  // decided by the sampler, and when by inverting their cumulative hazard.
  let death: number | null = null;
  {
    const segments: { from: number; to: number; hazard: number }[] = [];
    let total = 0;
    for (let t = start, age = ageOn(dob, start); t <= end; age++) {
      const next = Math.min(end + 1, birthdayDay(dob, age + 1));
      const hazard = (g.mortality.rate(sex, age, decile) * tilt(z, LOADING.death)) / YEAR_DAYS;
      segments.push({ from: t, to: next, hazard });
      total += hazard * (next - t);
      t = next;
    }
    const probability = 1 - Math.exp(-total);
    const v = r.next();
    if (deaths.decide(sex, probability)) {
      let target = -Math.log(1 - v * probability);
      for (const seg of segments) {
        const h = seg.hazard * (seg.to - seg.from);
        if (target <= h) {
          death = Math.min(end, Math.floor(seg.from + target / seg.hazard));
          break;
        }
        target -= h;
      }
      death ??= end;
    }
  }
  const lastDay = death ?? end;
  const aliveYears = (lastDay - start + 1) / YEAR_DAYS;
  const ageAtEnd = ageOn(dob, lastDay);

  // Long-term conditions: present at the start, or starting within the window.
  const conditions: SynthCondition[] = [];
  const onsetDays: number[] = [];
  const has = new Set<string>();
  for (const model of CONDITIONS) {
    const level = g.conditionLevels.get(model.id) ?? -20;
    const u = r.next();
    const pStart = probability(model, level, age0, sex, decile, z);
    let onset: number | null = null;
    if (u < pStart) {
      const earliest = Math.max(model.minAge, age0 - 25);
      const onsetAge = earliest + r.next() * Math.max(0, age0 - earliest);
      onset = Math.min(start - 1, dob + Math.floor(onsetAge * YEAR_DAYS));
    } else if (u < probability(model, level, ageAtEnd, sex, decile, z)) {
      onset = start + Math.floor(r.next() * (lastDay - start + 1));
    }
    if (onset !== null) {
      has.add(model.id);
      onsetDays.push(onset);
      conditions.push({
        condition: model.id,
        snomed: model.snomed,
        term: model.term,
        onset: isoDateOf(onset),
      });
    }
  }

  // Repeat medicines: those usual for each condition, and some common ones with age.
  const medicines: SynthMedicine[] = [];
  const taking = new Set<string>();
  const addMedicine = (med: MedicineModel, from: number) => {
    if (taking.has(med.id)) return;
    taking.add(med.id);
    const begin = Math.max(from, dob + 16 * 365);
    const stop =
      death !== null ? death : chance(r, 0.06) ? start + Math.floor(r.next() * (end - start)) : null;
    if (stop !== null && stop < begin) return;
    medicines.push({
      medicine: med.id,
      name: med.name,
      bnf: med.bnf,
      start: isoDateOf(begin),
      end: stop === null ? null : isoDateOf(stop),
    });
  };
  conditions.forEach((c, i) => {
    for (const [med, p] of MEDICINES_FOR[c.condition] ?? [])
      if (chance(r, p)) addMedicine(med, (onsetDays[i] ?? start) + 30);
  });
  if (age0 >= 40)
    for (const [med, p] of BACKGROUND_MEDICINES)
      if (chance(r, Math.min(0.5, p * ((age0 - 30) / 10) * tilt(z, 0.4))))
        addMedicine(med, start - Math.floor(r.next() * 3 * 365));

  // Hospital activity.
  const encounters: SynthEncounter[] = [];
  const a = Math.min(age0, MAX_AGE);
  const dep = g.rates.deprivation;
  const emergencyRate =
    (g.rates.emergencyAdmissions[sex][a] ?? 0) *
    (dep.emergency[sex][a]?.[quintile - 1] ?? 1) *
    tilt(z, LOADING.emergency);
  const edRate =
    (g.rates.edAttendances[sex][a] ?? 0) *
    (dep.emergency[sex][a]?.[quintile - 1] ?? 1) *
    tilt(z, LOADING.emergency);
  const plannedFactor = (dep.planned[sex][a]?.[quintile - 1] ?? 1) * tilt(z, LOADING.planned);
  const chronic = conditions
    .map((c) => CONDITIONS.find((m) => m.id === c.condition))
    .filter((m): m is ConditionModel => !!m);
  const dayIn = () => start + Math.floor(r.next() * (lastDay - start + 1));

  const admissions = poisson(r, emergencyRate * aliveYears);
  const admissionDays: number[] = [];
  let lastDischarge = Number.NEGATIVE_INFINITY;
  const discharges: number[] = [];
  for (let i = 0; i < admissions; i++) admissionDays.push(dayIn());
  admissionDays.sort((x, y) => x - y);
  for (let i = 0; i < admissionDays.length; i++) {
    const day = admissionDays[i] as number;
    const viaEd = chance(r, 0.72);
    const stay = lengthOfStay(r, g.meanStay('emergency', sex, age0));
    const discharge = Math.min(day + stay, lastDay);
    const isReadmission = day >= lastDischarge && day - lastDischarge <= 30;
    lastDischarge = discharge;
    discharges.push(discharge);
    if (viaEd) encounters.push(edAttendance(r, day, age0));
    encounters.push({
      kind: 'emergency-admission',
      start: isoDateOf(day),
      end: isoDateOf(discharge),
      lengthOfStay: discharge - day,
      primaryDiagnosis: primaryDiagnosis(r, chronic, age0),
      secondaryDiagnoses: secondaryDiagnoses(r, chronic, age0, z),
      isReadmission,
      arrivalByAmbulance: null,
    });
    // A readmission within 30 days, more likely for the frail.
    if (chance(r, 0.085 * tilt(z, 0.5) * (age0 >= 75 ? 1.3 : 1)) && discharge + 1 <= lastDay) {
      const back = Math.min(lastDay, discharge + 1 + Math.floor(r.next() * 29));
      if (!admissionDays.slice(i + 1).some((d) => d <= back)) {
        admissionDays.splice(i + 1, 0, back);
      }
    }
  }
  const standaloneEd = poisson(r, Math.max(0, edRate - 0.72 * emergencyRate) * aliveYears);
  for (let i = 0; i < standaloneEd; i++) encounters.push(edAttendance(r, dayIn(), age0));
  const electives = poisson(r, (g.rates.electiveAdmissions[sex][a] ?? 0) * plannedFactor * aliveYears);
  for (let i = 0; i < electives; i++) {
    const day = dayIn();
    const stay = Math.max(1, lengthOfStay(r, g.meanStay('elective_ordinary', sex, age0)));
    encounters.push(plannedAdmission(r, 'elective-admission', day, Math.min(day + stay, lastDay), chronic));
  }
  const dayCases = poisson(r, (g.rates.dayCases[sex][a] ?? 0) * plannedFactor * aliveYears);
  for (let i = 0; i < dayCases; i++) {
    const day = dayIn();
    encounters.push(plannedAdmission(r, 'day-case', day, day, chronic));
  }
  const outpatients = poisson(
    r,
    (g.rates.outpatientAttendances[sex][a] ?? 0) *
      (dep.outpatient[sex][a]?.[quintile - 1] ?? 1) *
      tilt(z, LOADING.outpatient) *
      aliveYears,
  );
  for (let i = 0; i < outpatients; i++) {
    const day = isoDateOf(dayIn());
    encounters.push({
      kind: 'outpatient',
      start: day,
      end: day,
      lengthOfStay: null,
      primaryDiagnosis: null,
      secondaryDiagnoses: [],
      isReadmission: false,
      arrivalByAmbulance: null,
    });
  }
  encounters.sort((x, y) => x.start.localeCompare(y.start) || x.kind.localeCompare(y.kind));

  // Adult social care.
  const socialCare: SynthSocialCare[] = [];
  if (age0 >= 65) {
    const yearly = g.careHomeLevel * careHomeAgeFactor(age0) * tilt(z, LOADING.careHome);
    if (chance(r, 1 - Math.exp(-yearly * aliveYears))) {
      socialCare.push({
        service: 'care-home-permanent',
        start: isoDateOf(dayIn()),
        end: death === null ? null : isoDateOf(death),
      });
    }
  }
  if (age0 >= 18) {
    const homeCare = logistic(-7.2 + 0.075 * age0 + 0.15 * (3 - quintile)) * tilt(z, LOADING.homeCare);
    if (chance(r, Math.min(0.9, homeCare))) {
      const begin = chance(r, 0.6) ? start - Math.floor(r.next() * 3 * 365) : dayIn();
      socialCare.push({
        service: 'home-care',
        start: isoDateOf(begin),
        end: death === null ? null : isoDateOf(death),
      });
    }
    for (const from of discharges)
      if (age0 >= 65 && chance(r, 0.1)) {
        socialCare.push({
          service: 'reablement',
          start: isoDateOf(from),
          end: isoDateOf(Math.min(lastDay, from + 42)),
        });
      }
  }
  socialCare.sort((x, y) => x.start.localeCompare(y.start));

  return {
    index,
    id,
    nhsNumber: nhsNumberFor(index, options.seed),
    givenName,
    familyName,
    sex,
    dateOfBirth: isoDateOf(dob),
    ethnicCategory,
    lsoa: lsoa.code,
    practice,
    dateOfDeath: death === null ? null : isoDateOf(death),
    causeOfDeath: death === null ? null : causeOfDeath(r, ageOn(dob, death), has),
    nationalDataOptOut: independentDraw(options.seed, index, 1) < NATIONAL_DATA_OPT_OUT_RATE,
    type1Objection: independentDraw(options.seed, index, 2) < TYPE1_OBJECTION_RATE,
    conditions,
    medicines,
    encounters,
    socialCare,
  };
}

function probability(
  model: ConditionModel,
  level: number,
  age: number,
  sex: Sex,
  decile: number,
  z: number,
): number {
  const logOdds = conditionLogOdds(model, age, sex, decile);
  return logOdds === Number.NEGATIVE_INFINITY ? 0 : logistic(level + logOdds + model.loading * z);
}

function causeOfDeath(r: Random, age: number, has: ReadonlySet<string>): CauseOfDeath {
  const row = [...CAUSE_OF_DEATH_SHARES].reverse().find((s) => age >= s.fromAge) ?? CAUSE_OF_DEATH_SHARES[0];
  if (!row) return 'other';
  const cardio =
    row.cardiovascular *
    (['chd', 'heart-failure', 'stroke-tia', 'atrial-fibrillation'].some((c) => has.has(c)) ? 2 : 1);
  const cancer = row.cancer * (has.has('cancer') ? 3 : 1);
  const respiratory = row.respiratory * (has.has('copd') ? 2.5 : 1);
  const other = 1 - row.cardiovascular - row.cancer - row.respiratory;
  const weights = [cardio, cancer, respiratory, other];
  const pick = pickIndex(r, cumulative(weights));
  return (['cardiovascular', 'cancer', 'respiratory', 'other'] as const)[pick] ?? 'other';
}
