// Case-finding worklists' SQL. A worklist is a saved cohort narrowed to one team's footprint (an INT's
// neighbourhood or a GP practice), plus the people its members nominated. Decisions are kept as
// history; a person's newest decision counts, and takes them off the list until its review date.
import { randomUUID } from 'node:crypto';
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Group, MemberSort } from '../core/cohort-rules.ts';
import type { Database, WorklistDecisionKind } from '../db/database.ts';
import { MEMBER_COLUMNS } from './cohort.store.ts';
import { RecentAnswers } from './cohort-cache.ts';
import { type CohortContext, cohortCondition, SORTS } from './cohort-query.ts';

type Db = Kysely<Database>;

export type WorklistStatus = 'to-review' | 'decided';
export type Worklist = NonNullable<Awaited<ReturnType<typeof findWorklist>>>;

/** Worklists with their cohort and the name of the team's footprint (neighbourhood or practice). */
function worklists(db: Db, placeId: string) {
  return db
    .selectFrom('worklist')
    .innerJoin('cohort', 'cohort.id', 'worklist.cohort_id')
    .leftJoin('neighbourhood', (join) =>
      join
        .onRef('neighbourhood.place_id', '=', 'worklist.place_id')
        .onRef('neighbourhood.code', '=', 'worklist.scope_code')
        .on('worklist.scope', '=', 'neighbourhood'),
    )
    .leftJoin('practice', (join) =>
      join
        .onRef('practice.place_id', '=', 'worklist.place_id')
        .onRef('practice.ods_code', '=', 'worklist.scope_code')
        .on('worklist.scope', '=', 'practice'),
    )
    .select((eb) => [
      'worklist.id',
      'worklist.place_id',
      'worklist.cohort_id',
      'worklist.name',
      'worklist.scope',
      'worklist.scope_code',
      eb.fn.coalesce('neighbourhood.name', 'practice.name', 'worklist.scope_code').as('scope_name'),
      'worklist.created_by',
      'worklist.created_at',
      'cohort.name as cohort_name',
      'cohort.rules',
    ])
    .where('worklist.place_id', '=', placeId);
}

type WorklistFilter = (eb: ExpressionBuilder<Database, 'worklist'>) => Expression<SqlBool>;

/** A worklist of the place, among those the filter allows (the viewer's own team's). */
export function findWorklist(db: Db, placeId: string, id: string, allowed: WorklistFilter) {
  return worklists(db, placeId).where('worklist.id', '=', id).where(allowed).executeTakeFirst();
}

export function listWorklists(db: Db, placeId: string, allowed: WorklistFilter) {
  return worklists(db, placeId).where(allowed).orderBy('worklist.created_at', 'desc').execute();
}

export async function createWorklist(
  db: Db,
  w: {
    placeId: string;
    cohortId: string;
    name: string;
    scope: 'neighbourhood' | 'practice';
    scopeCode: string;
    createdBy: string;
  },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('worklist')
    .values({
      id,
      place_id: w.placeId,
      cohort_id: w.cohortId,
      name: w.name,
      scope: w.scope,
      scope_code: w.scopeCode,
      created_by: w.createdBy,
    })
    .execute();
  return id;
}

/** Each person's newest decision on the worklist. */
function latestDecisions(db: Db, worklistId: string) {
  return db
    .selectFrom('worklist_decision')
    .distinctOn('worklist_decision.person_id')
    .select([
      'worklist_decision.person_id',
      'worklist_decision.decision',
      'worklist_decision.reason',
      'worklist_decision.review_date',
      'worklist_decision.decided_by',
      'worklist_decision.decided_at',
    ])
    .where('worklist_decision.worklist_id', '=', worklistId)
    .orderBy('worklist_decision.person_id')
    .orderBy('worklist_decision.decided_at', 'desc')
    .orderBy('worklist_decision.id', 'desc');
}

