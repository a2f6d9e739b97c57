// HTTP for active case management: the organisation (agencies and practitioners), the caseload, each
// case with its plan, reviews, contacts, consent and closure, its history of versions, and "my work".
// Referrals into a team and their triage are in referral.routes.ts.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Access, accessOf } from '../access/access.plugin.ts';
import { sendRemembered } from '../access/remembered.ts';
import { todayInEngland } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import {
  actionIdParam,
  actionUpdate,
  type CASELOAD_SORTS,
  caseDetail,
  caseIdParam,
  caseloadPage,
  caseloadQuery,
  caseUpdate,
  closeInput,
  consentInput,
  contactInput,
  myWork,
  organisation,
  planInput,
  planOut,
  reviewInput,
  teamIdParam,
  versionList,
} from '../core/schemas/case.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import {
  actionCountsOf,
  addContact,
  addReview,
  caseSummaryOut,
  closeCase,
  consentHistoryOf,
  type FoundCase,
  caseloadPage as readCaseloadPage,
  recordConsent,
  reviewsOf,
  updateCase,
  versionsOf,
} from './case.store.ts';
import { myWorkOf } from './my-work.store.ts';
import { directory, ownTeamOrThrow } from './organisation.store.ts';
import { caseOfAction, readPlan, savePlan, setActionStatus } from './plan.store.ts';
import { loadVisibleCase } from './visible-case.ts';

const errors = {
  400: operationOutcome,
  404: operationOutcome,
  409: operationOutcome,
  422: operationOutcome,
  503: operationOutcome,
};
const tags = ['Cases'];
const created = z.object({ id: z.string() });
const versionOut = z.object({ version: z.number().int() });

