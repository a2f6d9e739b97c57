// Cohorts' SQL: the vocabulary rules may use, counts and breakdowns, paged members, saved cohorts.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PersonCondition } from '../access/relationship.ts';
import type { Group, MemberSort, Vocabulary } from '../core/cohort-rules.ts';
import { anyOf } from '../db/any-of.ts';
import type { Database } from '../db/database.ts';
import { executePrepared } from '../db/prepared.ts';
import { CLINICAL_AREAS } from '../risk/core20plus5.ts';
import { SEGMENTS } from '../risk/segments.ts';
import { type CohortContext, cohortCondition, SORTS } from './cohort-query.ts';

type Db = Kysely<Database>;

const BANDS = {
  efiBand: [
    ['fit', 'Fit'],
    ['mild', 'Mild frailty'],
    ['moderate', 'Moderate frailty'],
    ['severe', 'Severe frailty'],
  ],
  hfrsBand: [
    ['low', 'Low risk (under 5)'],
    ['intermediate', 'Intermediate risk (5 to 15)'],
    ['high', 'High risk (over 15)'],
  ],
  charlsonBand: [
    ['0', '0'],
    ['1-2', '1 to 2'],
    ['3-4', '3 to 4'],
    ['5+', '5 or more'],
  ],
  sex: [
    ['female', 'Female'],
    ['male', 'Male'],
  ],
} as const;

const options = (pairs: readonly (readonly [string, string])[]) =>
  pairs.map(([value, label]) => ({ value, label }));

