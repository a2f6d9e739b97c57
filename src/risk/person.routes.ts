// HTTP for a resident's page: validate, call, respond.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { accessOf } from '../access/access.plugin.ts';
import { SAFEGUARDING_DETAIL_ROLES } from '../access/roles.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { personDetail, personIdParam } from '../core/schemas/person.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import type { HfrsDescriptions } from './hfrs-descriptions.ts';
import { breakGlassEnds, personOptOuts, safeguardingConcerns } from './person.store.ts';
import { readHfrsDescriptions } from './read-hfrs-descriptions.ts';
import { getPersonDetail } from './read-person.ts';

const errors = { 400: operationOutcome, 404: operationOutcome };
const tags = ['People'];

export function personRoutes(
  app: App,
  db: Kysely<Database>,
  hfrsDescriptions: HfrsDescriptions = readHfrsDescriptions(),
): void {
  app.get(
    '/api/places/:placeId/people/:personId',
    {
      schema: {
        tags,
        summary:
          'One resident: their details, risk scores with why in plain words, and the last 12 months of unplanned care',
        params: z.object({ placeId: placeIdParam, personId: personIdParam }),
        response: { 200: personDetail, ...errors },
      },
    },
    async (req) => {
      const { placeId, personId } = req.params;
      const access = accessOf(req);
      const relationship = await access.requirePerson(placeId, personId);
      const detail = await getPersonDetail(db, placeId, personId, hfrsDescriptions);
      const seesDetail = SAFEGUARDING_DETAIL_ROLES.includes(access.staff.role);
      const [concerns, optOuts, glass] = await Promise.all([
        safeguardingConcerns(db, placeId, personId),
        personOptOuts(db, placeId, personId),
        relationship === 'break-glass' ? breakGlassEnds(db, access.staff.id, personId) : null,
      ]);
      return {
        ...detail,
        access: { relationship, expiresAt: glass ? new Date(glass).toISOString() : null },
        safeguarding: concerns.map((c) => ({ ...c, detail: seesDetail ? c.detail : null })),
        optOuts,
      };
    },
  );
}
