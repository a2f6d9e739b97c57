// A query run as a prepared statement (SQL's PREPARE and EXECUTE), so that the server plans it once per
// connection rather than on every call and may settle on a generic plan. For the few statements that
// are costlier to plan than to run and are run on every request, such as the relationship check in
// front of every record: its CASE of a dozen EXISTS takes about three times as long to plan as to run.
// Each distinct text is prepared once on each connection (a name made from the text's hash), on
// PostgreSQL and PGlite alike, at most 200 a connection; a statement prepared by another holder of the
// connection is reused. EXECUTE takes no bound parameters, so the values go into its argument list as
// constants (`literal`: text as escape strings with every quote and backslash escaped).
import { createHash } from 'node:crypto';
import type { CompiledQuery, DatabaseConnection, Kysely, QueryResult } from 'kysely';
import { refusedAs, sqlStateOf } from './sql-state.ts';

const prepared = new WeakMap<DatabaseConnection, Set<string>>();

/** A connection keeps at most this many; past it they are all deallocated and prepared again as needed. */
const MOST_PER_CONNECTION = 200;

/** PostgreSQL's "prepared statement already exists". */
const DUPLICATE_PREPARED_STATEMENT = '42P05';

const nameOf = (sql: string) => `jq_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;

function statement(sql: string): CompiledQuery {
  return { sql, parameters: [], query: { kind: 'RawNode' } } as unknown as CompiledQuery;
}

/** Text as an escape-string constant: every backslash and quote escaped, whatever the server's settings. */
function quoted(text: string): string {
  // Refused with the error code PostgreSQL gives text holding NUL.
  if (text.includes('\0'))
    throw refusedAs('22021', 'a parameter of a prepared statement may not contain NUL');
  return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * A parameter as a constant of EXECUTE's argument list (EXECUTE takes no bound parameters): text, arrays
 * and dates as untyped constants, which take the prepared parameter's type; numbers and booleans as such.
 */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return `(${String(value)})`;
  }
  if (typeof value === 'bigint') return `(${value.toString()})`;
  if (typeof value === 'string') return quoted(value);
  if (value instanceof Date) return quoted(value.toISOString());
  if (Array.isArray(value))
    return quoted(
      `{${value
        .map((v) => {
          if (v === null || v === undefined) return 'NULL';
          const text = v instanceof Date ? v.toISOString() : String(v);
          return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
        })
        .join(',')}}`,
    );
  throw new Error(`a prepared statement's parameter cannot be a ${typeof value}`);
}

/**
 * Runs the compiled query as a prepared statement on one connection of the pool (or PGlite's one). Inside
 * a transaction it runs as it is: a failed PREPARE there would end the transaction.
 */
export async function executePrepared<DB, R>(
  db: Kysely<DB>,
  query: CompiledQuery<R>,
): Promise<QueryResult<R>> {
  if (db.isTransaction) return db.executeQuery(query);
  const name = nameOf(query.sql);
  const args = query.parameters.map(literal).join(', ');
  return db.connection().execute((conn) =>
    conn.getExecutor().provideConnection(async (raw) => {
      const names = prepared.get(raw) ?? new Set<string>();
      prepared.set(raw, names);
      if (!names.has(name)) {
        if (names.size >= MOST_PER_CONNECTION) {
          await raw.executeQuery(statement('deallocate all'));
          names.clear();
        }
        try {
          await raw.executeQuery(statement(`prepare ${name} as ${query.sql}`));
        } catch (e) {
          if (sqlStateOf(e) !== DUPLICATE_PREPARED_STATEMENT) throw e;
        }
        names.add(name);
      }
      return raw.executeQuery<R>(statement(`execute ${name}${args ? `(${args})` : ''}`));
    }),
  );
}
