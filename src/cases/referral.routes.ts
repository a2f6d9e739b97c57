// HTTP for referrals into an Integrated Neighbourhood Team: making one, the team's list, one referral,
// and its triage (accepting opens a case with a lead professional). Read by the receiving team's health
// and social care staff only: before triage there is no consent to share with anyone else.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Access, accessOf } from '../access/access.plugin.ts';
import { todayInEngland } from '../core/dates.ts';
import { AppError, fieldError } from '../core/errors.ts';
import {
  referralIdParam,
  referralInput,
  referralList,
  referralOut,
  referralsQuery,
  teamIdParam,
  triageInput,
} from '../core/schemas/case.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { personOut } from './case.store.ts';
import { sharesOnImpliedConsent } from './case-relationship.ts';
import { namedPerson } from './named-person.ts';
import { directory, ownTeamOrThrow, teamOf } from './organisation.store.ts';
import { createReferral, type ReferralRow, referralQuery, triageReferral } from './referral.store.ts';

const errors = {
  400: operationOutcome,
  404: operationOutcome,
  409: operationOutcome,
  422: operationOutcome,
  503: operationOutcome,
};
const tags = ['Cases'];
const created = z.object({ id: z.string() });

export function referralRoutes(app: App, db: Kysely<Database>): void {
  const placeParams = z.object({ placeId: placeIdParam });
  const teamParams = z.object({ placeId: placeIdParam, teamId: teamIdParam });
  const referralParams = z.object({ placeId: placeIdParam, referralId: referralIdParam });

  function referralOutOf(r: ReferralRow, today: string) {
    return {
      id: r.id,
      teamId: r.team_id,
      teamName: r.team_name,
      person: personOut(r, today),
      source: r.source,
      referrer: r.referrer,
      reason: r.reason,
      urgency: r.urgency,
      status: r.status,
      createdAt: new Date(r.created_at).toISOString(),
      triagedBy: r.triaged_by,
      triagedAt: r.triaged_at ? new Date(r.triaged_at).toISOString() : null,
      declineReason: r.decline_reason,
      caseId: r.case_id,
    };
  }

  /**
   * A referral to the viewer's own team, or "not found". Referrals are read by the team's health and
   * social care staff: before triage there is no consent to share with anyone else.
   */
  async function loadReferral(access: Access, placeId: string, referralId: string, action: 'read' | 'write') {
    const team = sharesOnImpliedConsent(access.staff) ? await teamOf(db, access.staff) : null;
    const row = team
      ? await referralQuery(db, placeId, access.staff)
          .where('ref.id', '=', referralId)
          .where('ref.team_id', '=', team.id)
          .executeTakeFirst()
      : undefined;
    access.audit({
      action,
      personIds: row ? [row.person_id] : [],
      purpose: 'direct-care',
      relationship: row ? 'referral' : null,
      outcome: row ? 'allowed' : 'denied',
    });
    if (!row) throw new AppError('not-found', 'There is no referral to your team with this id.');
    return row;
  }

  app.post(
    '/api/places/:placeId/referrals',
    {
      schema: {
        tags,
        summary: 'Refer a person to an Integrated Neighbourhood Team',
        description:
          'From a worklist decision, from a practitioner of any agency, or on behalf of the person or their family. The person is named by id (from a worklist) or by NHS number. The referral gives the receiving team a relationship with the person until it is triaged.',
        params: placeParams,
        body: referralInput,
        response: { 201: created, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { placeId } = req.params;
      const body = req.body;
      const dir = await directory(db, placeId);
      if (!dir.teams.some((t) => t.id === body.teamId))
        throw new AppError('invalid', `There is no team "${body.teamId}" in this place.`, [
          { diagnostics: `teamId: there is no team "${body.teamId}" in this place.`, expression: ['teamId'] },
        ]);
      if (body.source === 'self-or-family' && !body.referrer)
        throw fieldError(
          'invalid',
          'referrer',
          'referrer: say who made the referral (the person, or which family member).',
        );
      if (body.source === 'worklist' && !body.worklistId)
        throw fieldError('invalid', 'worklistId', 'worklistId: name the worklist the referral comes from.');
      const personId = await namedPerson(db, access, placeId, body, {
        relationship: 'referrer',
        detail: 'referral by NHS number',
      });
      const id = await createReferral(db, {
        placeId,
        personId,
        teamId: body.teamId,
        source: body.source,
        worklistId: body.worklistId ?? null,
        referrer:
          body.source === 'self-or-family'
            ? (body.referrer ?? '')
            : `${access.staff.name}${access.staff.agencyId ? `, ${dir.agencyName(access.staff.agencyId)}` : ''}`,
        referrerAgencyId: body.source === 'self-or-family' ? null : access.staff.agencyId,
        referredBy: access.staff.id,
        reason: body.reason,
        urgency: body.urgency,
      });
      access.audit({
        action: 'write',
        personIds: [personId],
        purpose: 'direct-care',
        relationship: 'referrer',
        outcome: 'allowed',
      });
      reply.code(201);
      return { id };
    },
  );

  app.get(
    '/api/places/:placeId/teams/:teamId/referrals',
    {
      schema: {
        tags,
        summary: "A team's referrals: those awaiting triage (oldest first), or those accepted or declined",
        params: teamParams,
        querystring: referralsQuery,
        response: { 200: referralList, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, teamId } = req.params;
      await ownTeamOrThrow(db, access.staff, teamId);
      if (!sharesOnImpliedConsent(access.staff))
        throw new AppError('not-found', 'There is no such team of yours.');
      const rows = await referralQuery(db, placeId, access.staff)
        .where('ref.team_id', '=', teamId)
        .where('ref.status', '=', req.query.status)
        .orderBy('ref.urgency', 'desc')
        .orderBy('ref.created_at', req.query.status === 'awaiting-triage' ? 'asc' : 'desc')
        .limit(200)
        .execute();
      access.audit({
        action: 'search',
        personIds: rows.map((r) => r.person_id),
        purpose: 'direct-care',
        relationship: 'referral',
        outcome: 'allowed',
      });
      const today = todayInEngland();
      return { referrals: rows.map((r) => referralOutOf(r, today)) };
    },
  );

  app.get(
    '/api/places/:placeId/referrals/:referralId',
    {
      schema: {
        tags,
        summary: 'One referral to your team',
        params: referralParams,
        response: { 200: referralOut, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const row = await loadReferral(access, req.params.placeId, req.params.referralId, 'read');
      return referralOutOf(row, todayInEngland());
    },
  );

  app.post(
    '/api/places/:placeId/referrals/:referralId/triage',
    {
      schema: {
        tags,
        summary:
          'Triage a referral: accept it (opening a case with a lead professional) or decline it with a reason',
        params: referralParams,
        body: triageInput,
        response: { 200: z.object({ caseId: z.string().nullable() }), ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, referralId } = req.params;
      const row = await loadReferral(access, placeId, referralId, 'write');
      const dir = await directory(db, placeId);
      const body = req.body;
      const caseId = await triageReferral(
        db,
        dir,
        access.staff,
        row,
        body.decision === 'accept'
          ? {
              decision: 'accept',
              leadPractitionerId: body.leadPractitionerId,
              reviewDueOn: body.reviewDueOn ?? null,
            }
          : body,
      );
      return { caseId };
    },
  );
}
