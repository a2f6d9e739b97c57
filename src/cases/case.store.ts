// Cases in the database: the caseload, a case's details, consent, reviews, contacts and closure, and
// what case management shows of people. Every change to a case bumps its version and keeps the new state
// in record_version, in the same transaction; a save that names a version other than the current one
// changes nothing and answers 409 with the current version. Referrals are in referral.store.ts, plans
// and their actions in plan.store.ts.
import { randomUUID } from 'node:crypto';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import { ageOn } from '../core/dates.ts';
import { AppError, fieldError } from '../core/errors.ts';
import type { CaseSummary, PersonSummary } from '../core/schemas/case.ts';
import { anyOf } from '../db/any-of.ts';
import type { Database } from '../db/database.ts';
import { type CaseEb, sharesOnImpliedConsent, visibleCase } from './case-relationship.ts';
import { type Directory, practitionerOrThrow } from './organisation.store.ts';
import { closureProblems, OPEN_ACTION } from './plan-rules.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

// ---- People, as the case pages show them ---------------------------------------------------------

export interface PersonRow {
  person_id: string;
  nhs_number: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  neighbourhood_code: string | null;
  efi_band: string | null;
  hfrs_band: string | null;
}

export function personOut(row: PersonRow, today: string): PersonSummary {
  return {
    id: row.person_id,
    nhsNumber: row.nhs_number,
    name: `${row.given_name} ${row.family_name}`,
    dateOfBirth: row.date_of_birth,
    age: ageOn(row.date_of_birth, today),
    neighbourhoodCode: row.neighbourhood_code,
    efiBand: row.efi_band,
    hfrsBand: row.hfrs_band,
  };
}

/** What case management shows of a person, from `person as p` left-joined to `person_risk as r`. */
export const PERSON_COLUMNS = [
  'p.id as person_id',
  'p.nhs_number',
  'p.given_name',
  'p.family_name',
  'p.date_of_birth',
  'r.neighbourhood_code',
  'r.efi_band',
  'r.hfrs_band',
] as const;

/** People by id, with what case management shows of them. */
export async function peopleById(db: Db, placeId: string, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, PersonRow>();
  const rows = await db
    .selectFrom('person as p')
    .leftJoin('person_risk as r', (j) =>
      j.onRef('r.person_id', '=', 'p.id').onRef('r.place_id', '=', 'p.place_id'),
    )
    .select(PERSON_COLUMNS)
    .where('p.place_id', '=', placeId)
    .where('p.id', '=', anyOf(ids))
    .execute();
  return new Map(rows.map((r) => [r.person_id, r]));
}

// ---- Versions ---------------------------------------------------------------------------------------

/** The current version of a case or plan, for a 409 that names it. */
export function staleVersion(kind: 'case' | 'plan', current: number, given: number): AppError {
  const message = `This ${kind} has changed since you opened it: you saved from version ${given}, and version ${current} is the current one. Reload it, then make your change again.`;
  return fieldError('conflict', 'version', message);
}

export async function keepVersion(
  trx: Trx,
  entry: {
    kind: 'case' | 'plan';
    recordId: string;
    version: number;
    placeId: string;
    personId: string;
    snapshot: unknown;
    change: string;
    by: Staff | string;
  },
) {
  await trx
    .insertInto('record_version')
    .values({
      kind: entry.kind,
      record_id: entry.recordId,
      version: entry.version,
      place_id: entry.placeId,
      person_id: entry.personId,
      snapshot: JSON.stringify(entry.snapshot),
      change: entry.change,
      changed_by: typeof entry.by === 'string' ? entry.by : byLabel(entry.by),
      changed_by_id: typeof entry.by === 'string' ? null : entry.by.id,
    })
    .execute();
}

export const byLabel = (staff: Staff) => staff.name;

// ---- Cases ---------------------------------------------------------------------------------------------

type CaseRow = Awaited<ReturnType<ReturnType<typeof caseBase>['executeTakeFirstOrThrow']>>;

export function caseSnapshot(
  row: Pick<
    CaseRow,
    | 'status'
    | 'lead_practitioner_id'
    | 'key_worker_ids'
    | 'review_due_on'
    | 'consent_status'
    | 'consent_agencies'
    | 'closure_reason'
    | 'closure_outcome'
    | 'closure_override_reason'
  >,
) {
  return {
    status: row.status,
    leadPractitionerId: row.lead_practitioner_id,
    keyWorkerIds: row.key_worker_ids,
    reviewDueOn: row.review_due_on,
    consent: { status: row.consent_status, agencies: row.consent_agencies },
    closure: row.closure_reason
      ? {
          reason: row.closure_reason,
          outcome: row.closure_outcome,
          overrideReason: row.closure_override_reason,
        }
      : null,
  };
}

