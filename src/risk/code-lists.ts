// The code lists every model reads, built once from the reference files, and flattened into the
// rows of the `risk_code` table that the stratification SQL joins to.
import type { CharlsonCodeList } from './charlson-codes.ts';
import type { EfiCodeList } from './efi-codes.ts';
import { POLYPHARMACY } from './efi-codes.ts';
import type { EfiValueRule } from './efi-value-rules.ts';
import type { HfrsWeights } from './hfrs-weights.ts';
import type { LongTermCondition } from './long-term-conditions.ts';

export type RiskCodeLists = {
  readonly efi: EfiCodeList;
  readonly efiValueRules: readonly EfiValueRule[];
  readonly hfrs: HfrsWeights;
  readonly charlson: CharlsonCodeList;
  readonly longTermConditions: readonly LongTermCondition[];
};

export type RiskCodeRow = {
  readonly model: 'efi' | 'hfrs' | 'charlson' | 'ltc';
  /** SNOMED CT concept id (efi, ltc), ICD-10 category (hfrs) or ICD-10 prefix without the dot (charlson). */
  readonly code: string;
  /** eFI deficit, ICD-10 category, Charlson category or long-term condition. */
  readonly item: string;
  readonly label: string;
  readonly points: number;
};

/** Charlson 1987's weights: the index as first published, and the one most readers know. */
export const CHARLSON_WEIGHTS = 'charlson1987';

/** Every (model, code, item) row. Pure. */
export function riskCodeRows(lists: RiskCodeLists): RiskCodeRow[] {
  const rows: RiskCodeRow[] = [];
  const deficitLabel = new Map(lists.efi.deficits.map((d) => [d.slug, d.label]));
  for (const [code, deficits] of lists.efi.deficitsByCode) {
    for (const deficit of deficits) {
      rows.push({
        model: 'efi',
        code,
        item: deficit,
        label: deficitLabel.get(deficit) ?? deficit,
        points: 1,
      });
    }
  }
  for (const [code, tenths] of lists.hfrs) {
    rows.push({ model: 'hfrs', code, item: code, label: code, points: tenths / 10 });
  }
  for (const c of lists.charlson) {
    for (const prefix of c.prefixes) {
      rows.push({
        model: 'charlson',
        code: prefix,
        item: c.category,
        label: c.label,
        points: c.weights[CHARLSON_WEIGHTS],
      });
    }
  }
  for (const c of lists.longTermConditions) {
    for (const code of c.codes)
      rows.push({ model: 'ltc', code, item: c.condition, label: c.label, points: 1 });
  }
  return rows;
}

export type RiskValueRuleRow = {
  readonly rule_number: number;
  readonly deficit: string;
  readonly code: string;
  readonly sex: 'female' | 'male' | null;
  readonly range_number: number;
  readonly above: number | null;
  readonly below: number | null;
  readonly look_back_years: number | null;
};

/** The eFI value rules as rows: one per (rule, code, range); a rule with no range has one open row. */
export function riskValueRuleRows(lists: RiskCodeLists): RiskValueRuleRow[] {
  return lists.efiValueRules.flatMap((rule, ruleNumber) =>
    [...rule.codes].flatMap((code) =>
      (rule.ranges.length === 0 ? [{ above: null, below: null }] : rule.ranges).map((range, rangeNumber) => ({
        rule_number: ruleNumber,
        deficit: rule.deficit,
        code,
        sex: rule.sex,
        range_number: rangeNumber,
        above: range.above,
        below: range.below,
        look_back_years: rule.lookBackYears,
      })),
    ),
  );
}

export function polypharmacyLabel(lists: RiskCodeLists): string {
  return lists.efi.deficits.find((d) => d.slug === POLYPHARMACY)?.label ?? 'Polypharmacy';
}
