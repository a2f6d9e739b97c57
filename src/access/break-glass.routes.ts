// Finding a person by NHS number, and break-glass: seeing a record without a relationship, in an
// emergency, with a stated reason, for BREAK_GLASS_MINUTES, recorded and raised to the information
// governance officer's review list.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { parseNhsNumber } from '../core/nhs-number.ts';
import { breakGlassStarted, personFound } from '../core/schemas/access.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { accessOf, notFoundPerson } from './access.plugin.ts';
import { BREAK_GLASS_MINUTES, relationshipWith } from './relationship.ts';

const tags = ['People'];
const errors = { 400: operationOutcome, 404: operationOutcome };
/** A break-glass reason must say enough for the review to judge it. */
export const MIN_REASON_LENGTH = 10;

const nhsNumberField = z.string().trim().max(20);

/** The NHS number given, checked; a 400 naming the field if it is not a valid one. */
export function nhsNumberOrThrow(given: string, field: string): string {
  const parsed = parseNhsNumber(given);
  if (!parsed.ok)
    throw new AppError('invalid', `The NHS number ${parsed.reason}.`, [
      { diagnostics: `The NHS number ${parsed.reason}.`, expression: [field] },
    ]);
  return parsed.value;
}

/** The person of the place with this NHS number, if any. */
export const personByNhsNumber = (db: Kysely<Database>, placeId: string, nhsNumber: string) =>
  db
    .selectFrom('person')
    .select('id')
    .where('place_id', '=', placeId)
    .where('nhs_number', '=', nhsNumber)
    .executeTakeFirst();

export function breakGlassRoutes(app: App, db: Kysely<Database>): void {
  app.get(
    '/api/places/:placeId/people',
    {
      schema: {
        tags,
        summary: 'Find a person you have a relationship with by NHS number',
        params: z.object({ placeId: placeIdParam }),
        querystring: z.object({ nhsNumber: nhsNumberField }),
        response: { 200: personFound, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const nhsNumber = nhsNumberOrThrow(req.query.nhsNumber, 'nhsNumber');
      const person = await personByNhsNumber(db, req.params.placeId, nhsNumber);
      const relationship = person
        ? await relationshipWith(db, await access.relationships(), req.params.placeId, person.id)
        : null;
      access.audit({
        action: 'search',
        personIds: person ? [person.id] : [],
        purpose: 'direct-care',
        relationship,
        outcome: relationship ? 'allowed' : 'denied',
        detail: person ? '' : 'no person with the NHS number searched for',
      });
      if (!person || !relationship) throw notFoundPerson();
      return { personId: person.id, relationship };
    },
  );

  app.post(
    '/api/places/:placeId/break-glass',
    {
      schema: {
        tags,
        summary: `Break glass: see one person's record for ${BREAK_GLASS_MINUTES} minutes without a relationship, giving the reason; the information governance officer reviews every use`,
        params: z.object({ placeId: placeIdParam }),
        body: z.object({
          nhsNumber: nhsNumberField,
          reason: z
            .string()
            .trim()
            .min(
              MIN_REASON_LENGTH,
              `Say why you need to see this record now (at least ${MIN_REASON_LENGTH} characters)`,
            )
            .max(1000),
        }),
        response: {
          201: breakGlassStarted,
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const nhsNumber = nhsNumberOrThrow(req.body.nhsNumber, 'nhsNumber');
      const person = await personByNhsNumber(db, req.params.placeId, nhsNumber);
      access.audit({
        action: 'break-glass',
        personIds: person ? [person.id] : [],
        purpose: 'break-glass',
        relationship: person ? 'break-glass' : null,
        outcome: person ? 'allowed' : 'denied',
        detail: req.body.reason,
      });
      if (!person)
        throw new AppError('not-found', 'No one in this place has that NHS number. Check it and try again.', [
          { diagnostics: 'No one in this place has that NHS number.', expression: ['nhsNumber'] },
        ]);
      const row = await db
        .insertInto('break_glass')
        .values({
          id: randomUUID(),
          place_id: req.params.placeId,
          user_id: access.staff.id,
          person_id: person.id,
          reason: req.body.reason,
          expires_at: sql<Date>`now() + make_interval(mins => ${BREAK_GLASS_MINUTES})`,
        })
        .returning('expires_at')
        .executeTakeFirstOrThrow();
      reply.code(201);
      return { personId: person.id, expiresAt: new Date(row.expires_at).toISOString() };
    },
  );
}
