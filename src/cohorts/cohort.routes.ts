// HTTP for cohorts: the fields rules can use, a live count, saved cohorts, paged members and CSV.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Access, accessOf, staffLabel } from '../access/access.plugin.ts';
import { discloseTable } from '../access/disclosure.ts';
import { allows, ruleFor } from '../access/matrix.ts';
import { anyRelationship, relationshipsKey } from '../access/relationship.ts';
import type { Staff } from '../access/session.store.ts';
import {
  ACTIVITY_KINDS,
  ACTIVITY_LABELS,
  ACTIVITY_MONTHS,
  describeRules,
  FIELDS,
  type Group,
  MEMBER_SORT_LABELS,
  MEMBER_SORTS,
  OPERATOR_LABELS,
  OPERATORS,
  type Vocabulary,
} from '../core/cohort-rules.ts';
import { AppError } from '../core/errors.ts';
import {
  breakdown as breakdownSchema,
  cohortDetail,
  cohortFields,
  cohortIdParam,
  cohortInput,
  cohortList,
  cohortUpdate,
  membersPage,
  membersQuery,
  rulesInput,
} from '../core/schemas/cohort.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import {
  cohortBreakdown,
  cohortMemberIds,
  cohortMembers,
  countMembers,
  findCohort,
  listCohorts,
  membersByIds,
  saveCohort,
  updateCohort,
} from './cohort.store.ts';
import { RecentAnswers } from './cohort-cache.ts';
import { type CohortScope, checkedRules, cohortScope } from './cohort-scope.ts';
import { memberOut, membersCsv, practiceLabel } from './members-out.ts';
import { forgetWorklists } from './worklist-cache.ts';

const errors = { 400: operationOutcome, 404: operationOutcome, 503: operationOutcome };
const tags = ['Cohorts'];
/** The most members one CSV export may hold: a larger list is not a case-finding list. */
export const CSV_EXPORT_LIMIT = 20_000;

const breakdowns = new RecentAnswers<Awaited<ReturnType<typeof cohortBreakdown>>>(500);
const memberIdLists = new RecentAnswers<string[]>(30);
/** Cohorts up to this size are sorted once and then paged by id (30 lists of 50,000 ids is under 100 MB). */
const SMALL_COHORT = 50_000;

/** The cohort's breakdown, computed once per rule set and stratification run. */
export function cachedBreakdown(db: Kysely<Database>, rules: Group, scope: CohortScope) {
  return breakdowns.get(`${scope.runKey}${JSON.stringify(rules)}`, () => cohortBreakdown(db, rules, scope));
}

type CohortRow = NonNullable<Awaited<ReturnType<typeof findCohort>>>;

const CHANGE_RULE = ruleFor('PUT', '/api/places/:placeId/cohorts/:cohortId');
const BUILD_NEW = 'Build a new cohort to use different rules.';

/**
 * Why this staff member may not change the cohort's rules, in words, or null if they may. The rules
 * decide who is on every worklist made from the cohort: once one is made they stay as they are (the
 * people on it were found by them), and before, only whoever saved the cohort may change them (cohorts
 * saved before savers were recorded are open to anyone who builds cohorts).
 */
function cannotChange(
  c: Pick<CohortRow, 'saved_by' | 'saver_name' | 'saver_role' | 'worklists'>,
  staff: Staff,
): string | null {
  if (CHANGE_RULE === undefined || !allows(CHANGE_RULE, staff.role))
    return 'Your role does not change cohorts.';
  if (Number(c.worklists) > 0)
    return `Worklists are made from this cohort, so its rules stay as they are: the people on those lists were found by them. ${BUILD_NEW}`;
  if (c.saved_by !== null && c.saved_by !== staff.id) {
    const saver =
      c.saver_name && c.saver_role
        ? `${staffLabel({ name: c.saver_name, role: c.saver_role })}, who`
        : 'the person who';
    return `Only ${saver} saved this cohort can change its rules. ${BUILD_NEW}`;
  }
  return null;
}

