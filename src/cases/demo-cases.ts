// A demo caseload: open cases across a place's Integrated Neighbourhood Teams, so that a synthetic
// deployment has cases, plans and actions to explore (and the case-management benchmark has 5,000 to
// measure). For each team, the people are chosen inside the database — living synthetic residents of its
// neighbourhood (never a real person's record), the more frail and the more recently admitted in an emergency the likelier, ranked by a
// hash of the seed — and each case is then written as it would have been made through the product: an
// accepted referral, the case with its lead professional and key workers, a plan in the person's words,
// actions owned by the team's agencies, and version 1 of the case and the plan. The same seed on the
// same population chooses the same people and writes the same cases. People who already have an open
// case with the team are left alone, so running it twice adds nothing.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ActionStatus, AgencyKind, Database, PlanGoal } from '../db/database.ts';
import { dayOf, isoDateOf } from '../synth/dates.ts';
import { chance, type Random, randomStream, uniformInt } from '../synth/random.ts';
import { IMPLIED_CONSENT_KINDS } from './case-relationship.ts';
import { shortTeamName } from './organisation.store.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export interface DemoCaseOptions {
  /** People chosen per team; those of them who already have an open case with it are left alone. */
  perTeam: number;
  seed: number;
  /** YYYY-MM-DD: review and due dates are spread around it. */
  today: string;
}

export interface DemoCaseCounts {
  teams: { teamId: string; teamName: string; opened: number; alreadyOpen: number }[];
  /** Cases opened by this run (each with its accepted referral and plan). */
  cases: number;
  actions: number;
  /** Cases whose person gave consent to share with the team's VCSE and housing agencies. */
  consentsGiven: number;
  /** Chosen people left alone: they already had an open case with the team, or a referral awaiting triage. */
  skipped: number;
}

/** Who the demo records say made them: nothing here was done by a member of staff. */
export const DEMO_BY = 'Joined Up demo data';
const CHANGE = 'Opened from demo data';
/** Cases written per transaction: short enough for PGlite, whose one connection everything else waits on. */
const BATCH = 500;

// ---- Words ---------------------------------------------------------------------------------------

const REASONS = [
  'Falls at home, lives alone',
  'Frailty getting worse; carer under strain',
  'Struggling with medicines after a hospital stay',
  'Lonely and not eating well',
  'Memory getting worse; family worried',
  'Breathing problems (COPD) and a cold, damp home',
  'Several long-term conditions and many appointments to juggle',
];
const ADMITTED_REASON = 'Emergency admissions in the last year; wants to stay at home';

const WHAT_MATTERS = [
  'Staying in my own home and seeing my grandchildren.',
  'My dog, Bess, and our walk to the park.',
  'Going to church on Sundays and seeing my friends there.',
  'Keeping my independence and not being a burden.',
  "Being well enough for my grandson's wedding in the summer.",
  'My allotment and the people I meet there.',
  'Looking after my wife at home for as long as I can.',
];
const STRENGTHS = [
  'Daughter visits on Sundays.',
  'Good neighbours who check in most days.',
  'Manages own medicines with a pill organiser.',
  'Determined, with a good sense of humour.',
  'Son lives nearby and drives.',
  'Goes to the day centre twice a week.',
  'Knows what helps when breathing gets bad.',
];
const RISKS = [
  'Lives alone.',
  'Stairs at home.',
  'Two falls this year.',
  'Carer is under strain.',
  'Sometimes forgets medicines.',
  'Cold house in winter.',
  'Not eating much since a bereavement.',
];
const GOALS = [
  'I want to get up and down my stairs without falling.',
  'I want to stay in my own home.',
  'I want to get out of the house once a week.',
  'I want to feel less lonely.',
  'I want to stay out of hospital this winter.',
  'I want to understand what all my tablets are for.',
  'I want my daughter to worry less about me.',
  'I want to walk to the shop again.',
  'I want to keep looking after my garden.',
];
const ACTIONS: Record<AgencyKind, string[]> = {
  'gp-practice': [
    'Medication review with the GP',
    'GP review of frailty and falls risk',
    'Talk about future care wishes (advance care plan)',
  ],
  'community-health': [
    'Falls assessment at home',
    'Check feet and skin at a home visit',
    'Continence assessment',
    'Weekly phone call to check how things are',
  ],
  'adult-social-care': [
    'Care Act assessment',
    'Review the home care package',
    "Carer's assessment for the family",
  ],
  'mental-health': [
    'Memory assessment',
    'Assess low mood and offer talking therapy',
    'Check in after the bereavement',
  ],
  vcse: [
    'Introduce to the Tuesday lunch club',
    'Arrange a befriending volunteer',
    'Help with the Attendance Allowance form',
  ],
  housing: [
    'Assess for grab rails and a stair rail',
    'Check the damp and the heating',
    'Talk about a move to a ground-floor flat',
  ],
  dwp: ['Benefits check'],
  police: ['Doorstep scam advice visit'],
  'fire-and-rescue': ['Safe and well visit: smoke alarms and heaters'],
  'family-hub': ['Support for the young carer in the family'],
  'public-health': ['Stop smoking support'],
};
/** The practitioners who lead a demo case, by their id after the team's (`${team}-${slug}`). */
const LEAD_SLUGS = ['care-coordinator', 'district-nurse', 'social-worker'];
const CONSENT_KINDS: readonly AgencyKind[] = ['vcse', 'housing'];

