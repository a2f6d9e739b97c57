// Which care resources a member of staff may see, as the case pages decide it: the CarePlan, CareTeam,
// Goals and Tasks of the cases they may see (their team's, narrowed by consent), every referral into a
// team, and a referral into a directory service made from a case they may see or received by their
// agency. Used by the FHIR API's reads and searches and by a direct-care bulk export, so neither gives
// more than the pages do.
import type { Kysely } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import { type CaseEb, visibleCase } from '../cases/case-relationship.ts';
import { anyOf } from '../db/any-of.ts';
import type { Database } from '../db/database.ts';
import { receivedBy } from '../directory/service-referral-relationship.ts';
import type { Resource } from '../synth/fhir.ts';

/** A case's UUID is the first 36 characters of its CarePlan's, CareTeam's and Goals' ids. */
const CASE_ID_LENGTH = 36;

/** Whether the viewer may see each care resource of these people: two queries, however many people. */
export async function careVisibleTo(
  db: Kysely<Database>,
  placeId: string,
  personIds: readonly string[],
  staff: Staff,
): Promise<(r: Resource) => boolean> {
  if (personIds.length === 0) return () => false;
  const visible = visibleCase(staff);
  const [cases, received] = await Promise.all([
    db
      .selectFrom('care_case as c')
      .select('c.id')
      .where('c.place_id', '=', placeId)
      .where('c.person_id', '=', anyOf(personIds))
      .where((eb) => visible(eb as unknown as CaseEb))
      .execute(),
    db
      .selectFrom('service_referral as sr')
      .select('sr.id')
      .where('sr.place_id', '=', placeId)
      .where('sr.person_id', '=', anyOf(personIds))
      .where(receivedBy(staff))
      .execute(),
  ]);
  const seen = new Set(cases.map((c) => c.id));
  const receivedIds = new Set(received.map((r) => r.id));
  const planOf = (r: Resource) =>
    String((r.basedOn as { reference: string }[] | undefined)?.[0]?.reference ?? '').replace('CarePlan/', '');
  return (r) => {
    // A referral into a team has no plan behind it; one into a directory service is based on its case's.
    if (r.resourceType === 'ServiceRequest')
      return !r.basedOn || seen.has(planOf(r)) || receivedIds.has(r.id);
    if (r.resourceType === 'Task') return seen.has(planOf(r));
    return seen.has(r.id.slice(0, CASE_ID_LENGTH));
  };
}