/** The worklist's cohort within the team's footprint (an INT's neighbourhood or a practice). */
function inCohortAndFootprint(worklist: Worklist, rules: Group, ctx: CohortContext) {
  return (eb: ExpressionBuilder<Database, 'person_risk'>) =>
    eb.and([
      cohortCondition(rules, ctx)(eb),
      eb(
        worklist.scope === 'neighbourhood' ? 'person_risk.neighbourhood_code' : 'person_risk.practice_code',
        '=',
        worklist.scope_code,
      ),
    ]);
}

/** The worklist's people: the cohort within the team's footprint, and everyone nominated. */
function worklistPeople(db: Db, worklist: Worklist, rules: Group, ctx: CohortContext) {
  return (
    db
      .selectFrom('person_risk')
      .innerJoin('person', 'person.id', 'person_risk.person_id')
      .leftJoin(latestDecisions(db, worklist.id).as('d'), 'd.person_id', 'person_risk.person_id')
      .leftJoin('worklist_nomination as n', (join) =>
        join.onRef('n.person_id', '=', 'person_risk.person_id').on('n.worklist_id', '=', worklist.id),
      )
      // Nominations by a subquery, not the joined row: a condition on person_risk alone is applied as the
      // place's risk rows are read, before any join (with `n.person_id is not null`, every resident of the
      // place was joined to their person row first, and only then filtered).
      .where((eb) =>
        eb.or([
          inCohortAndFootprint(worklist, rules, ctx)(eb),
          eb(
            'person_risk.person_id',
            'in',
            eb.selectFrom('worklist_nomination').select('person_id').where('worklist_id', '=', worklist.id),
          ),
        ]),
      )
      .where('person_risk.place_id', '=', ctx.placeId)
  );
}

const statusCondition = (status: WorklistStatus, today: string) =>
  status === 'to-review'
    ? sql<boolean>`(d.person_id is null or d.review_date <= ${today}::date)`
    : sql<boolean>`(d.person_id is not null and d.review_date > ${today}::date)`;

/**
 * The cohort's people within each footprint, as ids, per stratification run and rule set: they change
 * only when the scores do, and reading them is a pass over every resident's scores (tens of
 * milliseconds), while the rest of a worklist's counts is a few rows. A person record removed after the
 * ids were read stays counted until the next run (only a synthetic population being replaced removes
 * people, and it is stratified straight after).
 */
const footprintPeople = new RecentAnswers<ReadonlySet<string>>(30);

/**
 * How many people are to review, decided (until their review date) and nominated: the people the
 * worklist's pages list. The cohort within the footprint is found once a run (footprintPeople); the
 * decisions and nominations are read each time.
 */