// ---- Choosing the people (in the database) --------------------------------------------------------

interface Candidate {
  team_id: string;
  person_id: string;
  efi_band: string;
  hfrs_band: string;
  emergency_12m: number;
  has_open: boolean;
  is_waiting: boolean;
}

/**
 * The first `perTeam` living synthetic residents of each INT's neighbourhood by a score: frailty (severe 4, moderate
 * 3, mild 1), emergency admissions in 12 months (1.5 each, up to 3) and a uniform draw of 0–4 from a hash
 * of the seed and the person, so that the frail and recently admitted are likelier but not the only ones.
 */
async function candidates(db: Db, placeId: string, perTeam: number, seed: number) {
  const draw = sql`(('x' || substr(md5(cast(${String(seed)} as text) || ':' || r.person_id::text), 1, 8))::bit(32)::bigint / 4294967296.0)`;
  const score = sql`(case r.efi_band when 'severe' then 4 when 'moderate' then 3 when 'mild' then 1 else 0 end)
    + 1.5 * least(r.emergency_12m, 3) + 4 * ${draw}`;
  const { rows } = await sql<Candidate>`
    select ranked.team_id, ranked.person_id, ranked.efi_band, ranked.hfrs_band, ranked.emergency_12m,
      exists (select 1 from care_case c
              where c.team_id = ranked.team_id and c.person_id = ranked.person_id and c.status = 'open') as has_open,
      exists (select 1 from int_referral f
              where f.team_id = ranked.team_id and f.person_id = ranked.person_id and f.status = 'awaiting-triage') as is_waiting
    from (
      select t.id as team_id, r.person_id, r.efi_band, r.hfrs_band, r.emergency_12m,
        row_number() over (partition by t.id order by ${score} desc, r.person_id) as rank
      from team t
      join person_risk r on r.place_id = t.place_id and r.neighbourhood_code = t.neighbourhood_code
      join person p on p.id = r.person_id and p.place_id = r.place_id
      where t.place_id = ${placeId} and t.kind = 'int' and p.source = 'synthetic' and p.date_of_death is null
    ) ranked
    where ranked.rank <= ${perTeam}
    order by ranked.team_id, ranked.rank`.execute(db);
  return rows;
}

// ---- Writing each case (pure, from its own random stream) -----------------------------------------

interface TeamMember {
  id: string;
  title: string;
  agencyId: string;
  kind: AgencyKind;
}

interface TeamInfo {
  id: string;
  name: string;
  members: TeamMember[];
  leads: TeamMember[];
  consentAgencies: string[];
}

const pick = <T>(r: Random, values: readonly T[]): T => values[Math.floor(r.next() * values.length)] as T;

/** `count` different values, in a random order. */
function pickSome<T>(r: Random, values: readonly T[], count: number): T[] {
  const pool = [...values];
  const out: T[] = [];
  while (out.length < count && pool.length > 0)
    out.push(pool.splice(Math.floor(r.next() * pool.length), 1)[0] as T);
  return out;
}

const dateIn = (today: string, from: number, to: number, r: Random) =>
  isoDateOf(dayOf(today) + uniformInt(r, from, to));
