// HTTP for case-finding worklists: make one from a cohort for an INT or a practice, page through the
// people to review, record decisions, and nominate people by professional judgement.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Access, accessOf, staffLabel } from '../access/access.plugin.ts';
import { ROLES } from '../access/roles.ts';
import { directory } from '../cases/organisation.store.ts';
import { referPerson } from '../cases/referral.store.ts';
import { describeRules } from '../core/cohort-rules.ts';
import { addDays, todayInEngland } from '../core/dates.ts';
import { AppError, fieldError } from '../core/errors.ts';
import { parseNhsNumber } from '../core/nhs-number.ts';
import {
  decisionInput,
  decisionResult,
  nominationInput,
  nominationResult,
  personIdParam,
  worklistDetail,
  worklistIdParam,
  worklistInput,
  worklistList,
  worklistPeoplePage,
  worklistPeopleQuery,
  worklistPersonDetail,
} from '../core/schemas/cohort.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { findCohort } from './cohort.store.ts';
import { type CohortScope, checkedRules, cohortScope } from './cohort-scope.ts';
import { personOut, practiceLabel } from './members-out.ts';
import {
  createWorklist,
  decisionHistory,
  findWorklist,
  listWorklists,
  nominate,
  recordDecision,
  residentByNhsNumber,
  type Worklist,
  worklistCounts,
  worklistPage,
  worklistPerson,
} from './worklist.store.ts';
import { forgetWorklists } from './worklist-cache.ts';
import { ownsWorklist } from './worklist-relationship.ts';

const errors = { 400: operationOutcome, 404: operationOutcome, 409: operationOutcome, 503: operationOutcome };
const tags = ['Worklists'];
/** A review date may be set up to two years ahead. */
const REVIEW_HORIZON_DAYS = 731;

const invalid = (message: string, field: string) => fieldError('invalid', field, message);

