import type { HfrsWeights } from './hfrs-weights.ts';
import { assertDate, isInLookBack } from './look-back.ts';

/** Stored beside every score. Bump on any change to rules or weights. */
export const HFRS_MODEL_VERSION = 'hfrs-gilbert2018/1.0.0';

export const HFRS_LOOK_BACK_YEARS = 2;
/** The spell kind that counts: emergency (non-elective) admissions. */
/** The product's encounter kind for an emergency admission (see the encounter table). */
export const EMERGENCY = 'emergency-admission';

export type HfrsBand = 'low' | 'intermediate' | 'high';

export type HfrsSpell = {
  readonly kind: string;
  readonly start: string;
  readonly diagnoses: readonly string[];
};
export type HfrsInput = { readonly spells: readonly HfrsSpell[]; readonly indexDate: string };
export type HfrsContribution = { readonly code: string; readonly points: number };

export type HfrsResult = {
  readonly score: number;
  readonly band: HfrsBand;
  readonly contributions: readonly HfrsContribution[];
  readonly modelVersion: string;
};

/** low < 5; intermediate 5 to 15 inclusive; high > 15. */
export function hfrsBand(score: number): HfrsBand {
  if (score < 5) return 'low';
  if (score <= 15) return 'intermediate';
  return 'high';
}

/** 'F05.9' → 'F05'; 'j44.1 ' → 'J44'. */
export function icd10Category(code: string): string {
  return code.trim().toUpperCase().replace('.', '').slice(0, 3);
}

/**
 * Hospital Frailty Risk Score (Gilbert 2018). Emergency admissions starting after the same date two
 * years before the index date and on or before the index date; each 3-character code scored once.
 */
export function scoreHfrs(input: HfrsInput, weights: HfrsWeights): HfrsResult {
  assertDate(input.indexDate, 'indexDate');
  const seen = new Map<string, number>();
  for (const spell of input.spells) {
    assertDate(spell.start, 'spells.start');
    if (spell.kind !== EMERGENCY || !isInLookBack(spell.start, input.indexDate, HFRS_LOOK_BACK_YEARS))
      continue;
    for (const diagnosis of spell.diagnoses) {
      const code = icd10Category(diagnosis);
      const tenths = weights.get(code);
      if (tenths !== undefined) seen.set(code, tenths);
    }
  }
  const contributions = [...seen]
    .map(([code, tenths]) => ({ code, points: tenths / 10 }))
    .sort((a, b) => b.points - a.points || a.code.localeCompare(b.code));
  const score = [...seen.values()].reduce((sum, t) => sum + t, 0) / 10;
  return { score, band: hfrsBand(score), contributions, modelVersion: HFRS_MODEL_VERSION };
}
