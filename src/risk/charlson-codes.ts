import { csvRows } from './csv-rows.ts';

export type CharlsonWeights = 'charlson1987' | 'quan2011';

export type CharlsonCategory = {
  readonly category: string;
  readonly label: string;
  readonly prefixes: readonly string[];
  readonly weights: Readonly<Record<CharlsonWeights, number>>;
};

/** The 17 Charlson categories with their Quan 2005 ICD-10 prefixes, in the file's order. */
export type CharlsonCodeList = readonly CharlsonCategory[];

/** Reads `reference/comorbidity/charlson_icd10_quan2005.csv` text. Pure. */
export function loadCharlsonCodeList(csvText: string): CharlsonCodeList {
  const rows = csvRows(csvText);
  const byCategory = new Map<
    string,
    { label: string; prefixes: string[]; weights: Record<CharlsonWeights, number> }
  >();
  for (const r of rows) {
    const category = r.category ?? '';
    const prefix = (r.icd10_prefix ?? '').toUpperCase();
    if (!/^[A-Z]\d{2}[0-9A-Z]?$/.test(prefix) || prefix.length !== Number(r.prefix_length)) {
      throw new Error(`Charlson code list: bad prefix '${prefix}' in ${category}`);
    }
    const weights = { charlson1987: Number(r.weight_charlson1987), quan2011: Number(r.weight_quan2011) };
    const held = byCategory.get(category);
    if (!held) byCategory.set(category, { label: r.category_label ?? '', prefixes: [prefix], weights });
    else if (
      held.weights.charlson1987 !== weights.charlson1987 ||
      held.weights.quan2011 !== weights.quan2011
    ) {
      throw new Error(`Charlson code list: weights differ within ${category}`);
    } else if (!held.prefixes.includes(prefix)) held.prefixes.push(prefix);
  }
  return [...byCategory].map(([category, c]) => ({ category, ...c }));
}
