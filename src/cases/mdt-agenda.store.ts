// Building an MDT meeting's agenda in the database: when the team last met, the people the facts
// suggest (new referrals, reviews due, rising risk, unplanned care, huddle outcomes, nominations), and
// adding them to the agenda under the meeting's lock, so two builds never add the same person twice.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { formatDate } from '../core/dates.ts';
import type { Database } from '../db/database.ts';
import {
  agendaWithin,
  dateInEngland,
  EFI_BANDS,
  HFRS_BANDS,
  nominationDetail,
  referralDetail,
  reviewDetail,
  riskRises,
  type Suggestion,
  unplannedCareDetail,
} from './agenda.ts';
import { lockMeeting, type MeetingRow, nextPosition } from './mdt.store.ts';
import type { Team } from './organisation.store.ts';

type Db = Kysely<Database>;

/** When the team last met (its latest held meeting before this one), or null. */
export async function previousMeetingAt(db: Db, meeting: MeetingRow): Promise<Date | null> {
  const row = await db
    .selectFrom('mdt_meeting')
    .select(sql<Date | null>`max(starts_at)`.as('at'))
    .where('team_id', '=', meeting.team_id)
    .where('place_id', '=', meeting.place_id)
    .where('status', '=', 'held')
    .where('starts_at', '<', meeting.starts_at)
    .where('id', '<>', meeting.id)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

export interface AgendaWindow {
  /** The meeting's date in England: reviews due on or before it are suggested. */
  meetingDate: string;
  /** Since the team last met: unplanned care and nominations after this are suggested. */
  since: Date;
  /** Today in England: a review due before it is overdue. */
  today: string;
}

/**
 * Everyone the agenda suggests for the team, by reason, each reason's people in the order they should
 * be discussed. Set-based: one query per reason over the team's open caseload and referrals.
 */
export async function suggestionsFor(db: Db, meeting: MeetingRow, team: Team, window: AgendaWindow) {
  const placeId = meeting.place_id;
  const teamId = meeting.team_id;
  // An encounter carries a date only: one on the day of the last meeting may have come after it.
  const sinceDate = dateInEngland(window.since);
  const openCases = () =>
    db
      .selectFrom('care_case as c')
      .where('c.place_id', '=', placeId)
      .where('c.team_id', '=', teamId)
      .where('c.status', '=', 'open');
  const efi = sql.val([...EFI_BANDS]);
  const hfrs = sql.val([...HFRS_BANDS]);
  const neighbourhood = team.neighbourhoodCode;
  const [referrals, reviews, risks, unplanned, worklists, huddles] = await Promise.all([
    db
      .selectFrom('int_referral')
      .select(['id', 'person_id', 'urgency', 'referrer', 'reason', 'created_at'])
      .where('place_id', '=', placeId)
      .where('team_id', '=', teamId)
      .where('status', '=', 'awaiting-triage')
      .orderBy('urgency', 'desc')
      .orderBy('created_at')
      .execute(),
    openCases()
      .select(['c.id', 'c.person_id', 'c.review_due_on'])
      .where('c.review_due_on', '<=', window.meetingDate)
      .orderBy('c.review_due_on')
      .execute(),
    openCases()
      .innerJoin('person_risk as r', (j) =>
        j.onRef('r.person_id', '=', 'c.person_id').onRef('r.place_id', '=', 'c.place_id'),
      )
      .select(['c.id', 'c.person_id', 'c.risk_seen', 'r.efi_band', 'r.hfrs_band'])
      .where(
        sql<boolean>`(coalesce(array_position(${efi}::text[], c.risk_seen->>'efi'), 1) < array_position(${efi}::text[], r.efi_band)
          or coalesce(array_position(${hfrs}::text[], c.risk_seen->>'hfrs'), 1) < array_position(${hfrs}::text[], r.hfrs_band))`,
      )
      .orderBy('r.efi_score', 'desc')
      .execute(),
    openCases()
      .innerJoin('encounter as e', (j) =>
        j.onRef('e.person_id', '=', 'c.person_id').onRef('e.place_id', '=', 'c.place_id'),
      )
      .select(['c.id', 'c.person_id', 'e.kind', 'e.start_date'])
      .where('e.kind', 'in', ['ed', 'emergency-admission'])
      .where('e.start_date', '>=', sinceDate)
      .orderBy('e.start_date', 'desc')
      .execute(),
    neighbourhood === null
      ? Promise.resolve([])
      : db
          .selectFrom('worklist_decision as d')
          .innerJoin('worklist as w', 'w.id', 'd.worklist_id')
          .select(['d.person_id', 'd.reason', 'd.decided_by', 'd.decided_at', 'w.name'])
          .where('w.place_id', '=', placeId)
          .where((eb) =>
            eb.or([
              eb.and([eb('w.scope', '=', 'neighbourhood'), eb('w.scope_code', '=', neighbourhood)]),
              eb.and([
                eb('w.scope', '=', 'practice'),
                eb(
                  'w.scope_code',
                  'in',
                  eb
                    .selectFrom('practice')
                    .select('ods_code')
                    .where('place_id', '=', placeId)
                    .where('neighbourhood_code', '=', neighbourhood),
                ),
              ]),
            ]),
          )
          .where('d.decision', '=', 'discuss-at-mdt')
          .where('d.decided_at', '>', window.since)
          // Only where that is still the latest decision about the person on that worklist.
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('worklist_decision as later')
                  .select(sql`1`.as('one'))
                  .whereRef('later.worklist_id', '=', 'd.worklist_id')
                  .whereRef('later.person_id', '=', 'd.person_id')
                  .whereRef('later.decided_at', '>', 'd.decided_at'),
              ),
            ),
          )
          .orderBy('d.decided_at')
          .execute(),
    db
      .selectFrom('huddle_outcome as o')
      .innerJoin('huddle as h', 'h.id', 'o.huddle_id')
      .select(['o.person_id', 'o.item', 'o.recorded_by', 'h.started_at'])
      .where('h.place_id', '=', placeId)
      .where('h.team_id', '=', teamId)
      .where('o.outcome', '=', 'discuss-at-mdt')
      .where('o.recorded_at', '>', window.since)
      .orderBy('o.recorded_at')
      .execute(),
  ]);

  const suggestions: Suggestion[] = [];
  for (const r of referrals)
    suggestions.push({
      personId: r.person_id,
      reason: 'new-referral',
      detail: referralDetail({ ...r, createdAt: new Date(r.created_at) }),
      caseId: null,
      referralId: r.id,
    });
  for (const c of reviews)
    suggestions.push({
      personId: c.person_id,
      reason: 'review-due',
      detail: reviewDetail(c.review_due_on ?? window.meetingDate, window.today),
      caseId: c.id,
      referralId: null,
    });
  for (const c of risks) {
    const rises = riskRises(c.risk_seen, { efi: c.efi_band, hfrs: c.hfrs_band });
    if (rises.length > 0)
      suggestions.push({
        personId: c.person_id,
        reason: 'risk-rose',
        detail: rises.join('; '),
        caseId: c.id,
        referralId: null,
      });
  }
  const byPerson = new Map<
    string,
    { caseId: string; events: { kind: 'ed' | 'emergency-admission'; startDate: string }[] }
  >();
  for (const e of unplanned) {
    const held = byPerson.get(e.person_id) ?? { caseId: e.id, events: [] };
    held.events.push({ kind: e.kind as 'ed' | 'emergency-admission', startDate: e.start_date });
    byPerson.set(e.person_id, held);
  }
  for (const [personId, { caseId, events }] of byPerson)
    suggestions.push({
      personId,
      reason: 'unplanned-care',
      detail: unplannedCareDetail(events),
      caseId,
      referralId: null,
    });
  for (const d of worklists)
    suggestions.push({
      personId: d.person_id,
      reason: 'nominated',
      detail: nominationDetail({ where: `the worklist "${d.name}"`, reason: d.reason, by: d.decided_by }),
      caseId: null,
      referralId: null,
    });
  for (const h of huddles)
    suggestions.push({
      personId: h.person_id,
      reason: 'nominated',
      detail: nominationDetail({
        where: `the huddle on ${formatDate(dateInEngland(new Date(h.started_at)))}`,
        reason: HUDDLE_ITEM_WORDS[h.item],
        by: h.recorded_by,
      }),
      caseId: null,
      referralId: null,
    });
  return suggestions;
}

