// HTTP for referrals into directory services: refer a person from their case, the case's referrals
// for its plan, the receiving agency's inbox, one referral, moving it along its statuses, and a
// service's figures (aggregates, small numbers suppressed). Every read and write of a person's referral
// is audited.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Access, accessOf, staffLabel } from '../access/access.plugin.ts';
import { loadVisibleCase } from '../cases/visible-case.ts';
import { AppError } from '../core/errors.ts';
import { caseIdParam } from '../core/schemas/case.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import {
  newServiceReferral,
  serviceFigures,
  serviceReferral,
  serviceReferralIdParam,
  serviceReferralList,
  serviceReferralMove,
} from '../core/schemas/service-referral.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import {
  createServiceReferral,
  findServiceReferral,
  inboxOf,
  moveServiceReferral,
  referralCounts,
  referralsOfCase,
} from './service-referral.store.ts';
import { discloseFigures } from './service-referral-rules.ts';

const errors = {
  400: operationOutcome,
  403: operationOutcome,
  404: operationOutcome,
  409: operationOutcome,
  422: operationOutcome,
  503: operationOutcome,
};
const tags = ['Service referrals'];

export function serviceReferralRoutes(app: App, db: Kysely<Database>): void {
  const placeParams = z.object({ placeId: placeIdParam });
  const caseParams = z.object({ placeId: placeIdParam, caseId: caseIdParam });
  const referralParams = z.object({ placeId: placeIdParam, referralId: serviceReferralIdParam });
  const serviceParams = z.object({
    placeId: placeIdParam,
    serviceId: z.uuid('must be the id of a service in the directory'),
  });

  const loadCase = (access: Access, placeId: string, caseId: string, action: 'read' | 'write') =>
    loadVisibleCase(db, access, placeId, caseId, action);

  /** The referral, if the viewer may read it; any other is "not found", audited as refused. */
  async function loadReferral(access: Access, placeId: string, referralId: string, action: 'read' | 'write') {
    const { found, personId } = await findServiceReferral(db, access.staff, placeId, referralId);
    access.audit({
      action,
      personIds: personId ? [personId] : [],
      purpose: 'direct-care',
      relationship: found ? (found.isReceiver ? 'service referral' : 'open case') : null,
      outcome: found ? 'allowed' : 'denied',
    });
    if (!found) throw new AppError('not-found', 'There is no referral you can see with this id.');
    return found;
  }

  app.post(
    '/api/places/:placeId/cases/:caseId/service-referrals',
    {
      schema: {
        tags,
        summary: 'Refer the person of an open case to a service in the directory',
        description:
          'The service must be running (not retired, inactive or closed for now), have a location or serve the whole place, and have an agency that receives its referrals; an agency outside health and social care also needs the person’s consent to share, recorded on the case. Refusals are 422 naming `serviceId`. The referral is sent, and the receiving agency’s direct-care staff have a relationship with the person while it is open.',
        params: caseParams,
        body: newServiceReferral,
        response: { 201: serviceReferral, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { placeId, caseId } = req.params;
      const found = await loadCase(access, placeId, caseId, 'write');
      const referral = await createServiceReferral(
        db,
        access.staff,
        placeId,
        found,
        req.body,
        staffLabel(access.staff),
      );
      reply.code(201);
      return referral;
    },
  );

  app.get(
    '/api/places/:placeId/cases/:caseId/service-referrals',
    {
      schema: {
        tags,
        summary: "A case's referrals to services, newest first, each with its status and history",
        params: caseParams,
        response: { 200: serviceReferralList, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, caseId } = req.params;
      const found = await loadCase(access, placeId, caseId, 'read');
      return { referrals: await referralsOfCase(db, placeId, found.id) };
    },
  );

  app.get(
    '/api/places/:placeId/service-referrals/inbox',
    {
      schema: {
        tags,
        summary: 'The referrals your agency receives for its organisations’ services: open ones first',
        description: `At most 200. An agency outside health and social care sees a referral only while the person's consent to share names it.`,
        params: placeParams,
        response: { 200: serviceReferralList, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const referrals = await inboxOf(db, access.staff, req.params.placeId);
      access.audit({
        action: 'search',
        personIds: [...new Set(referrals.map((r) => r.person.id))],
        purpose: 'direct-care',
        relationship: 'service referral',
        outcome: 'allowed',
      });
      return { referrals };
    },
  );

  app.get(
    '/api/places/:placeId/service-referrals/:referralId',
    {
      schema: {
        tags,
        summary: 'One referral to a service, with its history',
        description:
          'For the receiving agency, and for those who may see the case it was made from (the referrer’s team).',
        params: referralParams,
        response: { 200: serviceReferral, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, referralId } = req.params;
      return (await loadReferral(access, placeId, referralId, 'read')).referral;
    },
  );

  app.post(
    '/api/places/:placeId/service-referrals/:referralId/status',
    {
      schema: {
        tags,
        summary: 'Move a referral to its next status, from the version you read',
        description:
          'sent → received → accepted or declined → in progress → completed or not completed, one step at a time (another move is 422 naming `status`). Declined and not completed need a note (400 naming `note`). A change from an older version is refused with 409 naming the current one. Only the receiving agency’s staff move a referral (403 for others who may read it).',
        params: referralParams,
        body: serviceReferralMove,
        response: { 200: serviceReferral, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, referralId } = req.params;
      const found = await loadReferral(access, placeId, referralId, 'write');
      if (!found.isReceiver) {
        access.audit({
          action: 'write',
          personIds: [found.referral.person.id],
          purpose: 'direct-care',
          relationship: 'open case',
          outcome: 'denied',
          detail: 'only the receiving agency moves a referral',
        });
        throw new AppError(
          'forbidden',
          `Only the staff who receive referrals for ${found.referral.service.organisation} can change this referral's status.`,
        );
      }
      return moveServiceReferral(db, access.staff, placeId, referralId, req.body, staffLabel(access.staff));
    },
  );

  app.get(
    '/api/places/:placeId/directory/services/:serviceId/figures',
    {
      schema: {
        tags,
        summary: "A service's referrals and how they went: the closed loop",
        description:
          'Counts of 1 to 7 are null (suppressed) and others rounded to the nearest 5; the acceptance rate (accepted of those decided) is null when either count is suppressed; the median days from sent to accepted is null with the accepted count.',
        params: serviceParams,
        response: { 200: serviceFigures, ...errors },
      },
    },
    async (req) => {
      const { placeId, serviceId } = req.params;
      const counts = await referralCounts(db, placeId, serviceId);
      if (!counts) throw new AppError('not-found', 'There is no service with this id in the directory.');
      return discloseFigures(serviceId, counts);
    },
  );
}