export async function worklistCounts(
  db: Db,
  worklist: Worklist,
  rules: Group,
  ctx: CohortContext & { readonly runKey: string },
  today: string,
) {
  const key = `${ctx.runKey}|${worklist.scope}|${worklist.scope_code}|${JSON.stringify(rules)}`;
  const [inFootprint, marks] = await Promise.all([
    footprintPeople.get(key, async () => {
      const rows = await db
        .selectFrom('person_risk')
        .innerJoin('person', 'person.id', 'person_risk.person_id')
        .select('person_risk.person_id')
        .where(inCohortAndFootprint(worklist, rules, ctx))
        .where('person_risk.place_id', '=', ctx.placeId)
        .execute();
      return new Set(rows.map((r) => r.person_id));
    }),
    db
      .selectNoFrom((eb) => [
        // Nominated people with scores in the place: on the list wherever they live.
        eb.fn
          .coalesce(
            eb
              .selectFrom('worklist_nomination as n')
              .select(sql<string[]>`array_agg(n.person_id)`.as('ids'))
              .where('n.worklist_id', '=', worklist.id)
              .where((w) =>
                w.exists(
                  w
                    .selectFrom('person_risk')
                    .innerJoin('person', 'person.id', 'person_risk.person_id')
                    .select('person_risk.person_id')
                    .whereRef('person_risk.person_id', '=', 'n.person_id')
                    .where('person_risk.place_id', '=', ctx.placeId),
                ),
              ),
            sql<string[]>`'{}'::uuid[]`,
          )
          .as('nominated'),
        // People whose newest decision keeps them off the list today.
        eb.fn
          .coalesce(
            eb
              .selectFrom(latestDecisions(db, worklist.id).as('d'))
              .select(sql<string[]>`array_agg(d.person_id)`.as('ids'))
              .where(statusCondition('decided', today)),
            sql<string[]>`'{}'::uuid[]`,
          )
          .as('decided'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  const nominated = new Set(marks.nominated);
  const onList = (id: string) => inFootprint.has(id) || nominated.has(id);
  const people = inFootprint.size + marks.nominated.filter((id) => !inFootprint.has(id)).length;
  const decided = marks.decided.filter(onList).length;
  return { toReview: people - decided, decided, nominated: nominated.size };
}

function worklistRows(db: Db, worklist: Worklist, rules: Group, ctx: CohortContext) {
  return worklistPeople(db, worklist, rules, ctx).select([
    ...MEMBER_COLUMNS,
    'd.decision',
    'd.reason as decision_reason',
    'd.review_date',
    'd.decided_by',
    'd.decided_at',
    'n.reason as nomination_reason',
    'n.nominated_by',
  ]);
}

export type WorklistRow = Awaited<ReturnType<ReturnType<typeof worklistRows>['execute']>>[number];

export async function worklistPage(
  db: Db,
  worklist: Worklist,
  rules: Group,
  ctx: CohortContext,
  options: {
    status: WorklistStatus;
    today: string;
    page: number;
    pageSize: number;
    sort: MemberSort;
    direction: 'asc' | 'desc';
  },
) {
  let query = worklistRows(db, worklist, rules, ctx).where(statusCondition(options.status, options.today));
  for (const column of SORTS[options.sort]) query = query.orderBy(`person_risk.${column}`, options.direction);
  return query
    .orderBy('person_risk.person_id')
    .limit(options.pageSize)
    .offset((options.page - 1) * options.pageSize)
    .execute();
}

/** One person on the worklist (in the cohort and footprint, or nominated), whatever their status. */
export function worklistPerson(
  db: Db,
  worklist: Worklist,
  rules: Group,
  ctx: CohortContext,
  personId: string,
) {
  return worklistRows(db, worklist, rules, ctx)
    .where('person_risk.person_id', '=', personId)
    .executeTakeFirst();
}

export async function recordDecision(
  db: Db,
  d: {
    worklistId: string;
    personId: string;
    decision: WorklistDecisionKind;
    reason: string;
    reviewDate: string;
    decidedBy: string;
  },
) {
  const id = randomUUID();
  await db
    .insertInto('worklist_decision')
    .values({
      id,
      worklist_id: d.worklistId,
      person_id: d.personId,
      decision: d.decision,
      reason: d.reason,
      review_date: d.reviewDate,
      decided_by: d.decidedBy,
    })
    .execute();
  return id;
}

export function decisionHistory(db: Db, worklistId: string, personId: string) {
  return db
    .selectFrom('worklist_decision')
    .select(['id', 'decision', 'reason', 'review_date', 'decided_by', 'decided_at'])
    .where('worklist_id', '=', worklistId)
    .where('person_id', '=', personId)
    .orderBy('decided_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Nominates a resident; false when they were already nominated (the table allows it once). */
export async function nominate(
  db: Db,
  n: { worklistId: string; personId: string; reason: string; nominatedBy: string },
): Promise<boolean> {
  const result = await db
    .insertInto('worklist_nomination')
    .values({
      id: randomUUID(),
      worklist_id: n.worklistId,
      person_id: n.personId,
      reason: n.reason,
      nominated_by: n.nominatedBy,
    })
    .onConflict((oc) => oc.columns(['worklist_id', 'person_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** A living, stratified resident of the place, found by NHS number. */
export function residentByNhsNumber(db: Db, placeId: string, nhsNumber: string) {
  return db
    .selectFrom('person')
    .innerJoin('person_risk', 'person_risk.person_id', 'person.id')
    .select(['person.id', 'person.given_name', 'person.family_name'])
    .where('person.place_id', '=', placeId)
    .where('person.nhs_number', '=', nhsNumber)
    .executeTakeFirst();
}
