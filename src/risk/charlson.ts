import type { CharlsonCodeList, CharlsonWeights } from './charlson-codes.ts';

/** Stored beside every score, with the weight set: e.g. 'charlson-quan2005/1.0.0 weights=quan2011'. */
export const CHARLSON_MODEL_VERSION = 'charlson-quan2005/1.0.0';

/** In stratification: admitted spells of any kind in the two years to the date, as the HFRS's look-back. */
export const CHARLSON_LOOK_BACK_YEARS = 2;

/** Charlson 1987's own grouping of the index. */
export type CharlsonBand = '0' | '1-2' | '3-4' | '5+';

export type CharlsonInput = { readonly diagnoses: readonly string[] };
export type CharlsonOptions = { readonly weights: CharlsonWeights };

export type CharlsonContribution = {
  readonly category: string;
  readonly label: string;
  /** 0 when the weight set gives the category no points, or a more severe category outranks it. */
  readonly points: number;
  /** The first diagnosis code that put the person in the category. */
  readonly evidence: string;
  /** Set when the hierarchy rules scored the more severe category instead. */
  readonly outrankedBy?: string;
};

export type CharlsonResult = {
  readonly score: number;
  readonly band: CharlsonBand;
  readonly weights: CharlsonWeights;
  readonly contributions: readonly CharlsonContribution[];
  readonly modelVersion: string;
};

/** Milder category → the more severe one that replaces it (charlson_rules.csv: take the higher). */
export const CHARLSON_HIERARCHY: Readonly<Record<string, string>> = {
  mild_liver_disease: 'moderate_severe_liver_disease',
  diabetes_without_complication: 'diabetes_with_complication',
  any_malignancy: 'metastatic_solid_tumour',
};

export function charlsonBand(score: number): CharlsonBand {
  if (score === 0) return '0';
  if (score <= 2) return '1-2';
  if (score <= 4) return '3-4';
  return '5+';
}

/** ICD-10 without the dot, upper case: 'c78.0' → 'C780'. */
function normalise(code: string): string {
  return code.trim().toUpperCase().replace('.', '');
}

/** Charlson comorbidity index from ICD-10 codes (Quan 2005 coding), either weight set. Pure. */
export function scoreCharlson(
  input: CharlsonInput,
  codeList: CharlsonCodeList,
  options: CharlsonOptions,
): CharlsonResult {
  const evidence = new Map<string, string>();
  for (const raw of input.diagnoses) {
    const code = normalise(raw);
    for (const c of codeList) {
      if (!evidence.has(c.category) && c.prefixes.some((p) => code.startsWith(p))) {
        evidence.set(c.category, raw.trim());
      }
    }
  }
  const contributions: CharlsonContribution[] = [];
  for (const c of codeList) {
    const code = evidence.get(c.category);
    if (code === undefined) continue;
    const severe = CHARLSON_HIERARCHY[c.category];
    if (severe !== undefined && evidence.has(severe)) {
      contributions.push({
        category: c.category,
        label: c.label,
        points: 0,
        evidence: code,
        outrankedBy: severe,
      });
    } else {
      contributions.push({
        category: c.category,
        label: c.label,
        points: c.weights[options.weights],
        evidence: code,
      });
    }
  }
  const score = contributions.reduce((sum, c) => sum + c.points, 0);
  return {
    score,
    band: charlsonBand(score),
    weights: options.weights,
    contributions,
    modelVersion: `${CHARLSON_MODEL_VERSION} weights=${options.weights}`,
  };
}
