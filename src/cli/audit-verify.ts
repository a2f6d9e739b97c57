// `joinedup audit verify`: recomputes the audit trail's hash chain inside the database and says whether
// every event is unchanged and none is missing. Exits 0 when intact, 1 when it lists problems.
import type { Kysely } from 'kysely';
import { verifyAuditChain } from '../access/audit.store.ts';
import type { Config } from '../core/config.ts';
import type { Database } from '../db/database.ts';
import { onShutdown, openDatabase } from './open-db.ts';

/** The report as printed, and the exit code: 0 intact, 1 problems found. */
export async function auditVerify(db: Kysely<Database>): Promise<{ code: 0 | 1; text: string }> {
  const report = await verifyAuditChain(db);
  const events = report.events.toLocaleString('en-GB');
  if (report.problems.length === 0) return { code: 0, text: `Audit trail intact: ${events} events` };
  const lines = [
    `Audit trail NOT intact: ${report.problems.length === 1 ? '1 problem' : `${report.problems.length} problems`} found in ${events} events${report.problems.length >= 20 ? ' (the first 20 shown)' : ''}:`,
    ...report.problems.map((p) => `  - event ${p.seq}: ${p.problem}`),
  ];
  return { code: 1, text: lines.join('\n') };
}

export async function auditVerifyCommand(config: Config): Promise<number> {
  const db = await openDatabase(config);
  onShutdown(() => db.close());
  try {
    const { code, text } = await auditVerify(db.kysely);
    (code === 0 ? console.log : console.error)(text);
    return code;
  } finally {
    await db.close();
  }
}
