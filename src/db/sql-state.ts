// PostgreSQL's error codes (SQLSTATE), which both drivers, pg and PGlite, put on an error's `code`; the
// errors that mean the database could not be reached at all, and those of a database that answered but
// would not do the statement for now.

/** The SQLSTATE of a database error, or undefined for any other error. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An error refusing a value before it is sent, with the SQLSTATE the database would give it. */
export const refusedAs = (sqlState: string, message: string): Error =>
  Object.assign(new Error(message), { code: sqlState });

/**
 * The server refusing more connections (53300), shutting down or starting up (57P01–57P03), and the
 * network's own failures, its name lookups among them.
 */
const UNREACHABLE_CODES = new Set([
  '53300',
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What pg's pool says when a query has waited the connect timeout for a connection to come free. */
export const POOL_WAIT_EXPIRED = 'timeout exceeded when trying to connect';

/**
 * What the pg driver and its pool say, with no code, when the connection drops or never answers: the
 * server's socket closed, a connection not made in time (or no free one in time), and a connection
 * already broken being used again (as when a transaction is rolled back after its connection dropped).
 */
const UNREACHABLE_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'timeout expired',
  'Connection terminated due to connection timeout',
  POOL_WAIT_EXPIRED,
  'Client has encountered a connection error and is not queryable',
]);

/**
 * Whether an error means the database could not be reached or went away (connection exceptions,
 * SQLSTATE class 08, among them, but not 08P01, a protocol violation: a fault of the client's, such as
 * too many parameters), so trying again later may work. A connection lost while a transaction commits
 * leaves it unknown whether the commit was made.
 */
export function databaseUnreachable(error: unknown): boolean {
  const code = sqlStateOf(error);
  if (code !== undefined) return (code.startsWith('08') && code !== '08P01') || UNREACHABLE_CODES.has(code);
  return error instanceof Error && UNREACHABLE_MESSAGES.has(error.message);
}

/**
 * A database that answered but would not do the statement for now: full (53100), out of memory (53200),
 * at a configured limit (53400), read-only (25006, a standby or a server set read-only), a deadlock or
 * serialization failure (40P01, 40001), a lock not to be had (55P03), a statement cancelled (57014). The
 * statement's transaction is rolled back, so nothing it wrote is kept, and trying again later may work.
 */
const TURNED_AWAY_CODES = new Set(['53100', '53200', '53400', '25006', '40P01', '40001', '55P03', '57014']);

export const databaseTurnedAway = (error: unknown): boolean => TURNED_AWAY_CODES.has(sqlStateOf(error) ?? '');
