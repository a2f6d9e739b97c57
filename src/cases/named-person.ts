// A person named in a request, as referrals and MDT nominations name them: by id, when the staff member
// already has a relationship with them (from a worklist or a record), or by NHS number, for anyone who
// lives in the place (which is how a referral or nomination starts). Either way the access is audited.
import type { Kysely } from 'kysely';
import type { Access } from '../access/access.plugin.ts';
import { nhsNumberOrThrow, personByNhsNumber } from '../access/person-lookup.store.ts';
import { fieldError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';

export async function namedPerson(
  db: Kysely<Database>,
  access: Access,
  placeId: string,
  named: { personId?: string | undefined; nhsNumber?: string | undefined },
  what: { relationship: string; detail: string },
): Promise<string> {
  if (named.personId) {
    await access.requirePerson(placeId, named.personId);
    return named.personId;
  }
  const person = await personByNhsNumber(db, placeId, nhsNumberOrThrow(named.nhsNumber ?? '', 'nhsNumber'));
  access.audit({
    action: 'write',
    personIds: person ? [person.id] : [],
    purpose: 'direct-care',
    relationship: person ? what.relationship : null,
    outcome: person ? 'allowed' : 'denied',
    detail: what.detail,
  });
  if (!person) {
    const message = 'nhsNumber: there is no resident of this place with that NHS number.';
    throw fieldError('not-found', 'nhsNumber', message);
  }
  return person.id;
}