export function worklistRoutes(app: App, db: Kysely<Database>): void {
  const placeParams = z.object({ placeId: placeIdParam });
  const worklistParams = z.object({ placeId: placeIdParam, worklistId: worklistIdParam });

  async function scopeName(placeId: string, w: Pick<Worklist, 'scope' | 'scope_code'>) {
    const row =
      w.scope === 'neighbourhood'
        ? await db
            .selectFrom('neighbourhood')
            .select('name')
            .where('place_id', '=', placeId)
            .where('code', '=', w.scope_code)
            .executeTakeFirst()
        : await db
            .selectFrom('practice')
            .select('name')
            .where('place_id', '=', placeId)
            .where('ods_code', '=', w.scope_code)
            .executeTakeFirst();
    return row?.name ?? null;
  }

  /** The worklist, if it is the viewer's team's or practice's; any other is "not found". */
  async function load(
    access: Access,
    placeId: string,
    worklistId: string,
    about?: { personId: string; action: 'read' | 'write' },
  ) {
    const scope = await cohortScope(db, placeId);
    const worklist = await findWorklist(db, placeId, worklistId, ownsWorklist(access.staff));
    if (!worklist) {
      // An attempt to reach a person through another team's worklist is a refused access to them.
      if (about) auditDenied(access, about.personId, about.action);
      throw new AppError('not-found', 'There is no such worklist for your team.');
    }
    return { scope, worklist, rules: checkedRules(worklist.rules, scope.vocabulary) };
  }

  function summary(w: Worklist) {
    return {
      id: w.id,
      name: w.name,
      scope: w.scope,
      scopeCode: w.scope_code,
      scopeName: w.scope_name,
      cohortId: w.cohort_id,
      cohortName: w.cohort_name,
      createdBy: w.created_by,
      createdAt: new Date(w.created_at).toISOString(),
    };
  }

  /** A worklist with its counts, read through `conn` (the transaction that made it, or the database). */
  async function detail(conn: Kysely<Database>, scope: CohortScope, worklist: Worklist) {
    const rules = checkedRules(worklist.rules, scope.vocabulary);
    const today = todayInEngland();
    return {
      worklist: {
        ...summary(worklist),
        cohortDescription: describeRules(rules, scope.vocabulary),
      },
      asOf: scope.asOf,
      today,
      counts: await worklistCounts(conn, worklist, rules, scope, today),
    };
  }

  app.get(
    '/api/places/:placeId/worklists',
    {
      schema: {
        tags,
        summary: 'Case-finding worklists, newest first',
        params: placeParams,
        response: { 200: worklistList, ...errors },
      },
    },
    async (req) => {
      const { placeId } = await cohortScope(db, req.params.placeId);
      const rows = await listWorklists(db, placeId, ownsWorklist(accessOf(req).staff));
      return { worklists: rows.map(summary) };
    },
  );

  app.post(
    '/api/places/:placeId/worklists',
    {
      schema: {
        tags,
        summary: "Make a cohort into a worklist for an INT's neighbourhood or a GP practice",
        params: placeParams,
        body: worklistInput,
        response: { 201: worklistDetail, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const scope = await cohortScope(db, req.params.placeId);
      const { placeId } = scope;
      const body = req.body;
      const own =
        ROLES[access.staff.role].scope === 'practice'
          ? access.staff.practiceCode
          : access.staff.neighbourhoodCode;
      const ownScope = ROLES[access.staff.role].scope === 'practice' ? 'practice' : 'neighbourhood';
      if (body.scope !== ownScope || body.scopeCode !== own)
        throw new AppError('forbidden', 'You can make worklists only for your own team’s footprint.', [
          {
            diagnostics: `You can make worklists only for ${ownScope} ${own ?? '(none)'}.`,
            expression: ['scopeCode'],
          },
        ]);
      if (!(await findCohort(db, placeId, body.cohortId)))
        throw invalid('There is no such cohort in this place.', 'cohortId');
      if ((await scopeName(placeId, { scope: body.scope, scope_code: body.scopeCode })) === null)
        throw invalid(
          body.scope === 'neighbourhood'
            ? `"${body.scopeCode}" is not a neighbourhood of ${placeId}.`
            : `"${body.scopeCode}" is not a GP practice of ${placeId}.`,
          'scopeCode',
        );
      // Made and read back in one transaction: a worklist saved is answered, not an error.
      const answer = await db.transaction().execute(async (trx) => {
        const id = await createWorklist(trx, { placeId, ...body, createdBy: staffLabel(access.staff) });
        const made = await findWorklist(trx, placeId, id, ownsWorklist(access.staff));
        if (!made) throw new Error(`the worklist ${id} just made could not be read back`);
        return detail(trx, scope, made);
      });
      forgetWorklists(db);
      reply.code(201).header('Location', `/api/places/${placeId}/worklists/${answer.worklist.id}`);
      return answer;
    },
  );

  app.get(
    '/api/places/:placeId/worklists/:worklistId',
    {
      schema: {
        tags,
        summary: 'A worklist with how many people are to review, decided and nominated',
        params: worklistParams,
        response: { 200: worklistDetail, ...errors },
      },
    },
    async (req) => {
      const { scope, worklist } = await load(accessOf(req), req.params.placeId, req.params.worklistId);
      return detail(db, scope, worklist);
    },
  );

  app.get(
    '/api/places/:placeId/worklists/:worklistId/people',
    {
      schema: {
        tags,
        summary: 'A page of the people to review (or already decided), highest risk first by default',
        params: worklistParams,
        querystring: worklistPeopleQuery,
        response: { 200: worklistPeoplePage, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { scope, worklist, rules } = await load(access, req.params.placeId, req.params.worklistId);
      const today = todayInEngland();
      const [counts, rows] = await Promise.all([
        worklistCounts(db, worklist, rules, scope, today),
        worklistPage(db, worklist, rules, scope, { ...req.query, today }),
      ]);
      auditList(access, rows);
      const practice = practiceLabel(scope.vocabulary);
      return {
        total: req.query.status === 'to-review' ? counts.toReview : counts.decided,
        ...req.query,
        people: rows.map((r) => personOut(r, practice)),
      };
    },
  );

  app.post(
    '/api/places/:placeId/worklists/:worklistId/decisions',
    {
      schema: {
        tags,
        summary:
          'Record a decision about one person on the worklist; they leave the list until the review date',
        params: worklistParams,
        body: decisionInput,
        response: { 201: decisionResult, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const body = req.body;
      const { scope, worklist, rules } = await load(access, req.params.placeId, req.params.worklistId, {
        personId: body.personId,
        action: 'write',
      });
      const today = todayInEngland();
      if (body.reviewDate <= today) throw invalid('The review date must be after today.', 'reviewDate');
      if (body.reviewDate > addDays(today, REVIEW_HORIZON_DAYS))
        throw invalid('The review date must be within two years.', 'reviewDate');
      if (!(await worklistPerson(db, worklist, rules, scope, body.personId))) {
        auditDenied(access, body.personId, 'write');
        throw new AppError('not-found', 'That person is not on this worklist.', [
          { diagnostics: 'That person is not on this worklist.', expression: ['personId'] },
        ]);
      }
      access.audit({
        action: 'write',
        personIds: [body.personId],
        purpose: 'direct-care',
        relationship: 'worklist',
        outcome: 'allowed',
      });
      const team = body.decision === 'add-to-caseload' ? await worklistTeam(worklist) : null;
      // The decision, the referral it makes and the history shown: all saved, or none.
      const answer = await db.transaction().execute(async (trx) => {
        await recordDecision(trx, { worklistId: worklist.id, ...body, decidedBy: staffLabel(access.staff) });
        const referral = team ? await referFromWorklist(trx, access, worklist, team, body) : null;
        return {
          decisions: (await decisionHistory(trx, worklist.id, body.personId)).map(historyOut),
          referral,
        };
      });
      reply.code(201);
      return answer;
    },
  );

  /** The INT whose footprint the worklist covers (for a practice's list, the INT of the practice's neighbourhood). */
  async function worklistTeam(worklist: Worklist) {
    const neighbourhood =
      worklist.scope === 'neighbourhood'
        ? worklist.scope_code
        : (
            await db
              .selectFrom('practice')
              .select('neighbourhood_code')
              .where('place_id', '=', worklist.place_id)
              .where('ods_code', '=', worklist.scope_code)
              .executeTakeFirst()
          )?.neighbourhood_code;
    return (
      (await directory(db, worklist.place_id)).teams.find((t) => t.neighbourhoodCode === neighbourhood) ??
      null
    );
  }

  /** "Add to caseload" refers the person to the worklist's INT, unless they are already waiting or open. */
  async function referFromWorklist(
    trx: Kysely<Database>,
    access: Access,
    worklist: Worklist,
    team: { id: string; name: string },
    decision: { personId: string; reason: string },
  ) {
    const referral = await referPerson(trx, {
      placeId: worklist.place_id,
      personId: decision.personId,
      teamId: team.id,
      source: 'worklist',
      worklistId: worklist.id,
      referrer: `${access.staff.name}, from the worklist "${worklist.name}"`,
      referrerAgencyId: access.staff.agencyId,
      referredBy: access.staff.id,
      reason: decision.reason,
      urgency: 'routine',
    });
    return { ...referral, teamName: team.name };
  }

  app.get(
    '/api/places/:placeId/worklists/:worklistId/people/:personId',
    {
      schema: {
        tags,
        summary:
          'One person on the worklist, with every decision about them, newest first, with who and when',
        params: worklistParams.extend({ personId: personIdParam }),
        response: { 200: worklistPersonDetail, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { scope, worklist, rules } = await load(access, req.params.placeId, req.params.worklistId, {
        personId: req.params.personId,
        action: 'read',
      });
      const row = await worklistPerson(db, worklist, rules, scope, req.params.personId);
      access.audit({
        action: 'read',
        personIds: [req.params.personId],
        purpose: 'direct-care',
        relationship: row ? 'worklist' : null,
        outcome: row ? 'allowed' : 'denied',
      });
      if (!row) throw new AppError('not-found', 'That person is not on this worklist.');
      return {
        person: personOut(row, practiceLabel(scope.vocabulary)),
        today: todayInEngland(),
        decisions: (await decisionHistory(db, worklist.id, req.params.personId)).map(historyOut),
      };
    },
  );

  app.post(
    '/api/places/:placeId/worklists/:worklistId/nominations',
    {
      schema: {
        tags,
        summary: 'Nominate a resident for review by professional judgement, with a reason',
        params: worklistParams,
        body: nominationInput,
        response: { 201: nominationResult, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { scope, worklist } = await load(access, req.params.placeId, req.params.worklistId);
      const parsed = parseNhsNumber(req.body.nhsNumber);
      if (!parsed.ok) throw invalid(`The NHS number ${parsed.reason}.`, 'nhsNumber');
      const person = await residentByNhsNumber(db, scope.placeId, parsed.value);
      if (!person)
        throw new AppError('not-found', 'Nobody living here has that NHS number. Check it and try again.', [
          {
            diagnostics: 'Nobody living here has that NHS number. Check it and try again.',
            expression: ['nhsNumber'],
          },
        ]);
      const added = await nominate(db, {
        worklistId: worklist.id,
        personId: person.id,
        reason: req.body.reason,
        nominatedBy: staffLabel(access.staff),
      });
      access.audit({
        action: 'write',
        personIds: [person.id],
        purpose: 'direct-care',
        relationship: 'worklist',
        outcome: added ? 'allowed' : 'denied',
        detail: added ? '' : 'already nominated: nothing written',
      });
      if (!added)
        throw new AppError('conflict', 'That person has already been nominated for this worklist.', [
          {
            diagnostics: 'That person has already been nominated for this worklist.',
            expression: ['nhsNumber'],
          },
        ]);
      // A decision still standing keeps them under Decided until its review date: say so.
      const [latest] = await decisionHistory(db, worklist.id, person.id);
      reply.code(201);
      return {
        personId: person.id,
        name: `${person.given_name} ${person.family_name}`,
        decidedUntil: latest && latest.review_date > todayInEngland() ? latest.review_date : null,
      };
    },
  );
}

function auditDenied(access: Access, personId: string, action: 'read' | 'write') {
  access.audit({
    action,
    personIds: [personId],
    purpose: 'direct-care',
    relationship: null,
    outcome: 'denied',
  });
}

/** A list of people is a search: each person shown is audited. */
function auditList(access: Access, rows: readonly { person_id: string }[]) {
  access.audit({
    action: 'search',
    personIds: rows.map((r) => r.person_id),
    purpose: 'direct-care',
    relationship: 'worklist',
    outcome: 'allowed',
  });
}

function historyOut(d: Awaited<ReturnType<typeof decisionHistory>>[number]) {
  return {
    id: d.id,
    decision: d.decision,
    reason: d.reason,
    reviewDate: d.review_date,
    decidedBy: d.decided_by,
    decidedAt: new Date(d.decided_at).toISOString(),
  };
}