/** A moment in working hours on a day. */
const timeOn = (date: string, r: Random) =>
  new Date(
    `${date}T${String(uniformInt(r, 8, 16)).padStart(2, '0')}:${String(uniformInt(r, 0, 59)).padStart(2, '0')}:00Z`,
  );
const labelOf = (m: TeamMember, team: TeamInfo) => `${m.title}, ${shortTeamName(team.name)}`;
/** The stream of one person's demo case: the seed and the person decide it, not the batch it falls in. */
const streamOf = (seed: number, personId: string) =>
  randomStream(seed, Number.parseInt(personId.slice(0, 8), 16), 6);

function demoCase(c: Candidate, team: TeamInfo, seed: number, today: string) {
  const r = streamOf(seed, c.person_id);
  const caseId = randomUUID();
  const referralId = randomUUID();
  const openedOn = dateIn(today, -240, -30, r);
  const openedAt = timeOn(openedOn, r);
  const referredAt = timeOn(isoDateOf(dayOf(openedOn) - uniformInt(r, 1, 10)), r);

  const lead = pick(r, team.leads);
  const consentGiven = team.consentAgencies.length > 0 && chance(r, 0.3);
  const consentAgencies = consentGiven ? team.consentAgencies : [];
  // Only agencies that may see the case work on it: health and social care always, the rest by consent.
  const canSee = (m: TeamMember) =>
    IMPLIED_CONSENT_KINDS.includes(m.kind) || consentAgencies.includes(m.agencyId);
  const workers = team.members.filter((m) => canSee(m) && !m.id.endsWith('-int-lead'));
  const keyWorkers = pickSome(
    r,
    workers.filter((m) => m.agencyId !== lead.agencyId),
    uniformInt(r, 1, 2),
  );

  const referrer = chance(r, 0.5) ? null : pick(r, team.members);
  const referral = {
    id: referralId,
    place_id: '',
    person_id: c.person_id,
    team_id: team.id,
    source: referrer ? ('practitioner' as const) : ('worklist' as const),
    worklist_id: null,
    referrer: referrer ? labelOf(referrer, team) : `${shortTeamName(team.name)} case finding`,
    referrer_agency_id: referrer?.agencyId ?? null,
    referred_by: null,
    reason: c.emergency_12m > 0 && chance(r, 0.5) ? ADMITTED_REASON : pick(r, REASONS),
    urgency: chance(r, 0.15) ? ('urgent' as const) : ('routine' as const),
    status: 'accepted' as const,
    triaged_by: DEMO_BY,
    triaged_at: openedAt,
    decline_reason: null,
    case_id: caseId,
    created_at: referredAt,
  };

  const careCase = {
    id: caseId,
    place_id: '',
    person_id: c.person_id,
    team_id: team.id,
    referral_id: referralId,
    status: 'open' as const,
    lead_practitioner_id: lead.id,
    key_worker_ids: keyWorkers.map((m) => m.id),
    opened_at: openedAt,
    review_due_on: dateIn(today, -14, 56, r),
    consent_status: consentGiven ? ('given' as const) : ('not-recorded' as const),
    consent_agencies: consentAgencies,
    risk_seen: JSON.stringify({ efi: c.efi_band, hfrs: c.hfrs_band }),
    closed_at: null,
    closure_reason: null,
    closure_outcome: null,
    closure_override_reason: null,
    updated_at: openedAt,
    updated_by: DEMO_BY,
  };

  const goals: PlanGoal[] = pickSome(r, GOALS, uniformInt(r, 1, 2)).map((text, i) => ({
    id: `g${i + 1}`,
    text,
  }));
  const risks = [
    ...(c.efi_band === 'severe' ? ['Severe frailty.'] : []),
    ...(c.emergency_12m > 0
      ? [`${c.emergency_12m} emergency admission${c.emergency_12m === 1 ? '' : 's'} in the last year.`]
      : []),
    ...pickSome(r, RISKS, uniformInt(r, 1, 2)),
  ];
  const plan = {
    case_id: caseId,
    place_id: '',
    what_matters: pick(r, WHAT_MATTERS),
    strengths: pickSome(r, STRENGTHS, uniformInt(r, 1, 2)).join(' '),
    risks: risks.join('\n'),
    goals: JSON.stringify(goals),
    updated_at: openedAt,
    updated_by: DEMO_BY,
  };

  // 2–4 actions, each owned by a different agency's practitioner in the team.
  const byAgency = new Map<string, TeamMember[]>();
  for (const m of workers) byAgency.set(m.agencyId, [...(byAgency.get(m.agencyId) ?? []), m]);
  const owners = pickSome(r, [...byAgency.values()], uniformInt(r, 2, 4)).map((ms) => pick(r, ms));
  const actions = owners.map((owner) => {
    const status: ActionStatus = chance(r, 0.2) ? 'done' : chance(r, 0.5) ? 'in-progress' : 'to-do';
    const dueOn = dateIn(today, -21, 42, r);
    const doneOn = isoDateOf(Math.min(dayOf(dueOn), dayOf(today)) - uniformInt(r, 0, 7));
    return {
      id: randomUUID(),
      case_id: caseId,
      place_id: '',
      person_id: c.person_id,
      goal_id: pick(r, goals).id,
      description: pick(r, ACTIONS[owner.kind]),
      owner_agency_id: owner.agencyId,
      owner_practitioner_id: owner.id,
      owner_team_id: team.id,
      due_on: dueOn,
      status,
      source: 'plan' as const,
      mdt_item_id: null,
      created_at: openedAt,
      created_by: DEMO_BY,
      updated_at: openedAt,
      completed_at: status === 'done' ? timeOn(doneOn < openedOn ? openedOn : doneOn, r) : null,
    };
  });

  // Version 1 of each, as the history page reads them (the shapes case.store.ts keeps).
  const version = (kind: 'case' | 'plan', snapshot: unknown) => ({
    kind,
    record_id: caseId,
    version: 1,
    place_id: '',
    person_id: c.person_id,
    snapshot: JSON.stringify(snapshot),
    change: CHANGE,
    changed_by: DEMO_BY,
    changed_by_id: null,
    changed_at: openedAt,
  });
  const versions = [
    version('case', {
      status: 'open',
      leadPractitionerId: careCase.lead_practitioner_id,
      keyWorkerIds: careCase.key_worker_ids,
      reviewDueOn: careCase.review_due_on,
      consent: { status: careCase.consent_status, agencies: consentAgencies },
      closure: null,
    }),
    version('plan', {
      whatMatters: plan.what_matters,
      strengths: plan.strengths,
      risks: plan.risks,
      goals,
      actions: actions.map((a) => ({
        id: a.id,
        goalId: a.goal_id,
        description: a.description,
        ownerAgencyId: a.owner_agency_id,
        ownerPractitionerId: a.owner_practitioner_id,
        dueOn: a.due_on,
        status: a.status,
      })),
    }),
  ];
  const consent = consentGiven
    ? {
        id: randomUUID(),
        case_id: caseId,
        status: 'given' as const,
        given_by: 'person' as const,
        agencies: consentAgencies,
        purpose: 'To share my care plan with the whole team, including the link worker and housing',
        recorded_by: DEMO_BY,
        recorded_at: openedAt,
      }
    : null;
  return { referral, careCase, plan, actions, versions, consent };
}
type DemoCase = ReturnType<typeof demoCase>;

