// The information governance officer's view of the audit trail: who accessed a person's record,
// unusual access, break-glass review, the export, and the chain check. Reading the trail about a
// person is itself audited.
import { stringify } from 'csv-stringify/sync';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { AppError, fieldError } from '../core/errors.ts';
import { auditEvents, breakGlassUses, chainCheck, staffList, unusualAccess } from '../core/schemas/access.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { accessOf, routeSummary } from './access.plugin.ts';
import { verifyAuditChain } from './audit.store.ts';
import { nhsNumberOrThrow, personByNhsNumber } from './person-lookup.store.ts';
import { ROLES } from './roles.ts';
import { listStaff } from './session.store.ts';

const tags = ['Information governance'];
const errors = { 400: operationOutcome, 404: operationOutcome };
/** The most events one page or one export holds. */
export const AUDIT_EXPORT_LIMIT = 50_000;
/** Unusual access: thresholds, each per staff member per day (England time). */
export const UNUSUAL = { deniedPerDay: 3, recordsPerDay: 50, quietHoursFrom: 22, quietHoursTo: 6, days: 30 };

const isoDate = z.iso.date('must be a real date, as YYYY-MM-DD');
const eventFilters = z.object({
  nhsNumber: z.string().trim().max(20).optional(),
  actor: z.string().trim().max(100).optional().describe('a username'),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
/** The period must run forwards: a To before the From would find nothing and say nobody looked. */
const inOrder = <T extends z.ZodType<{ from?: string; to?: string }>>(filters: T) =>
  filters.refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    message: 'must be the same as or after the From date',
  });
const eventsQuery = inOrder(
  eventFilters.extend({
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  }),
);

/** A role's title as staff know it; a role no longer in the list is shown as recorded. */
const roleTitle = (role: string | null) => (role ? (ROLES[role as keyof typeof ROLES]?.title ?? role) : null);

