// Each team's worklists with their cohorts' rules, read at most every few seconds: the relationship rule
// needs them on every request. Making a worklist or changing a cohort in this process forgets them at
// once; another process sees the change within the time to live.
import { perDatabase, ShortLived } from '../access/short-lived.ts';

export const WORKLIST_CACHE_SECONDS = 10;

export interface TeamWorklists<Scope> {
  rows: { id: string; scope: string; scope_code: string; rules: unknown; updated_at: Date }[];
  scope: Scope | null;
}

export const teamWorklists = perDatabase(
  () => new ShortLived<TeamWorklists<unknown>>(WORKLIST_CACHE_SECONDS * 1000),
);

/** Call after making a worklist or changing a cohort's rules. */
export const forgetWorklists = (db: object) => teamWorklists(db).clear();