// ---- Writing them (batched) ------------------------------------------------------------------------

/** One batch in one transaction; a case the unique index refuses (opened meanwhile) is dropped with its referral. */
async function writeBatch(trx: Trx, placeId: string, batch: DemoCase[]): Promise<DemoCase[]> {
  const place = <T extends { place_id: string }>(row: T): T => ({ ...row, place_id: placeId });
  await trx
    .insertInto('int_referral')
    .values(batch.map((b) => place(b.referral)))
    .execute();
  const opened = await trx
    .insertInto('care_case')
    .values(batch.map((b) => place(b.careCase)))
    .onConflict((oc) => oc.columns(['team_id', 'person_id']).where('status', '=', 'open').doNothing())
    .returning('id')
    .execute();
  const ids = new Set(opened.map((o) => o.id));
  const lost = batch.filter((b) => !ids.has(b.careCase.id));
  if (lost.length > 0)
    await trx
      .deleteFrom('int_referral')
      .where(
        'id',
        'in',
        lost.map((b) => b.referral.id),
      )
      .execute();
  const kept = batch.filter((b) => ids.has(b.careCase.id));
  if (kept.length === 0) return kept;
  await trx
    .insertInto('care_plan')
    .values(kept.map((b) => place(b.plan)))
    .execute();
  const actions = kept.flatMap((b) => b.actions.map(place));
  if (actions.length > 0) await trx.insertInto('plan_action').values(actions).execute();
  await trx
    .insertInto('record_version')
    .values(kept.flatMap((b) => b.versions.map(place)))
    .execute();
  const consents = kept.flatMap((b) => b.consent ?? []);
  if (consents.length > 0) await trx.insertInto('consent_record').values(consents).execute();
  return kept;
}