function caseBase(db: Db | Trx, placeId: string) {
  return db
    .selectFrom('care_case as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .leftJoin('person_risk as r', (j) =>
      j.onRef('r.person_id', '=', 'p.id').onRef('r.place_id', '=', 'p.place_id'),
    )
    .select([
      'c.id',
      'c.place_id',
      'c.team_id',
      'c.referral_id',
      'c.status',
      'c.lead_practitioner_id',
      'c.key_worker_ids',
      'c.opened_at',
      'c.review_due_on',
      'c.consent_status',
      'c.consent_agencies',
      'c.closed_at',
      'c.closure_reason',
      'c.closure_outcome',
      'c.closure_override_reason',
      'c.version',
      'c.updated_at',
      'c.updated_by',
      ...PERSON_COLUMNS,
      'r.efi_score',
      'r.hfrs_score',
    ])
    .where('c.place_id', '=', placeId);
}

/** Open-action and overdue counts per case, as a lateral subquery's columns. */
const actionCounts = (today: string) =>
  sql<{ open_actions: number; overdue_actions: number }>`(
    select count(*)::int as open_actions,
           count(*) filter (where a.due_on < ${today}::date)::int as overdue_actions
    from plan_action a where a.case_id = c.id and a.status in ('to-do', 'in-progress'))`;

/**
 * A case the staff member may see: open ones through the relationship rule (team, lead, key worker or
 * action owner, narrowed by consent); closed ones to their team's health and social care staff only.
 */
export async function findCase(db: Db, staff: Staff, placeId: string, caseId: string) {
  const closedToo = staff.teamId !== null && sharesOnImpliedConsent(staff) ? staff.teamId : null;
  const row = await caseBase(db, placeId)
    .where('c.id', '=', caseId)
    .where((eb) => {
      const e = eb as unknown as CaseEb;
      const open = visibleCase(staff)(e);
      if (closedToo === null) return open;
      return e.or([open, e.and([e('c.status', '=', 'closed'), e('c.team_id', '=', closedToo)])]);
    })
    .executeTakeFirst();
  return row ?? null;
}
export type FoundCase = NonNullable<Awaited<ReturnType<typeof findCase>>>;

export function caseSummaryOut(
  row: FoundCase & { open_actions: number; overdue_actions: number },
  dir: Directory,
  today: string,
): CaseSummary {
  return {
    id: row.id,
    person: personOut(row, today),
    teamId: row.team_id,
    status: row.status,
    leadPractitioner: dir.practitioner(row.lead_practitioner_id) ?? {
      id: row.lead_practitioner_id,
      title: row.lead_practitioner_id,
      teamId: null,
      agencyId: '',
      agencyName: '',
      label: row.lead_practitioner_id,
    },
    openedAt: new Date(row.opened_at).toISOString(),
    reviewDueOn: row.review_due_on,
    openActions: row.open_actions,
    overdueActions: row.overdue_actions,
  };
}

export const CASELOAD_ORDER = {
  'review-due': sql`c.review_due_on asc nulls last, p.family_name, p.given_name`,
  'overdue-actions': sql`overdue_actions desc, c.review_due_on asc nulls last, p.family_name`,
  name: sql`p.family_name, p.given_name, p.date_of_birth`,
  opened: sql`c.opened_at desc`,
} as const;