function summaryOut(
  c: Pick<
    CohortRow,
    | 'id'
    | 'name'
    | 'owner'
    | 'rules'
    | 'created_at'
    | 'updated_at'
    | 'saved_by'
    | 'changed_by'
    | 'saver_name'
    | 'saver_role'
    | 'worklists'
  >,
  vocabulary: Vocabulary,
  viewer: Staff,
) {
  return {
    id: c.id,
    name: c.name,
    owner: c.owner,
    description: describeRules(c.rules as Group, vocabulary),
    createdAt: new Date(c.created_at).toISOString(),
    updatedAt: new Date(c.updated_at).toISOString(),
    changedBy: c.changed_by,
    cannotChange: cannotChange(c, viewer),
  };
}

export const PLANNING_NOTE =
  'For planning: people who have opted out of their data being used for planning (national data opt-out or type 1 objection) are not counted, and counts are rounded to the nearest 5 with 1 to 7 shown as *.';

/** A planning count as it may be shown: opt-outs already left out, then the small-number rule. */
function breakdownOut(b: Awaited<ReturnType<typeof cohortBreakdown>>, scope: CohortScope) {
  const neighbourhoods = scope.vocabulary.neighbourhood?.map((n) => n.value) ?? [
    ...new Set(b.cells.map((c) => c.neighbourhood_code)),
  ];
  const quintiles = [1, 2, 3, 4, 5];
  const count = new Map(b.cells.map((c) => [`${c.neighbourhood_code}|${c.imd_quintile}`, c.people]));
  const table = discloseTable(neighbourhoods.map((n) => quintiles.map((q) => count.get(`${n}|${q}`) ?? 0)));
  return {
    purpose: 'planning' as const,
    note: PLANNING_NOTE,
    total: table.total,
    cells: table.cells.flatMap((row, i) =>
      row.map((people, j) => ({ neighbourhood: neighbourhoods[i] ?? '', quintile: j + 1, people })),
    ),
    neighbourhoodTotals: table.rowTotals.map((people, i) => ({
      neighbourhood: neighbourhoods[i] ?? '',
      people,
    })),
    quintileTotals: table.columnTotals.map((people, j) => ({ quintile: j + 1, people })),
  };
}

/** Only members the viewer has a legitimate relationship with are listed (direct care, so opt-outs stay). */
async function membersVisibleTo(access: Access) {
  // Break-glass opens one record in an emergency, never a list.
  const relationships = (await access.relationships()).filter((r) => r.name !== 'break-glass');
  return {
    visible: anyRelationship(relationships),
    key: `${access.staff.id}|${relationshipsKey(relationships)}`,
  };
}

function auditMembers(
  access: Access,
  members: readonly { person_id: string }[],
  action: 'search' | 'export',
) {
  access.audit({
    action,
    personIds: members.map((m) => m.person_id),
    purpose: 'direct-care',
    relationship: 'cohort member with a relationship',
    outcome: 'allowed',
  });
}