/** The values each choice and list field can take in this place. */
export async function cohortVocabulary(db: Db, placeId: string): Promise<Vocabulary> {
  const [neighbourhoods, wards, lsoas, practices, conditions] = await Promise.all([
    db
      .selectFrom('neighbourhood')
      .select(['code', 'name'])
      .where('place_id', '=', placeId)
      .orderBy('sort_order')
      .execute(),
    db.selectFrom('ward').select(['code', 'name']).where('place_id', '=', placeId).orderBy('name').execute(),
    db.selectFrom('lsoa').select(['code', 'name']).where('place_id', '=', placeId).orderBy('name').execute(),
    db
      .selectFrom('practice')
      .select(['ods_code as code', 'name'])
      .where('place_id', '=', placeId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('risk_code')
      .select(['item', 'label'])
      .distinct()
      .where('model', '=', 'ltc')
      .orderBy('label')
      .execute(),
  ]);
  const named = (rows: { code: string; name: string }[]) =>
    rows.map((r) => ({ value: r.code, label: r.name }));
  return {
    sex: options(BANDS.sex),
    neighbourhood: named(neighbourhoods),
    ward: named(wards),
    lsoa: lsoas.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` })),
    practice: practices.map((p) => ({ value: p.code, label: `${p.name} (${p.code})` })),
    clinicalArea: CLINICAL_AREAS.map((a) => ({ value: a.id, label: a.label })),
    condition: conditions.map((c) => ({ value: c.item, label: c.label })),
    segment: SEGMENTS.map((s) => ({ value: s.id, label: s.label })),
    efiBand: options(BANDS.efiBand),
    hfrsBand: options(BANDS.hfrsBand),
    charlsonBand: options(BANDS.charlsonBand),
  };
}

/**
 * The cohort's residents by neighbourhood and deprivation quintile, for planning: people with a
 * national data opt-out or a type 1 objection are left out. The total is the cells' sum; both are
 * true counts, to be disclosed by the small-number rule before anyone sees them.
 */
export async function cohortBreakdown(db: Db, rules: Group, ctx: CohortContext) {
  const rows = await db
    .selectFrom('person_risk')
    .select(['neighbourhood_code', 'imd_quintile', (eb) => eb.fn.countAll<number>().as('people')])
    .where(cohortCondition(rules, ctx))
    .where('planning_opt_out', '=', false)
    .groupBy(['neighbourhood_code', 'imd_quintile'])
    .orderBy('neighbourhood_code')
    .orderBy('imd_quintile')
    .execute();
  return { total: rows.reduce((sum, r) => sum + r.people, 0), cells: rows };
}

/** What a member list shows of each person: who they are, where, and their scores. */
export const MEMBER_COLUMNS = [
  'person_risk.person_id',
  'person.given_name',
  'person.family_name',
  'person.nhs_number',
  'person.date_of_birth',
  'person_risk.age',
  'person_risk.sex',
  'person_risk.neighbourhood_code',
  'person_risk.practice_code',
  'person_risk.imd_decile',
  'person_risk.segment',
  'person_risk.efi_band',
  'person_risk.efi_deficits',
  'person_risk.hfrs_score',
  'person_risk.hfrs_band',
  'person_risk.charlson_score',
  'person_risk.ltc_count',
  'person_risk.ed_12m',
  'person_risk.emergency_12m',
] as const;

export type MembersPage = { page: number; pageSize: number; sort: MemberSort; direction: 'asc' | 'desc' };

function orderedMembers(
  db: Db,
  rules: Group,
  ctx: CohortContext,
  visible: PersonCondition,
  sort: MembersPage['sort'],
  direction: 'asc' | 'desc',
) {
  let query = db
    .selectFrom('person_risk')
    .innerJoin('person', 'person.id', 'person_risk.person_id')
    .where(cohortCondition(rules, ctx))
    .where(visible);
  for (const column of SORTS[sort]) query = query.orderBy(`person_risk.${column}`, direction);
  return query.orderBy('person_risk.person_id');
}

/**
 * One page of the cohort's members, highest risk first by default; ties broken by person id. Walks the
 * risk-order index, which suits large cohorts; for small ones see cohortMemberIds.
 */
export async function cohortMembers(
  db: Db,
  rules: Group,
  ctx: CohortContext,
  visible: PersonCondition,
  paging: MembersPage,
) {
  return orderedMembers(db, rules, ctx, visible, paging.sort, paging.direction)
    .select(MEMBER_COLUMNS)
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize)
    .execute();
}

/** Every member's id in order: for a small cohort, found once and then paged by id. */
export async function cohortMemberIds(
  db: Db,
  rules: Group,
  ctx: CohortContext,
  visible: PersonCondition,
  sort: MembersPage['sort'],
  direction: 'asc' | 'desc',
) {
  const rows = await orderedMembers(db, rules, ctx, visible, sort, direction)
    .select('person_risk.person_id')
    .execute();
  return rows.map((r) => r.person_id);
}

/** How many members the viewer may see. */
export async function countMembers(db: Db, rules: Group, ctx: CohortContext, visible: PersonCondition) {
  const row = await db
    .selectFrom('person_risk')
    .innerJoin('person', 'person.id', 'person_risk.person_id')
    .where(cohortCondition(rules, ctx))
    .where(visible)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The members with these ids, in the order given. */
export async function membersByIds(db: Db, placeId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  // Prepared, with the ids as one parameter: one plan for every page (planning it took as long as
  // running it on the embedded database).
  const { rows } = await executePrepared(
    db,
    db
      .selectFrom('person_risk')
      .innerJoin('person', 'person.id', 'person_risk.person_id')
      .select(MEMBER_COLUMNS)
      .where('person_risk.place_id', '=', placeId)
      .where('person_risk.person_id', '=', anyOf(ids))
      .compile(),
  );
  const position = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((x, y) => (position.get(x.person_id) ?? 0) - (position.get(y.person_id) ?? 0));
}

export type CohortMember = Awaited<ReturnType<typeof cohortMembers>>[number];

/** Cohorts with what decides who may change one: who saved it, and how many worklists are made from it. */
function cohorts(db: Db, placeId: string) {
  return db
    .selectFrom('cohort')
    .leftJoin('staff_user as saver', 'saver.id', 'cohort.saved_by')
    .selectAll('cohort')
    .select(['saver.display_name as saver_name', 'saver.role as saver_role'])
    .select((eb) =>
      eb
        .selectFrom('worklist')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('worklist.cohort_id', '=', 'cohort.id')
        .as('worklists'),
    )
    .where('cohort.place_id', '=', placeId);
}

export function listCohorts(db: Db, placeId: string) {
  return cohorts(db, placeId).orderBy('cohort.updated_at', 'desc').execute();
}

export function findCohort(db: Db, placeId: string, id: string) {
  return cohorts(db, placeId).where('cohort.id', '=', id).executeTakeFirst();
}

/** Saves a new cohort: the row as saved, in the same statement. */
export function saveCohort(
  db: Db,
  placeId: string,
  cohort: { name: string; owner: string; rules: Group; savedBy: string },
) {
  return db
    .insertInto('cohort')
    .values({
      id: randomUUID(),
      place_id: placeId,
      name: cohort.name,
      owner: cohort.owner,
      rules: JSON.stringify(cohort.rules),
      saved_by: cohort.savedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Changes a cohort's name and rules, if `by` may (they saved it, or no one is recorded) and no worklist
 * is made from it: the row as changed, in the same statement, or undefined if there is no such cohort
 * they may change.
 */
export function updateCohort(
  db: Db,
  placeId: string,
  id: string,
  cohort: { name: string; rules: Group },
  by: { id: string; label: string },
) {
  return db
    .updateTable('cohort')
    .set({
      name: cohort.name,
      rules: JSON.stringify(cohort.rules),
      updated_at: new Date(),
      changed_by: by.label,
    })
    .where('place_id', '=', placeId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('saved_by', 'is', null), eb('saved_by', '=', by.id)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('worklist').select('worklist.id').whereRef('worklist.cohort_id', '=', 'cohort.id')),
      ),
    )
    .returningAll()
    .executeTakeFirst();
}
