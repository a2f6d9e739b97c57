// PostgreSQL's error codes (SQLSTATE), which both drivers, pg and PGlite, put on an error's `code`.

/** The SQLSTATE of a database error, or undefined for any other error. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An error refusing a value before it is sent, with the SQLSTATE the database would give it. */
export const refusedAs = (sqlState: string, message: string): Error =>
  Object.assign(new Error(message), { code: sqlState });