export function auditRoutes(app: App, db: Kysely<Database>): void {
  function events(q: z.infer<typeof eventsQuery>, personId: string | null) {
    let query = db
      .selectFrom('audit_event as e')
      .leftJoin('staff_user as u', 'u.id', 'e.actor_id')
      .select([
        'e.seq',
        'e.occurred_at',
        'e.request_id',
        'e.actor_name',
        'u.username',
        'e.role',
        'e.team_id',
        'e.action',
        'e.route',
        sql<number>`cardinality(e.person_ids)`.as('people'),
        'e.purpose',
        'e.relationship',
        'e.outcome',
        'e.detail',
      ]);
    if (personId) query = query.where(sql<boolean>`e.person_ids @> array[${personId}]::uuid[]`);
    if (q.actor) query = query.where('u.username', '=', q.actor.toLowerCase());
    if (q.from)
      query = query.where(
        'e.occurred_at',
        '>=',
        sql<Date>`${q.from}::date::timestamp at time zone 'Europe/London'`,
      );
    if (q.to)
      query = query.where(
        'e.occurred_at',
        '<',
        sql<Date>`(${q.to}::date + 1)::timestamp at time zone 'Europe/London'`,
      );
    return query.orderBy('e.seq', 'desc');
  }

  /** A username that is no one's finds nothing: say so, rather than that nobody looked. */
  async function checkActor(actor: string | undefined) {
    if (!actor) return;
    const found = await db
      .selectFrom('staff_user')
      .select('id')
      .where('username', '=', actor.toLowerCase())
      .executeTakeFirst();
    if (!found)
      throw fieldError(
        'invalid',
        'actor',
        `There is no member of staff with the username "${actor}". Check it, or leave it empty.`,
      );
  }

  async function personFor(placeId: string, nhsNumber: string | undefined) {
    if (!nhsNumber) return null;
    const person = await personByNhsNumber(db, placeId, nhsNumberOrThrow(nhsNumber, 'nhsNumber'));
    // An unknown NHS number has no events; the search still runs so the answer looks the same.
    return person?.id ?? '00000000-0000-0000-0000-000000000000';
  }

  const out = (r: Awaited<ReturnType<ReturnType<typeof events>['execute']>>[number]) => ({
    seq: r.seq,
    occurredAt: new Date(r.occurred_at).toISOString(),
    requestId: r.request_id,
    actorName: r.actor_name,
    username: r.username,
    role: roleTitle(r.role),
    team: r.team_id,
    action: r.action,
    route: r.route,
    what: routeSummary(r.route),
    people: r.people,
    purpose: r.purpose,
    relationship: r.relationship,
    outcome: r.outcome,
    detail: r.detail,
  });

  app.get(
    '/api/audit/events',
    {
      schema: {
        tags,
        summary:
          "Audit events, newest first: filter by a person's NHS number to see who accessed their record",
        querystring: eventsQuery,
        response: {
          200: auditEvents,
          ...errors,
        },
      },
    },
    async (req) => {
      const access = accessOf(req);
      await checkActor(req.query.actor);
      const personId = await personFor(access.staff.placeId, req.query.nhsNumber);
      const rows = await events(req.query, personId)
        .limit(req.query.pageSize)
        .offset((req.query.page - 1) * req.query.pageSize)
        .execute();
      if (personId)
        access.audit({
          action: 'search',
          personIds: [personId],
          purpose: 'information-governance',
          relationship: 'audit review',
          outcome: 'allowed',
        });
      return { events: rows.map(out), page: req.query.page, pageSize: req.query.pageSize };
    },
  );

  app.get(
    '/api/audit/events.csv',
    {
      schema: {
        tags,
        summary: `Audit events as CSV (at most ${AUDIT_EXPORT_LIMIT.toLocaleString('en-GB')}), with the same filters`,
        querystring: inOrder(eventFilters),
        response: { 200: z.string(), ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      await checkActor(req.query.actor);
      const personId = await personFor(access.staff.placeId, req.query.nhsNumber);
      const rows = (
        await events({ ...req.query, page: 1, pageSize: 1 }, personId)
          .limit(AUDIT_EXPORT_LIMIT)
          .execute()
      ).map(out);
      access.audit({
        action: 'export',
        personIds: personId ? [personId] : [],
        purpose: 'information-governance',
        relationship: 'audit review',
        outcome: 'allowed',
        detail: `${rows.length} audit events exported`,
      });
      reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="audit-events.csv"');
      return stringify(
        rows.map((r) => [
          r.seq,
          r.occurredAt,
          r.requestId,
          r.actorName,
          r.username ?? '',
          r.role ?? '',
          r.team ?? '',
          r.action,
          r.route,
          r.people,
          r.purpose,
          r.relationship ?? '',
          r.outcome,
          r.detail,
        ]),
        {
          header: true,
          columns: [
            'seq',
            'occurred_at',
            'request_id',
            'actor',
            'username',
            'role',
            'team',
            'action',
            'route',
            'people',
            'purpose',
            'relationship',
            'outcome',
            'detail',
          ],
          escape_formulas: true,
        },
      );
    },
  );

  app.get(
    '/api/audit/unusual',
    {
      schema: {
        tags,
        summary: `Unusual access in the last ${UNUSUAL.days} days: repeated denials, many records in a day, records opened in the quiet hours, people referred or nominated by NHS number (which opens their record to the team)`,
        response: {
          200: unusualAccess,
        },
      },
    },
    async () => {
      const { rows } = await sql<{
        rule: 'denied' | 'many-records' | 'quiet-hours' | 'by-nhs-number';
        actor_name: string;
        username: string | null;
        role: string | null;
        day: string;
        count: number;
      }>`
        with e as (
          select e.*, (e.occurred_at at time zone 'Europe/London') as local_time
          from audit_event e
          where e.occurred_at > now() - make_interval(days => ${UNUSUAL.days}) and cardinality(e.person_ids) > 0
        ), found as (
          select 'denied' as rule, actor_id, actor_name, role, local_time::date as day, count(*)::int as count
          from e where outcome = 'denied' group by 2, 3, 4, 5 having count(*) >= ${UNUSUAL.deniedPerDay}
          union all
          select 'many-records', actor_id, actor_name, role, local_time::date, count(distinct p)::int
          from e cross join unnest(e.person_ids) p where action = 'read' and outcome = 'allowed'
          group by 2, 3, 4, 5 having count(distinct p) > ${UNUSUAL.recordsPerDay}
          union all
          select 'quiet-hours', actor_id, actor_name, role, local_time::date, count(*)::int
          from e where action = 'read' and outcome = 'allowed'
            and (extract(hour from local_time) >= ${UNUSUAL.quietHoursFrom} or extract(hour from local_time) < ${UNUSUAL.quietHoursTo})
          group by 2, 3, 4, 5
          union all
          select 'by-nhs-number', actor_id, actor_name, role, local_time::date, count(*)::int
          from e where outcome = 'allowed' and detail in ('referral by NHS number', 'MDT nomination by NHS number')
          group by 2, 3, 4, 5
        )
        select f.rule, f.actor_name, u.username, f.role, to_char(f.day, 'YYYY-MM-DD') as day, f.count
        from found f left join staff_user u on u.id = f.actor_id
        order by f.day desc, f.rule, f.count desc`.execute(db);
      return {
        thresholds: {
          deniedPerDay: UNUSUAL.deniedPerDay,
          recordsPerDay: UNUSUAL.recordsPerDay,
          quietHours: `${UNUSUAL.quietHoursFrom}:00 and 0${UNUSUAL.quietHoursTo}:00`,
          days: UNUSUAL.days,
        },
        findings: rows.map((r) => ({
          rule: r.rule,
          actorName: r.actor_name,
          username: r.username,
          role: roleTitle(r.role),
          day: r.day,
          count: r.count,
        })),
      };
    },
  );

  app.get(
    '/api/audit/break-glass',
    {
      schema: {
        tags,
        summary: 'Every break-glass access, those awaiting review first',
        response: { 200: breakGlassUses },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const rows = await db
        .selectFrom('break_glass as b')
        .innerJoin('staff_user as u', 'u.id', 'b.user_id')
        .leftJoin('staff_user as r', 'r.id', 'b.reviewed_by')
        .leftJoin('person as p', 'p.id', 'b.person_id')
        .select([
          'b.id',
          'b.person_id',
          'u.display_name',
          'u.username',
          'u.role',
          'p.nhs_number',
          'b.reason',
          'b.started_at',
          'b.expires_at',
          'b.review_outcome',
          'b.review_note',
          'r.display_name as reviewer',
          'b.reviewed_at',
        ])
        .where('b.place_id', '=', access.staff.placeId)
        .orderBy(sql`b.review_outcome is null`, 'desc')
        .orderBy('b.started_at', 'desc')
        .limit(500)
        .execute();
      access.audit({
        action: 'search',
        personIds: [...new Set(rows.map((r) => r.person_id))],
        purpose: 'information-governance',
        relationship: 'break-glass review',
        outcome: 'allowed',
      });
      return {
        awaitingReview: rows.filter((r) => r.review_outcome === null).length,
        uses: rows.map((r) => ({
          id: r.id,
          actorName: r.display_name,
          username: r.username,
          role: ROLES[r.role].title,
          nhsNumber: r.nhs_number,
          reason: r.reason,
          startedAt: new Date(r.started_at).toISOString(),
          expiresAt: new Date(r.expires_at).toISOString(),
          reviewOutcome: r.review_outcome,
          reviewNote: r.review_note,
          reviewedBy: r.reviewer,
          reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
        })),
      };
    },
  );

  app.post(
    '/api/audit/break-glass/:breakGlassId/review',
    {
      schema: {
        tags,
        summary: 'Record the review of one break-glass access: appropriate or not, with a note',
        params: z.object({ breakGlassId: z.uuid('A break-glass id is a UUID') }),
        body: z.object({
          outcome: z.enum(['appropriate', 'not-appropriate']),
          note: z.string().trim().max(2000).default(''),
        }),
        response: { 204: z.null(), ...errors, 409: operationOutcome },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const row = await db
        .updateTable('break_glass')
        .set({
          review_outcome: req.body.outcome,
          review_note: req.body.note,
          reviewed_by: access.staff.id,
          reviewed_at: sql<Date>`now()`,
        })
        .where('id', '=', req.params.breakGlassId)
        .where('place_id', '=', access.staff.placeId)
        .where('review_outcome', 'is', null)
        .returning('person_id')
        .executeTakeFirst();
      if (!row) {
        const exists = await db
          .selectFrom('break_glass')
          .select('id')
          .where('id', '=', req.params.breakGlassId)
          .executeTakeFirst();
        if (exists) throw new AppError('conflict', 'This break-glass access has already been reviewed.');
        throw new AppError('not-found', 'There is no such break-glass access.');
      }
      access.audit({
        action: 'review',
        personIds: [row.person_id],
        purpose: 'information-governance',
        relationship: 'break-glass review',
        outcome: 'allowed',
        detail: `${req.body.outcome}: ${req.body.note}`,
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/audit/verify',
    {
      schema: {
        tags,
        summary: 'Check the audit trail’s hash chain: every event unchanged and none missing',
        response: {
          200: chainCheck,
        },
      },
    },
    async () => {
      const report = await verifyAuditChain(db);
      return { ...report, intact: report.problems.length === 0 };
    },
  );

  app.get(
    '/api/staff',
    {
      schema: {
        tags: ['Staff accounts'],
        summary: 'Staff accounts of the place, by role',
        response: {
          200: staffList,
        },
      },
    },
    async (req) => {
      const rows = await listStaff(db, accessOf(req).staff.placeId);
      return {
        staff: rows.map((r) => ({
          username: r.username,
          name: r.name,
          role: r.role,
          roleTitle: ROLES[r.role].title,
          team: r.teamName,
          practiceCode: r.practiceCode,
          isDemo: r.isDemo,
        })),
      };
    },
  );
}