export function caseRoutes(app: App, db: Kysely<Database>): void {
  const placeParams = z.object({ placeId: placeIdParam });
  const teamParams = z.object({ placeId: placeIdParam, teamId: teamIdParam });
  const caseParams = z.object({ placeId: placeIdParam, caseId: caseIdParam });

  const load = (access: Access, placeId: string, caseId: string, action: 'read' | 'write') =>
    loadVisibleCase(db, access, placeId, caseId, action);

  async function detailOf(placeId: string, found: FoundCase) {
    const today = todayInEngland();
    const dir = await directory(db, placeId);
    const [counts, plan, reviews, consents, referral] = await Promise.all([
      actionCountsOf(db, found.id, today),
      readPlan(db, dir, found.id, today),
      reviewsOf(db, found.id),
      consentHistoryOf(db, found.id),
      found.referral_id
        ? db
            .selectFrom('int_referral')
            .select(['id', 'reason', 'referrer'])
            .where('id', '=', found.referral_id)
            .executeTakeFirst()
        : undefined,
    ]);
    const team = dir.teams.find((t) => t.id === found.team_id);
    return {
      case: {
        ...caseSummaryOut({ ...found, ...counts }, dir, today),
        version: found.version,
        teamName: team?.name ?? found.team_id,
        keyWorkers: found.key_worker_ids.flatMap((id) => dir.practitioner(id) ?? []),
        consent: {
          status: found.consent_status,
          agencies: dir.agencies.filter((a) => found.consent_agencies.includes(a.id)),
        },
        referral: referral ?? null,
        closedAt: found.closed_at ? new Date(found.closed_at).toISOString() : null,
        closureReason: found.closure_reason,
        closureOutcome: found.closure_outcome,
        updatedAt: new Date(found.updated_at).toISOString(),
        updatedBy: found.updated_by,
      },
      plan,
      reviews: reviews.map((r) => ({
        id: r.id,
        heldOn: r.held_on,
        summary: r.summary,
        nextReviewOn: r.next_review_on,
        recordedBy: r.recorded_by,
      })),
      consentHistory: consents.map((c) => ({
        status: c.status,
        givenBy: c.given_by,
        agencies: c.agencies.map((a) => dir.agencyName(a)),
        purpose: c.purpose,
        recordedBy: c.recorded_by,
        recordedAt: new Date(c.recorded_at).toISOString(),
      })),
      today,
    };
  }

  app.get(
    '/api/places/:placeId/organisation',
    {
      schema: {
        tags,
        summary: 'The agencies of the place and the practitioners of its teams, named by role',
        params: placeParams,
        response: { 200: organisation, ...errors },
      },
    },
    async (req) => {
      const dir = await directory(db, req.params.placeId);
      return { teams: dir.teams, agencies: dir.agencies, practitioners: dir.practitioners };
    },
  );

  app.get(
    '/api/places/:placeId/teams/:teamId/caseload',
    {
      schema: {
        tags,
        summary: "A team's open caseload, reviews due first",
        params: teamParams,
        querystring: caseloadQuery,
        response: { 200: caseloadPage, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      return sendRemembered(db, req, reply, access, caseloadPage, () =>
        caseload(access, req.params, req.query),
      );
    },
  );

  async function caseload(
    access: Access,
    { placeId, teamId }: { placeId: string; teamId: string },
    query: { page: number; pageSize: number; sort: (typeof CASELOAD_SORTS)[number] },
  ) {
    const team = await ownTeamOrThrow(db, access.staff, teamId);
    const today = todayInEngland();
    const [dir, page] = await Promise.all([
      directory(db, placeId),
      readCaseloadPage(db, access.staff, placeId, teamId, { ...query, today }),
    ]);
    access.audit({
      action: 'search',
      personIds: page.rows.map((r) => r.person_id),
      purpose: 'direct-care',
      relationship: 'open case',
      outcome: 'allowed',
    });
    return {
      teamId,
      teamName: team.name,
      today,
      total: page.total,
      reviewsOverdue: page.reviewsOverdue,
      page: query.page,
      pageSize: query.pageSize,
      sort: query.sort,
      cases: page.rows.map((r) => caseSummaryOut(r, dir, today)),
    };
  }

  app.get(
    '/api/places/:placeId/cases/:caseId',
    {
      schema: {
        tags,
        summary: 'One case: its people, plan, reviews and consent',
        params: caseParams,
        response: { 200: caseDetail, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { placeId, caseId } = req.params;
      return sendRemembered(db, req, reply, access, caseDetail, async () =>
        detailOf(placeId, await load(access, placeId, caseId, 'read')),
      );
    },
  );

  app.put(
    '/api/places/:placeId/cases/:caseId',
    {
      schema: {
        tags,
        summary: 'Change the lead professional, key workers or review date, from the version you read',
        params: caseParams,
        body: caseUpdate,
        response: { 200: versionOut, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const found = await load(access, req.params.placeId, req.params.caseId, 'write');
      const dir = await directory(db, req.params.placeId);
      return { version: await updateCase(db, dir, access.staff, found, req.body) };
    },
  );

  app.get(
    '/api/places/:placeId/cases/:caseId/versions',
    {
      schema: {
        tags,
        summary: 'Every saved version of the case and its plan, newest first, with who and when',
        params: caseParams,
        response: { 200: versionList, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const found = await load(access, req.params.placeId, req.params.caseId, 'read');
      const rows = await versionsOf(db, found.id);
      return {
        versions: rows.map((v) => ({
          kind: v.kind,
          version: v.version,
          change: v.change,
          changedBy: v.changed_by,
          changedAt: new Date(v.changed_at).toISOString(),
          snapshot: v.snapshot,
        })),
      };
    },
  );

  app.put(
    '/api/places/:placeId/cases/:caseId/plan',
    {
      schema: {
        tags,
        summary: 'Save the personalised care and support plan, from the version you read',
        description:
          'Goals in the person’s own words and actions, each with an owning agency and practitioner, a due date and a status. A save from an older version than the current one is refused with 409, which names the current version; nothing is overwritten. Actions left out of a save are kept (cancel one by its status).',
        params: caseParams,
        body: planInput,
        response: { 200: planOut, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const found = await load(access, req.params.placeId, req.params.caseId, 'write');
      const dir = await directory(db, req.params.placeId);
      return savePlan(db, dir, access.staff, found, req.body, todayInEngland());
    },
  );

  app.patch(
    '/api/places/:placeId/actions/:actionId',
    {
      schema: {
        tags,
        summary: "Set one action's status (to do, in progress, done, cancelled)",
        params: z.object({ placeId: placeIdParam, actionId: actionIdParam }),
        body: actionUpdate,
        response: { 200: planOut, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, actionId } = req.params;
      const owner = await caseOfAction(db, placeId, actionId);
      if (!owner) {
        access.audit({
          action: 'write',
          personIds: [],
          purpose: 'direct-care',
          relationship: null,
          outcome: 'denied',
        });
        throw new AppError('not-found', 'There is no case you can see with this action.');
      }
      const found = await load(access, placeId, owner.case_id, 'write');
      const dir = await directory(db, placeId);
      return setActionStatus(db, dir, access.staff, found, actionId, req.body.status, todayInEngland());
    },
  );

  app.post(
    '/api/places/:placeId/cases/:caseId/reviews',
    {
      schema: {
        tags,
        summary: 'Record a review of the case and set the next review date',
        params: caseParams,
        body: reviewInput,
        response: { 201: versionOut, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const found = await load(access, req.params.placeId, req.params.caseId, 'write');
      reply.code(201);
      return { version: await addReview(db, access.staff, found, req.body) };
    },
  );

  app.post(
    '/api/places/:placeId/cases/:caseId/contacts',
    {
      schema: {
        tags,
        summary: 'Record a contact with the person (a visit, call or message)',
        params: caseParams,
        body: contactInput,
        response: { 201: created, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const found = await load(access, req.params.placeId, req.params.caseId, 'write');
      reply.code(201);
      return { id: await addContact(db, access.staff, found, req.body) };
    },
  );

  app.post(
    '/api/places/:placeId/cases/:caseId/consent',
    {
      schema: {
        tags,
        summary: 'Record consent to share: who gave it, with which agencies, for what',
        description:
          'Health and social care agencies share for direct care on implied consent; staff of other agencies (VCSE, housing, DWP, police, fire, family hubs, public health) see the case only while consent naming their agency is given.',
        params: caseParams,
        body: consentInput,
        response: { 201: versionOut, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const found = await load(access, req.params.placeId, req.params.caseId, 'write');
      const dir = await directory(db, req.params.placeId);
      reply.code(201);
      return { version: await recordConsent(db, dir, access.staff, found, req.body) };
    },
  );

  app.post(
    '/api/places/:placeId/cases/:caseId/close',
    {
      schema: {
        tags,
        summary: 'Close the case with a reason and outcome',
        description: 'Refused (422) while actions are open, unless an override reason says why.',
        params: caseParams,
        body: closeInput,
        response: { 200: versionOut, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const found = await load(access, req.params.placeId, req.params.caseId, 'write');
      return { version: await closeCase(db, access.staff, found, req.body, todayInEngland()) };
    },
  );

  app.get(
    '/api/places/:placeId/my-work',
    {
      schema: {
        tags,
        summary: 'Actions assigned to you or your team, across all agencies, overdue first',
        params: placeParams,
        response: { 200: myWork, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { placeId } = req.params;
      return sendRemembered(db, req, reply, access, myWork, async () => {
        const today = todayInEngland();
        const dir = await directory(db, placeId);
        const actions = await myWorkOf(db, dir, access.staff, placeId, today);
        access.audit({
          action: 'search',
          personIds: [...new Set(actions.map((a) => a.person.id))],
          purpose: 'direct-care',
          relationship: 'open case',
          outcome: 'allowed',
        });
        return { today, actions };
      });
    },
  );
}
