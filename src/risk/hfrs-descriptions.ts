import { csvRows } from './csv-rows.ts';

/** ICD-10 3-character category → its description, as the HFRS appendix words it. */
export type HfrsDescriptions = ReadonlyMap<string, string>;

/** Reads the descriptions from `reference/frailty/hfrs/hfrs_icd10_weights.csv` text. Pure. */
export function loadHfrsDescriptions(csvText: string): HfrsDescriptions {
  const descriptions = new Map<string, string>();
  for (const r of csvRows(csvText)) {
    const code = (r.icd10_code ?? '').toUpperCase();
    const description = r.description ?? '';
    if (!/^[A-Z]\d{2}$/.test(code) || description === '')
      throw new Error(`HFRS descriptions: bad row '${code}', '${description}'`);
    descriptions.set(code, description);
  }
  return descriptions;
}
