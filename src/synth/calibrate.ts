// Calibration done once before any person is generated: the level of each condition's prevalence and
// of each kind of hospital and care activity, so that the expected figures over the planned
// population match the published ones. Expectations over the latent ill-health score use
// Gauss–Hermite quadrature. Pure.
import type { ConditionModel } from './catalogue.ts';
import type { PopulationCell } from './demography.ts';
import { MAX_AGE, SEXES, type Sex, type SynthInputs } from './inputs.ts';
import { quintileOfDecile } from './mortality.ts';

/** Nodes and weights for E[f(Z)], Z standard normal (probabilists' Gauss–Hermite, 9 points). */
const GH_NODES = [
  -4.512745863399783, -3.20542900285647, -2.07684797867783, -1.023255663789133, 0, 1.023255663789133,
  2.07684797867783, 3.20542900285647, 4.512745863399783,
];
const GH_WEIGHTS = [
  2.234584400774658e-5, 2.789141321231769e-3, 4.991640676521786e-2, 0.2440975060225236, 0.4061226694365035,
  0.2440975060225236, 4.991640676521786e-2, 2.789141321231769e-3, 2.234584400774658e-5,
];

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/** Log-odds of a condition before its level: age, sex and deprivation (quintile step from the middle). */
export function conditionLogOdds(model: ConditionModel, age: number, sex: Sex, imdDecile: number): number {
  if (age < model.minAge || (model.sexOnly && model.sexOnly !== sex)) return Number.NEGATIVE_INFINITY;
  return (
    (model.agePerDecade * (Math.min(age, 95) - 60)) / 10 +
    (sex === 'male' ? model.male : 0) +
    model.deprivation * (3 - quintileOfDecile(imdDecile))
  );
}

const expectedProbability = (logOdds: number, level: number, loading: number) => {
  if (logOdds === Number.NEGATIVE_INFINITY) return 0;
  let p = 0;
  for (let i = 0; i < GH_NODES.length; i++)
    p += (GH_WEIGHTS[i] ?? 0) * logistic(level + logOdds + loading * (GH_NODES[i] ?? 0));
  return p;
};

/** Minimum ages of QOF register denominators ("TOTAL" = everyone). */
const LIST_MIN_AGE: Record<string, number> = {
  TOTAL: 0,
  '06OV': 6,
  '16OV': 16,
  '17OV': 17,
  '18OV': 18,
  '50OV': 50,
};

/** The prevalence each condition must reach, and over whom (minimum age). */
function conditionTarget(
  model: ConditionModel,
  inputs: SynthInputs,
): { prevalence: number; fromAge: number } {
  if (model.qofRegister) {
    const rows = inputs.qof.filter((r) => r.register === model.qofRegister);
    if (rows.length === 0) throw new Error(`no QOF figures for the register ${model.qofRegister}`);
    const register = rows.reduce((t, r) => t + r.registerSize, 0);
    const list = rows.reduce((t, r) => t + r.listSize, 0);
    return { prevalence: register / list, fromAge: LIST_MIN_AGE[rows[0]?.listType ?? 'TOTAL'] ?? 0 };
  }
  return { prevalence: model.prevalence65Plus ?? 0, fromAge: 65 };
}

/** Solves each condition's level (log-odds intercept) against its target over the planned population. */
export function calibrateConditions(
  models: readonly ConditionModel[],
  cells: readonly PopulationCell[],
  inputs: SynthInputs,
): Map<string, number> {
  const levels = new Map<string, number>();
  for (const model of models) {
    const target = conditionTarget(model, inputs);
    // Group the population by (age, sex, decile) once: the log-odds depend on nothing else.
    const groups = new Map<string, { logOdds: number; n: number }>();
    let denominator = 0;
    for (const cell of cells) {
      if (cell.age < target.fromAge) continue;
      const decile = inputs.lsoas[cell.lsoa]?.imd2019Decile ?? 5;
      for (const sex of SEXES) {
        const n = cell[sex];
        if (n === 0) continue;
        denominator += n;
        const key = `${cell.age}|${sex}|${decile}`;
        const g = groups.get(key) ?? { logOdds: conditionLogOdds(model, cell.age, sex, decile), n: 0 };
        g.n += n;
        groups.set(key, g);
      }
    }
    const prevalence = (level: number) => {
      let cases = 0;
      for (const g of groups.values()) cases += g.n * expectedProbability(g.logOdds, level, model.loading);
      return cases / denominator;
    };
    let lo = -20;
    let hi = 10;
    for (let i = 0; i < 50; i++) {
      const mid = (lo + hi) / 2;
      if (prevalence(mid) > target.prevalence) hi = mid;
      else lo = mid;
    }
    levels.set(model.id, (lo + hi) / 2);
  }
  return levels;
}

