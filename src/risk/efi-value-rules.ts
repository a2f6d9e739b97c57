// The eFI's test-value rules (reference/frailty/efi/efi_value_rules.csv): a deficit is also present
// when a test result lies in the rule's range, for example haemoglobin below 13 g/dL in a man (anaemia)
// or an eGFR below 60 (chronic kidney disease). Pure: the caller reads the file and passes its text.
import { csvRows } from './csv-rows.ts';
import { assertDate, yearsBefore } from './look-back.ts';

export type EfiObservation = {
  /** The test's code as the record holds it (Read v2 or CTV3 codes in the published rules). */
  readonly code: string;
  readonly value: number;
  readonly date: string;
};

/** One range, with exclusive bounds; a missing bound is open. Some rules give one range per unit. */
type Range = { readonly above: number | null; readonly below: number | null };

export type EfiValueRule = {
  readonly deficit: string;
  readonly codes: ReadonlySet<string>;
  readonly rule: string;
  /** Any one range may match (e.g. haemoglobin in g/dL or in g/L). Empty: any recorded value counts. */
  readonly ranges: readonly Range[];
  readonly sex: 'female' | 'male' | null;
  /** Falls count only in the 12 months to the date; other tests use the latest result by the date. */
  readonly lookBackYears: number | null;
};

const bound = (text: string): (number | null)[] =>
  text.trim() === '' ? [null] : text.split('/').map((part) => Number(part.trim()));

/** Reads `efi_value_rules.csv` text into rules; throws on a range it cannot read. */
export function loadEfiValueRules(csvText: string): EfiValueRule[] {
  return csvRows(csvText).map((r, i) => {
    const above = bound(r.min_value ?? '');
    const below = bound(r.max_value ?? '');
    const variants = Math.max(above.length, below.length);
    const ranges: Range[] = [];
    for (let v = 0; v < variants; v++) {
      const range = { above: above[v] ?? above[0] ?? null, below: below[v] ?? below[0] ?? null };
      if ([range.above, range.below].some((b) => b !== null && !Number.isFinite(b)))
        throw new Error(
          `eFI value rules, row ${i + 2}: cannot read the range "${r.min_value}" to "${r.max_value}"`,
        );
      if (range.above !== null || range.below !== null) ranges.push(range);
    }
    const appliesTo = r.applies_to ?? 'all';
    return {
      deficit: r.deficit ?? '',
      codes: new Set(
        (r.codes ?? '')
          .split('|')
          .map((c) => c.trim())
          .filter(Boolean),
      ),
      rule: r.rule ?? '',
      ranges,
      sex: appliesTo === 'male' || appliesTo === 'female' ? appliesTo : null,
      lookBackYears: /last 12 months/.test(r.rule ?? '') ? 1 : null,
    };
  });
}

const inRange = (value: number, range: Range) =>
  (range.above === null || value > range.above) && (range.below === null || value < range.below);

export type ValueEvidence = {
  readonly code: string;
  readonly value: number;
  readonly date: string;
  readonly rule: string;
};

/**
 * The deficits the person's test results show by the index date, each with the result that showed it.
 * For each rule, the latest result of any of its codes (within 12 months for falls) is judged.
 */
export function deficitsFromValues(
  observations: readonly EfiObservation[],
  sex: 'female' | 'male',
  indexDate: string,
  rules: readonly EfiValueRule[],
): Map<string, ValueEvidence> {
  const found = new Map<string, ValueEvidence>();
  for (const rule of rules) {
    if (rule.sex !== null && rule.sex !== sex) continue;
    const from = rule.lookBackYears === null ? null : yearsBefore(indexDate, rule.lookBackYears);
    let latest: EfiObservation | null = null;
    for (const o of observations) {
      assertDate(o.date, 'observations.date');
      if (!rule.codes.has(o.code.trim()) || o.date > indexDate || (from !== null && o.date <= from)) continue;
      if (!latest || o.date > latest.date || (o.date === latest.date && o.code < latest.code)) latest = o;
    }
    if (!latest) continue;
    const matches = rule.ranges.length === 0 || rule.ranges.some((r) => inRange(latest.value, r));
    if (matches && !found.has(rule.deficit))
      found.set(rule.deficit, {
        code: latest.code.trim(),
        value: latest.value,
        date: latest.date,
        rule: rule.rule,
      });
  }
  return found;
}
