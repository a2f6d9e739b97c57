// PostgreSQL's error codes (SQLSTATE), which both drivers, pg and PGlite, put on an error's `code`, and
// the errors that mean the database could not be reached at all.

/** The SQLSTATE of a database error, or undefined for any other error. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An error refusing a value before it is sent, with the SQLSTATE the database would give it. */
export const refusedAs = (sqlState: string, message: string): Error =>
  Object.assign(new Error(message), { code: sqlState });

/** The server shutting down or starting up (57P01–57P03), and the network's own failures. */
const UNREACHABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * What the pg driver and its pool say, with no code, when the connection drops or never answers: the
 * server's socket closed, a connection not made in time (or no free one in time), and a connection
 * already broken being used again (as when a transaction is rolled back after its connection dropped).
 */
const UNREACHABLE_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * Whether an error means the database could not be reached or went away (connection exceptions,
 * SQLSTATE class 08, among them): nothing was committed by the statement that failed, and trying again
 * later may work.
 */
export function databaseUnreachable(error: unknown): boolean {
  const code = sqlStateOf(error);
  if (code !== undefined) return code.startsWith('08') || UNREACHABLE_CODES.has(code);
  return error instanceof Error && UNREACHABLE_MESSAGES.has(error.message);
}