export interface ActivityRates {
  /** Events per person-year by sex and single year of age 0..90. */
  emergencyAdmissions: Record<Sex, number[]>;
  edAttendances: Record<Sex, number[]>;
  electiveAdmissions: Record<Sex, number[]>;
  dayCases: Record<Sex, number[]>;
  outpatientAttendances: Record<Sex, number[]>;
  /** Multiplier by kind, sex, age and national IMD quintile (1 = most deprived), mean 1 over the place. */
  deprivation: Record<'emergency' | 'planned' | 'outpatient', Record<Sex, number[][]>>;
}

const HES_ACTIVITY = {
  emergency: 'inpatient_episodes_emergency',
  planned: 'inpatient_episodes_non_emergency',
  outpatient: 'outpatient_appointments',
} as const;

/**
 * Hospital activity rates for the place by age and sex: adults (17+) from the place's 2022 rates;
 * children from the age shape of England's 2011/12 rates joined at 17. Deprivation multipliers come
 * from England's 2011/12 rates by IMD quintile, rescaled so that the place's own mix averages to 1
 * (its rates already include its deprivation).
 */
export function activityRates(inputs: SynthInputs, cells: readonly PopulationCell[]): ActivityRates {
  const adult = (activities: string[], sex: Sex) => {
    const out = new Array<number>(MAX_AGE + 1).fill(0);
    for (const r of inputs.hospitalRates)
      if (r.sex === sex && activities.includes(r.activity)) out[r.age] = (out[r.age] ?? 0) + r.rate;
    return out;
  };
  const hes = (kind: keyof typeof HES_ACTIVITY, sex: Sex, age: number, quintile?: number) => {
    let count = 0;
    let population = 0;
    for (const r of inputs.hospitalUseByDeprivation)
      if (
        r.activity === HES_ACTIVITY[kind] &&
        r.sex === (sex === 'female' ? 'female' : 'male') &&
        Math.abs(r.age - Math.min(age, 85)) <= (age < 17 ? 0 : 2) &&
        (quintile === undefined || r.quintile === quintile)
      ) {
        count += r.count;
        population += r.population;
      }
    return population > 0 ? count / population : 0;
  };
  const withChildren = (rates: number[], kind: keyof typeof HES_ACTIVITY, sex: Sex) => {
    const at17 = hes(kind, sex, 17);
    return rates.map((r, age) =>
      age >= 17 ? r : at17 > 0 ? ((rates[17] ?? 0) * hes(kind, sex, age)) / at17 : 0,
    );
  };
  const bySex = (activities: string[], kind: keyof typeof HES_ACTIVITY) =>
    Object.fromEntries(SEXES.map((s) => [s, withChildren(adult(activities, s), kind, s)])) as Record<
      Sex,
      number[]
    >;

  const deprivation = {} as ActivityRates['deprivation'];
  for (const kind of Object.keys(HES_ACTIVITY) as (keyof typeof HES_ACTIVITY)[]) {
    const bySexAge = {} as Record<Sex, number[][]>;
    for (const sex of SEXES) {
      const table: number[][] = [];
      for (let age = 0; age <= MAX_AGE; age++) {
        const all = hes(kind, sex, age);
        const ratios = [1, 2, 3, 4, 5].map((q) => (all > 0 ? hes(kind, sex, age, q) / all : 1));
        // The place's own mix at this age and sex.
        let weighted = 0;
        let n = 0;
        for (const cell of cells)
          if (cell.age === age) {
            const q = quintileOfDecile(inputs.lsoas[cell.lsoa]?.imd2019Decile ?? 5);
            weighted += cell[sex] * (ratios[q - 1] ?? 1);
            n += cell[sex];
          }
        const mean = n > 0 && weighted > 0 ? weighted / n : 1;
        table.push(ratios.map((r) => r / mean));
      }
      bySexAge[sex] = table;
    }
    deprivation[kind] = bySexAge;
  }
  return {
    emergencyAdmissions: bySex(['emer_n'], 'emergency'),
    edAttendances: bySex(['amb', 'walkin'], 'emergency'),
    electiveAdmissions: bySex(['ordelec_n'], 'planned'),
    dayCases: bySex(['daycase_n'], 'planned'),
    outpatientAttendances: bySex(
      ['non-surg_first', 'non-surg_fup', 'non-surg_proc', 'surg_first', 'surg_fup', 'surg_proc'],
      'outpatient',
    ),
    deprivation,
  };
}
