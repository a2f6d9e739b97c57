// Reaching a case from a route: the case, if the viewer may see it; any other is "not found", audited
// as a refused access to its person. Shared by the case routes and the routes that act on a case
// (referrals into services).
import type { Kysely } from 'kysely';
import type { Access } from '../access/access.plugin.ts';
import { AppError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import { type FoundCase, findCase } from './case.store.ts';

export async function loadVisibleCase(
  db: Kysely<Database>,
  access: Access,
  placeId: string,
  caseId: string,
  action: 'read' | 'write',
): Promise<FoundCase> {
  const found = await findCase(db, access.staff, placeId, caseId);
  if (!found) {
    const hidden = await db
      .selectFrom('care_case')
      .select('person_id')
      .where('id', '=', caseId)
      .where('place_id', '=', placeId)
      .executeTakeFirst();
    access.audit({
      action,
      personIds: hidden ? [hidden.person_id] : [],
      purpose: 'direct-care',
      relationship: null,
      outcome: 'denied',
    });
    throw new AppError('not-found', 'There is no case you can see with this id.');
  }
  access.audit({
    action,
    personIds: [found.person_id],
    purpose: 'direct-care',
    relationship: found.status === 'open' ? 'open case' : 'closed case',
    outcome: 'allowed',
  });
  return found;
}