async function teamsOf(db: Db, placeId: string): Promise<TeamInfo[]> {
  const [teams, members] = await Promise.all([
    db
      .selectFrom('team')
      .select(['id', 'name'])
      .where('place_id', '=', placeId)
      .where('kind', '=', 'int')
      .where('neighbourhood_code', 'is not', null)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('practitioner as p')
      .innerJoin('agency as a', (j) =>
        j.onRef('a.place_id', '=', 'p.place_id').onRef('a.id', '=', 'p.agency_id'),
      )
      .select(['p.id', 'p.title', 'p.team_id', 'p.agency_id as agencyId', 'a.kind'])
      .where('p.place_id', '=', placeId)
      .orderBy('p.sort_order')
      .execute(),
  ]);
  return teams.map((t) => {
    const own = members.filter((m) => m.team_id === t.id).map(({ team_id: _team, ...m }) => m);
    const leads = own.filter((m) => LEAD_SLUGS.some((slug) => m.id === `${t.id}-${slug}`));
    return {
      id: t.id,
      name: t.name,
      members: own,
      leads: leads.length > 0 ? leads : own.filter((m) => IMPLIED_CONSENT_KINDS.includes(m.kind)),
      consentAgencies: [...new Set(own.filter((m) => CONSENT_KINDS.includes(m.kind)).map((m) => m.agencyId))],
    };
  });
}

/** Opens a demo case for each of the `perTeam` people chosen for each INT of the place, unless they have one. */
export async function seedDemoCases(
  db: Db,
  placeId: string,
  options: DemoCaseOptions,
): Promise<DemoCaseCounts> {
  const teams = await teamsOf(db, placeId);
  const chosen = await candidates(db, placeId, options.perTeam, options.seed);
  const counts: DemoCaseCounts = {
    teams: teams.map((t) => ({ teamId: t.id, teamName: t.name, opened: 0, alreadyOpen: 0 })),
    cases: 0,
    actions: 0,
    consentsGiven: 0,
    skipped: 0,
  };
  const byTeam = new Map(teams.map((t) => [t.id, t]));
  const teamCount = new Map(counts.teams.map((t) => [t.teamId, t]));
  const toWrite: DemoCase[] = [];
  for (const c of chosen) {
    const team = byTeam.get(c.team_id);
    if (!team) continue;
    if (c.has_open || c.is_waiting || team.leads.length === 0) {
      counts.skipped++;
      if (c.has_open) (teamCount.get(team.id) as DemoCaseCounts['teams'][number]).alreadyOpen++;
      continue;
    }
    toWrite.push(demoCase(c, team, options.seed, options.today));
  }
  for (let i = 0; i < toWrite.length; i += BATCH) {
    const kept = await db
      .transaction()
      .execute((trx) => writeBatch(trx, placeId, toWrite.slice(i, i + BATCH)));
    counts.skipped += Math.min(BATCH, toWrite.length - i) - kept.length;
    for (const b of kept) {
      (teamCount.get(b.careCase.team_id) as DemoCaseCounts['teams'][number]).opened++;
      counts.cases++;
      counts.actions += b.actions.length;
      if (b.consent) counts.consentsGiven++;
    }
  }
  // Fresh statistics for the planner, as after any bulk load: PGlite has no autovacuum, and a caseload
  // planned with the statistics of nearly empty tables was four times slower (20,000 people, 5,000 cases).
  if (counts.cases > 0)
    await sql`analyze care_case, care_plan, plan_action, int_referral, record_version, consent_record`.execute(
      db,
    );
  return counts;
}
