import { csvRows } from './csv-rows.ts';

/** Stored beside every count. Bump when the list of conditions or their codes changes. */
export const LTC_MODEL_VERSION = 'ltc-qof18/1.0.0';

/** Two or more long-term conditions from the list. */
export const MULTIMORBIDITY_CONDITIONS = 2;

export type LongTermCondition = {
  readonly condition: string;
  readonly label: string;
  readonly qofRegister: string;
  /** SNOMED CT concept ids that record the condition. */
  readonly codes: readonly string[];
};

/** Reads `reference/multimorbidity/long-term-conditions.csv` text. Pure. */
export function loadLongTermConditions(csvText: string): readonly LongTermCondition[] {
  const byCondition = new Map<string, { label: string; qofRegister: string; codes: string[] }>();
  const seen = new Set<string>();
  for (const r of csvRows(csvText)) {
    const condition = r.condition ?? '';
    const code = r.code ?? '';
    if (!/^[a-z][a-z0-9-]*$/.test(condition))
      throw new Error(`Long-term conditions: bad condition '${condition}'`);
    if (!/^\d{6,18}$/.test(code))
      throw new Error(`Long-term conditions: '${code}' is not a SNOMED CT concept id`);
    if (seen.has(code)) throw new Error(`Long-term conditions: ${code} listed twice`);
    seen.add(code);
    const held = byCondition.get(condition);
    if (held) held.codes.push(code);
    else
      byCondition.set(condition, { label: r.label ?? '', qofRegister: r.qof_register ?? '', codes: [code] });
  }
  return [...byCondition].map(([condition, c]) => ({ condition, ...c }));
}