export function cohortRoutes(app: App, db: Kysely<Database>): void {
  const placeParams = z.object({ placeId: placeIdParam });
  const cohortParams = z.object({ placeId: placeIdParam, cohortId: cohortIdParam });

  async function loadCohort(placeId: string, cohortId: string) {
    const scope = await cohortScope(db, placeId);
    const cohort = await findCohort(db, placeId, cohortId);
    if (!cohort) throw new AppError('not-found', 'There is no such cohort in this place.');
    return { scope, cohort, rules: checkedRules(cohort.rules, scope.vocabulary) };
  }

  app.get(
    '/api/places/:placeId/cohort-fields',
    {
      schema: {
        tags,
        summary: 'The fields a cohort rule can use, with their operators and allowed values',
        params: placeParams,
        response: { 200: cohortFields, ...errors },
      },
    },
    async (req) => {
      const scope = await cohortScope(db, req.params.placeId);
      return {
        asOf: scope.asOf,
        fields: FIELDS.map((f) => ({
          ...f,
          operators: OPERATORS[f.type].map((o) => ({ value: o, label: OPERATOR_LABELS[o] })),
          ...(scope.vocabulary[f.field] ? { options: [...(scope.vocabulary[f.field] ?? [])] } : {}),
        })),
        activities: ACTIVITY_KINDS.map((k) => ({ value: k, label: ACTIVITY_LABELS[k] })),
        activityMonths: [...ACTIVITY_MONTHS],
        sorts: MEMBER_SORTS.map((s) => ({ value: s, label: MEMBER_SORT_LABELS[s] })),
      };
    },
  );

  app.post(
    '/api/places/:placeId/cohorts/preview',
    {
      // A count, sent by POST for its rules: nothing to keep under an Idempotency-Key.
      config: { readsOnly: true },
      schema: {
        tags,
        summary: 'Count the residents who meet a set of rules, by neighbourhood and deprivation quintile',
        params: placeParams,
        body: rulesInput,
        response: {
          200: z.object({ asOf: z.string(), description: z.string(), breakdown: breakdownSchema }),
          ...errors,
        },
      },
    },
    async (req) => {
      const scope = await cohortScope(db, req.params.placeId);
      const rules = checkedRules(req.body.rules, scope.vocabulary);
      return {
        asOf: scope.asOf,
        description: describeRules(rules, scope.vocabulary),
        breakdown: breakdownOut(await cachedBreakdown(db, rules, scope), scope),
      };
    },
  );

  app.get(
    '/api/places/:placeId/cohorts',
    {
      schema: {
        tags,
        summary: 'Saved cohorts, newest first',
        params: placeParams,
        response: { 200: cohortList, ...errors },
      },
    },
    async (req) => {
      const scope = await cohortScope(db, req.params.placeId);
      const cohorts = await listCohorts(db, req.params.placeId);
      return { cohorts: cohorts.map((c) => summaryOut(c, scope.vocabulary, accessOf(req).staff)) };
    },
  );

  app.post(
    '/api/places/:placeId/cohorts',
    {
      schema: {
        tags,
        summary: 'Save a cohort with a name and owner',
        params: placeParams,
        body: cohortInput,
        response: { 201: cohortDetail, ...errors },
      },
    },
    async (req, reply) => {
      const scope = await cohortScope(db, req.params.placeId);
      const rules = checkedRules(req.body.rules, scope.vocabulary);
      const owner = req.body.owner ?? staffLabel(accessOf(req).staff);
      // Counted first: once the cohort is saved, nothing is left to fail but the answer.
      const breakdown = breakdownOut(await cachedBreakdown(db, rules, scope), scope);
      const { staff } = accessOf(req);
      const cohort = await saveCohort(db, scope.placeId, {
        name: req.body.name,
        owner,
        rules,
        savedBy: staff.id,
      });
      reply.code(201).header('Location', `/api/places/${scope.placeId}/cohorts/${cohort.id}`);
      return {
        cohort: {
          // Just saved by the viewer, with no worklist yet.
          ...summaryOut(
            { ...cohort, saver_name: staff.name, saver_role: staff.role, worklists: 0 },
            scope.vocabulary,
            staff,
          ),
          rules: cohort.rules as Record<string, unknown>,
        },
        asOf: scope.asOf,
        breakdown,
      };
    },
  );

  app.get(
    '/api/places/:placeId/cohorts/:cohortId',
    {
      schema: {
        tags,
        summary: 'A saved cohort with its count by neighbourhood and deprivation quintile',
        params: cohortParams,
        response: { 200: cohortDetail, ...errors },
      },
    },
    async (req) => {
      const { scope, cohort, rules } = await loadCohort(req.params.placeId, req.params.cohortId);
      return {
        cohort: {
          ...summaryOut(cohort, scope.vocabulary, accessOf(req).staff),
          rules: cohort.rules as Record<string, unknown>,
        },
        asOf: scope.asOf,
        breakdown: breakdownOut(await cachedBreakdown(db, rules, scope), scope),
      };
    },
  );

  app.put(
    '/api/places/:placeId/cohorts/:cohortId',
    {
      schema: {
        tags,
        summary: "Change a saved cohort's name or rules",
        params: cohortParams,
        body: cohortUpdate,
        response: { 200: cohortDetail, ...errors },
      },
    },
    async (req) => {
      const { staff } = accessOf(req);
      const scope = await cohortScope(db, req.params.placeId);
      const rules = checkedRules(req.body.rules, scope.vocabulary);
      const refusal = async () => {
        const found = await findCohort(db, scope.placeId, req.params.cohortId);
        if (!found) return new AppError('not-found', 'There is no such cohort in this place.');
        const why = cannotChange(found, staff);
        return why === null ? null : new AppError('forbidden', why);
      };
      const refused = await refusal();
      if (refused) throw refused;
      // Counted first: once the cohort is changed, nothing is left to fail but the answer.
      const breakdown = breakdownOut(await cachedBreakdown(db, rules, scope), scope);
      const cohort = await updateCohort(
        db,
        scope.placeId,
        req.params.cohortId,
        { name: req.body.name, rules },
        { id: staff.id, label: staffLabel(staff) },
      );
      forgetWorklists(db);
      // Changed meanwhile (a worklist made from it, say): the reason as it stands now.
      if (!cohort)
        throw (await refusal()) ?? new Error('the cohort could not be changed, for no reason found');
      return {
        cohort: {
          // Changed by the viewer, so theirs to change, with no worklist made from it.
          ...summaryOut(
            { ...cohort, saver_name: null, saver_role: null, worklists: 0 },
            scope.vocabulary,
            staff,
          ),
          rules: cohort.rules as Record<string, unknown>,
        },
        asOf: scope.asOf,
        breakdown,
      };
    },
  );

  app.get(
    '/api/places/:placeId/cohorts/:cohortId/members',
    {
      schema: {
        tags,
        summary: "A page of the cohort's members, highest risk first unless another order is asked for",
        params: cohortParams,
        querystring: membersQuery,
        response: { 200: membersPage, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { scope, rules } = await loadCohort(req.params.placeId, req.params.cohortId);
      const { page, pageSize, sort, direction } = req.query;
      const { visible, key } = await membersVisibleTo(access);
      const ids = await memberIdLists.get(
        `${scope.runKey}${key}|${sort}|${direction}|${JSON.stringify(rules)}`,
        () => cohortMemberIds(db, rules, scope, visible, sort, direction),
      );
      // A list of members the viewer may see beyond the size a worklist holds is paged along the
      // risk-order index instead of by id.
      const members =
        ids.length <= SMALL_COHORT
          ? await membersByIds(db, scope.placeId, ids.slice((page - 1) * pageSize, page * pageSize))
          : await cohortMembers(db, rules, scope, visible, req.query);
      auditMembers(access, members, 'search');
      const practice = practiceLabel(scope.vocabulary);
      return { total: ids.length, ...req.query, members: members.map((m) => memberOut(m, practice)) };
    },
  );

  app.get(
    '/api/places/:placeId/cohorts/:cohortId/members.csv',
    {
      schema: {
        tags,
        summary: `Every member as CSV (at most ${CSV_EXPORT_LIMIT.toLocaleString('en-GB')}), highest risk first`,
        params: cohortParams,
        response: { 200: z.string(), ...errors, 413: operationOutcome },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { scope, cohort, rules } = await loadCohort(req.params.placeId, req.params.cohortId);
      const { visible } = await membersVisibleTo(access);
      const total = await countMembers(db, rules, scope, visible);
      if (total > CSV_EXPORT_LIMIT)
        throw new AppError(
          'too-large',
          `This cohort has ${total.toLocaleString('en-GB')} members; a CSV export can hold at most ${CSV_EXPORT_LIMIT.toLocaleString('en-GB')}. Narrow the rules first.`,
        );
      const members = await cohortMembers(db, rules, scope, visible, {
        page: 1,
        pageSize: CSV_EXPORT_LIMIT,
        sort: 'risk',
        direction: 'desc',
      });
      const file = `${cohort.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cohort'}.csv`;
      reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${file}"`);
      auditMembers(access, members, 'export');
      const practice = practiceLabel(scope.vocabulary);
      return membersCsv(
        members.map((m) => memberOut(m, practice)),
        scope.vocabulary,
      );
    },
  );
}