const HUDDLE_ITEM_WORDS = {
  'unplanned-care': 'unplanned care since the last huddle',
  'overdue-action': 'an overdue action',
  'new-referral': 'a new referral',
} as const;

/**
 * Adds the suggested people not yet on the agenda, after the items already there. Nominations found
 * only from a worklist or a huddle get the person's open case or waiting referral, when they have one.
 */
export async function buildAgenda(
  db: Db,
  meeting: MeetingRow,
  suggestions: readonly Suggestion[],
  addedBy: string,
) {
  return db.transaction().execute(async (trx) => {
    await lockMeeting(trx, meeting.id, ['scheduled'], 'build its agenda');
    const onAgenda = await trx
      .selectFrom('mdt_item')
      .select('person_id')
      .where('meeting_id', '=', meeting.id)
      .execute();
    const { items, waiting } = agendaWithin(
      suggestions,
      new Set(onAgenda.map((i) => i.person_id)),
      await nextPosition(trx, meeting.id),
    );
    const builtAt = new Date();
    if (items.length > 0) {
      await trx
        .insertInto('mdt_item')
        .values(
          items.map((i) => ({
            id: randomUUID(),
            meeting_id: meeting.id,
            place_id: meeting.place_id,
            person_id: i.personId,
            case_id: i.caseId,
            referral_id: i.referralId,
            reason: i.reason,
            reason_detail: i.detail,
            position: i.position,
            discussed_at: null,
            recorded_by: null,
            added_by: addedBy,
          })),
        )
        .execute();
      // Worklist and huddle nominations name no case or referral: fill them in from the team's records.
      await sql`
        update mdt_item as i set
          case_id = coalesce(i.case_id, (select c.id from care_case c
            where c.person_id = i.person_id and c.team_id = ${meeting.team_id} and c.status = 'open')),
          referral_id = coalesce(i.referral_id, (select r.id from int_referral r
            where r.person_id = i.person_id and r.team_id = ${meeting.team_id} and r.status = 'awaiting-triage'))
        where i.meeting_id = ${meeting.id} and i.reason = 'nominated' and i.case_id is null`.execute(trx);
    }
    await trx
      .updateTable('mdt_meeting')
      .set({ agenda_built_at: builtAt })
      .where('id', '=', meeting.id)
      .execute();
    return { added: items.map((i) => i.personId), waiting, builtAt };
  });
}
