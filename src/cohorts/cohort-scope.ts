// Where every cohort and worklist request starts: the place, the date its scores were computed for and
// the values its rules may use (made once per stratification run), and a rule tree checked against them.
import type { Kysely } from 'kysely';
import { checkCohortRules, type Group, type Vocabulary } from '../core/cohort-rules.ts';
import { AppError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import { cohortVocabulary } from './cohort.store.ts';
import { RecentAnswers, runKey } from './cohort-cache.ts';
import type { CohortContext } from './cohort-query.ts';

export type CohortScope = CohortContext & { vocabulary: Vocabulary; runKey: string };

const vocabularies = new RecentAnswers<Vocabulary>(20);

/** The place, its stratification date and its rule vocabulary; 404 or 503 when either is missing. */
export async function cohortScope(db: Kysely<Database>, placeId: string): Promise<CohortScope> {
  // The place and its run in one statement: every cohort and worklist request starts here.
  const found = await db
    .selectFrom('place')
    .leftJoin('stratification_run as run', 'run.place_id', 'place.id')
    .select(['run.as_of', 'run.computed_at'])
    .where('place.id', '=', placeId)
    .executeTakeFirst();
  if (!found) throw new AppError('not-found', `There is no place "${placeId}". Load its place pack first.`);
  const { as_of: asOf, computed_at: computedAt } = found;
  if (asOf === null || computedAt === null)
    throw new AppError(
      'unavailable',
      `${placeId} has no risk scores yet. Run "npx joinedup stratify --place ${placeId}" and try again.`,
    );
  const key = runKey(placeId, computedAt);
  const vocabulary = await vocabularies.get(key, () => cohortVocabulary(db, placeId));
  return { placeId, asOf, vocabulary, runKey: key };
}

/** Checks a rule tree, or throws a 400 naming the path of every problem. */
export function checkedRules(input: unknown, vocabulary: Vocabulary): Group {
  const checked = checkCohortRules(input, vocabulary);
  if (checked.ok) return checked.rules;
  throw new AppError(
    'invalid',
    checked.problems.length === 1
      ? `The cohort's rules have a problem: ${checked.problems[0]?.path} ${checked.problems[0]?.message}.`
      : `The cohort's rules have ${checked.problems.length} problems.`,
    checked.problems.map((p) => ({ diagnostics: `${p.path} ${p.message}`, expression: [p.path] })),
  );
}
