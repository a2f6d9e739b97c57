import { type EfiCodeList, POLYPHARMACY } from './efi-codes.ts';
import {
  deficitsFromValues,
  type EfiObservation,
  type EfiValueRule,
  type ValueEvidence,
} from './efi-value-rules.ts';
import { assertDate, yearsBefore } from './look-back.ts';

/** Stored beside every score. Bump on any change to rules, code list or errata. */
export const EFI_MODEL_VERSION = 'efi-clegg2016-snomed/1.1.0';

export const EFI_DEFICIT_COUNT = 36;
/** Five or more different medicines in the 12 months up to the index date. */
export const POLYPHARMACY_MEDICINES = 5;

export type EfiBand = 'fit' | 'mild' | 'moderate' | 'severe';

export type EfiInput = {
  readonly codes: readonly { readonly code: string; readonly date: string }[];
  readonly medicines: readonly {
    readonly medicine: string;
    readonly start: string;
    readonly end: string | null;
  }[];
  readonly indexDate: string;
  /** Test results, judged by the value rules; optional, as many records hold none. */
  readonly observations?: readonly EfiObservation[];
  /** Needed by the sex-specific value rules (haemoglobin). */
  readonly sex?: 'female' | 'male';
};

export type EfiContribution = { readonly deficit: string; readonly label: string; readonly evidence: string };

export type EfiResult = {
  /** deficits / 36, unrounded. */
  readonly score: number;
  readonly deficits: number;
  readonly band: EfiBand;
  readonly contributions: readonly EfiContribution[];
  readonly modelVersion: string;
};

/** Band on the whole number of deficits (the exact fraction of 36), never on a rounded score. */
export function efiBand(deficits: number): EfiBand {
  if (deficits <= 4) return 'fit';
  if (deficits <= 8) return 'mild';
  if (deficits <= 12) return 'moderate';
  return 'severe';
}

/** Different medicines (trimmed, case-insensitive) active on any day of the 12 months up to the index date. */
export function countRecentMedicines(medicines: EfiInput['medicines'], indexDate: string): number {
  const windowOpens = yearsBefore(indexDate, 1);
  const names = new Set<string>();
  for (const m of medicines) {
    assertDate(m.start, 'medicines.start');
    if (m.end !== null) assertDate(m.end, 'medicines.end');
    const isStartedByIndex = m.start <= indexDate;
    const isActiveInWindow = m.end === null || m.end > windowOpens;
    if (isStartedByIndex && isActiveInWindow) names.add(m.medicine.trim().toLowerCase());
  }
  return names.size;
}

/** Electronic Frailty Index (Clegg 2016) from SNOMED CT codes and medicines. Pure. */
/** A test result's evidence as stored and shown: `451E. = 48 (2025-03-01)`. */
export const valueEvidence = (v: ValueEvidence) => `${v.code} = ${v.value} (${v.date})`;

export function scoreEfi(
  input: EfiInput,
  codeList: EfiCodeList,
  valueRules: readonly EfiValueRule[] = [],
): EfiResult {
  assertDate(input.indexDate, 'indexDate');
  const evidence = new Map<string, { code: string; date: string }>();
  for (const c of input.codes) {
    assertDate(c.date, 'codes.date');
    if (c.date > input.indexDate) continue;
    for (const deficit of codeList.deficitsByCode.get(c.code.trim()) ?? []) {
      const held = evidence.get(deficit);
      const isEarlier = !held || c.date < held.date || (c.date === held.date && c.code < held.code);
      if (isEarlier) evidence.set(deficit, { code: c.code.trim(), date: c.date });
    }
  }
  const fromValues =
    input.observations && input.sex
      ? deficitsFromValues(input.observations, input.sex, input.indexDate, valueRules)
      : new Map<string, ValueEvidence>();
  const medicines = countRecentMedicines(input.medicines, input.indexDate);
  const contributions: EfiContribution[] = [];
  for (const d of codeList.deficits) {
    if (d.slug === POLYPHARMACY) {
      if (medicines >= POLYPHARMACY_MEDICINES) {
        contributions.push({
          deficit: d.slug,
          label: d.label,
          evidence: `polypharmacy: ${medicines} medicines`,
        });
      }
      continue;
    }
    const held = evidence.get(d.slug);
    const value = fromValues.get(d.slug);
    if (held) contributions.push({ deficit: d.slug, label: d.label, evidence: held.code });
    else if (value) contributions.push({ deficit: d.slug, label: d.label, evidence: valueEvidence(value) });
  }
  const deficits = contributions.length;
  return {
    score: deficits / EFI_DEFICIT_COUNT,
    deficits,
    band: efiBand(deficits),
    contributions,
    modelVersion: EFI_MODEL_VERSION,
  };
}
