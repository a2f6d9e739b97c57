// A list of ids as one parameter: `= any($1::uuid[])`.
import { sql } from 'kysely';

/** `= any($1::uuid[])`: one parameter however many ids, so long lists plan as quickly as short ones. */
export const anyOf = (ids: readonly string[]) => sql<string>`any(${[...new Set(ids)]}::uuid[])`;