/** A team's open caseload, one page, only the cases this staff member may see. */
export async function caseloadPage(
  db: Db,
  staff: Staff,
  placeId: string,
  teamId: string,
  options: { page: number; pageSize: number; sort: keyof typeof CASELOAD_ORDER; today: string },
) {
  const visible = (eb: unknown) => visibleCase(staff)(eb as CaseEb);
  const [rows, totals] = await Promise.all([
    caseBase(db, placeId)
      .innerJoinLateral(actionCounts(options.today).as('ac'), (j) => j.onTrue())
      .select(['ac.open_actions', 'ac.overdue_actions'])
      .where('c.team_id', '=', teamId)
      .where('c.status', '=', 'open')
      .where(visible)
      .orderBy(CASELOAD_ORDER[options.sort])
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .execute(),
    db
      .selectFrom('care_case as c')
      .select([
        sql<number>`count(*)::int`.as('total'),
        sql<number>`(count(*) filter (where c.review_due_on < ${options.today}::date))::int`.as(
          'reviews_overdue',
        ),
      ])
      .where('c.place_id', '=', placeId)
      .where('c.team_id', '=', teamId)
      .where('c.status', '=', 'open')
      .where(visible)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: totals.total, reviewsOverdue: totals.reviews_overdue };
}

export async function actionCountsOf(db: Db | Trx, caseId: string, today: string) {
  const row = await db
    .selectFrom('plan_action')
    .select([
      sql<number>`count(*)::int`.as('open_actions'),
      sql<number>`(count(*) filter (where due_on < ${today}::date))::int`.as('overdue_actions'),
    ])
    .where('case_id', '=', caseId)
    .where('status', 'in', OPEN_ACTION)
    .executeTakeFirstOrThrow();
  return row;
}

/** Changes a case under its version: the update only applies to the version the writer read. */
async function changeCase(
  db: Db,
  staff: Staff,
  found: FoundCase,
  expected: number | null,
  change: string,
  set: Partial<{
    status: 'open' | 'closed';
    lead_practitioner_id: string;
    key_worker_ids: string[];
    review_due_on: string | null;
    consent_status: 'given' | 'declined' | 'withdrawn';
    consent_agencies: string[];
    risk_seen: string;
    closed_at: Date;
    closure_reason: string;
    closure_outcome: string;
    closure_override_reason: string | null;
  }>,
  also?: (trx: Trx) => Promise<void>,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let update = trx
      .updateTable('care_case')
      .set({ ...set, version: sql`version + 1`, updated_at: new Date(), updated_by: byLabel(staff) })
      .where('id', '=', found.id)
      .where('status', '=', 'open');
    if (expected !== null) update = update.where('version', '=', expected);
    const row = await update.returningAll().executeTakeFirst();
    if (!row) {
      const current = await trx
        .selectFrom('care_case')
        .select(['version', 'status'])
        .where('id', '=', found.id)
        .executeTakeFirstOrThrow();
      if (current.status !== 'open') throw closedCase();
      throw staleVersion('case', current.version, expected ?? 0);
    }
    await also?.(trx);
    await keepVersion(trx, {
      kind: 'case',
      recordId: row.id,
      version: row.version,
      placeId: row.place_id,
      personId: row.person_id,
      snapshot: caseSnapshot(row),
      change,
      by: staff,
    });
    return row.version;
  });
}

function closedCase(): AppError {
  const message =
    'This case is closed; a closed case cannot be changed. Refer the person again to reopen work.';
  return fieldError('business-rule', 'status', message);
}

export const requireOpen = (found: FoundCase) => {
  if (found.status !== 'open') throw closedCase();
};

/**
 * Holds the case open for the rest of the transaction (a share lock: closing it waits), or refuses
 * if it closed meanwhile. Plan changes take it, so a case never closes under a plan being changed.
 */
export async function holdOpen(trx: Trx, caseId: string): Promise<void> {
  const row = await trx
    .selectFrom('care_case')
    .select('status')
    .where('id', '=', caseId)
    .forShare()
    .executeTakeFirst();
  if (row?.status !== 'open') throw closedCase();
}

export async function updateCase(
  db: Db,
  dir: Directory,
  staff: Staff,
  found: FoundCase,
  input: { version: number; leadPractitionerId: string; keyWorkerIds: string[]; reviewDueOn: string | null },
) {
  requireOpen(found);
  const lead = practitionerOrThrow(dir, input.leadPractitionerId, 'leadPractitionerId');
  const keyWorkers = [...new Set(input.keyWorkerIds)].map(
    (id, i) => practitionerOrThrow(dir, id, `keyWorkerIds.${i}`).id,
  );
  const changes: string[] = [];
  if (lead.id !== found.lead_practitioner_id) changes.push(`lead professional now ${lead.label}`);
  if (keyWorkers.join() !== found.key_worker_ids.join()) changes.push('key workers changed');
  if (input.reviewDueOn !== found.review_due_on) changes.push(`review due ${input.reviewDueOn ?? 'not set'}`);
  return changeCase(db, staff, found, input.version, `Case updated: ${changes.join('; ') || 'no change'}`, {
    lead_practitioner_id: lead.id,
    key_worker_ids: keyWorkers,
    review_due_on: input.reviewDueOn,
  });
}

export async function recordConsent(
  db: Db,
  dir: Directory,
  staff: Staff,
  found: FoundCase,
  input: {
    status: 'given' | 'declined' | 'withdrawn';
    givenBy: 'person' | 'representative' | 'best-interests-decision';
    agencies: string[];
    purpose: string;
  },
) {
  requireOpen(found);
  const known = new Set(dir.agencies.map((a) => a.id));
  input.agencies.forEach((a, i) => {
    if (!known.has(a))
      throw new AppError('invalid', `There is no agency "${a}" in this place.`, [
        {
          diagnostics: `agencies.${i}: there is no agency "${a}" in this place.`,
          expression: [`agencies.${i}`],
        },
      ]);
  });
  const agencies = input.status === 'given' ? [...new Set(input.agencies)] : [];
  const names = agencies.map((a) => dir.agencyName(a)).join(', ');
  return changeCase(
    db,
    staff,
    found,
    null,
    `Consent to share ${input.status}${names ? ` with ${names}` : ''}`,
    { consent_status: input.status, consent_agencies: agencies },
    async (trx) => {
      await trx
        .insertInto('consent_record')
        .values({
          id: randomUUID(),
          case_id: found.id,
          status: input.status,
          given_by: input.givenBy,
          agencies,
          purpose: input.purpose,
          recorded_by: byLabel(staff),
        })
        .execute();
    },
  );
}

