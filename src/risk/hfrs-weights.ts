import { csvRows } from './csv-rows.ts';

/** ICD-10 3-character category → points in tenths (integers, so sums carry no floating-point error). */
export type HfrsWeights = ReadonlyMap<string, number>;

/** Reads `reference/frailty/hfrs/hfrs_icd10_weights.csv` text (Gilbert 2018 appendix). Pure. */
export function loadHfrsWeights(csvText: string): HfrsWeights {
  const rows = csvRows(csvText);
  const weights = new Map<string, number>();
  for (const r of rows) {
    const code = (r.icd10_code ?? '').toUpperCase();
    const tenths = Math.round(Number(r.weight) * 10);
    if (!/^[A-Z]\d{2}$/.test(code) || !Number.isFinite(tenths)) {
      throw new Error(`HFRS weights: bad row '${code}', '${r.weight}'`);
    }
    if (weights.has(code)) throw new Error(`HFRS weights: ${code} listed twice`);
    weights.set(code, tenths);
  }
  return weights;
}