export async function addReview(
  db: Db,
  staff: Staff,
  found: FoundCase,
  input: { heldOn: string; summary: string; nextReviewOn: string | null },
) {
  requireOpen(found);
  if (input.nextReviewOn !== null && input.nextReviewOn <= input.heldOn) {
    const message = 'nextReviewOn: the next review must come after this one.';
    throw fieldError('invalid', 'nextReviewOn', message);
  }
  return changeCase(
    db,
    staff,
    found,
    null,
    `Reviewed on ${input.heldOn}; next review ${input.nextReviewOn ?? 'not set'}`,
    { review_due_on: input.nextReviewOn },
    async (trx) => {
      await trx
        .insertInto('case_review')
        .values({
          id: randomUUID(),
          case_id: found.id,
          held_on: input.heldOn,
          summary: input.summary,
          next_review_on: input.nextReviewOn,
          recorded_by: byLabel(staff),
        })
        .execute();
    },
  );
}

export async function addContact(
  db: Db,
  staff: Staff,
  found: FoundCase,
  input: {
    contactAt: string;
    mode: 'home-visit' | 'clinic' | 'phone' | 'video' | 'message' | 'meeting';
    note: string;
  },
) {
  requireOpen(found);
  if (new Date(input.contactAt).getTime() > Date.now() + 5 * 60_000) {
    const message = 'contactAt: a contact cannot be recorded in the future.';
    throw fieldError('invalid', 'contactAt', message);
  }
  const id = randomUUID();
  await db
    .insertInto('case_contact')
    .values({
      id,
      case_id: found.id,
      person_id: found.person_id,
      contact_at: new Date(input.contactAt),
      mode: input.mode,
      note: input.note,
      recorded_by: byLabel(staff),
    })
    .execute();
  return id;
}

export async function closeCase(
  db: Db,
  staff: Staff,
  found: FoundCase,
  input: { version: number; reason: string; outcome: string; overrideReason?: string | undefined },
  today: string,
) {
  requireOpen(found);
  const counts = await actionCountsOf(db, found.id, today);
  const check = (open: number) => {
    const problems = closureProblems(open, input.overrideReason);
    if (problems.length > 0) throw new AppError('business-rule', problems[0]?.diagnostics ?? '', problems);
  };
  check(counts.open_actions);
  return changeCase(
    db,
    staff,
    found,
    input.version,
    `Case closed: ${input.reason}${input.overrideReason ? ` (with ${counts.open_actions} open actions: ${input.overrideReason})` : ''}`,
    {
      status: 'closed',
      closed_at: new Date(),
      closure_reason: input.reason,
      closure_outcome: input.outcome,
      closure_override_reason: input.overrideReason || null,
    },
    // Counted again under the case's lock: an action added a moment ago is counted.
    async (trx) => check((await actionCountsOf(trx, found.id, today)).open_actions),
  );
}

export async function versionsOf(db: Db, caseId: string) {
  return db
    .selectFrom('record_version')
    .select(['kind', 'version', 'change', 'changed_by', 'changed_at', 'snapshot'])
    .where('record_id', '=', caseId)
    .orderBy('changed_at', 'desc')
    .orderBy('kind')
    .orderBy('version', 'desc')
    .execute();
}

export async function reviewsOf(db: Db, caseId: string) {
  return db
    .selectFrom('case_review')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('held_on', 'desc')
    .execute();
}

export async function consentHistoryOf(db: Db, caseId: string) {
  return db
    .selectFrom('consent_record')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('recorded_at', 'desc')
    .execute();
}

/**
 * Removes everything case management holds about these people (a subquery of person ids), inside the
 * caller's transaction: what a new synthetic population does to the people it replaces.
 */
export async function deleteCaseRecordsOf(trx: Trx, personIds: RawBuilder<unknown>): Promise<void> {
  const cases = sql`select id from care_case where person_id in (${personIds})`;
  for (const table of ['plan_action', 'care_plan', 'case_review', 'case_contact', 'consent_record'])
    await sql`delete from ${sql.table(table)} where case_id in (${cases})`.execute(trx);
  await sql`delete from service_referral_event where referral_id in (
    select id from service_referral where person_id in (${personIds}))`.execute(trx);
  for (const table of [
    'service_referral',
    'record_version',
    'mdt_item',
    'huddle_outcome',
    'care_case',
    'int_referral',
  ])
    await sql`delete from ${sql.table(table)} where person_id in (${personIds})`.execute(trx);
}
