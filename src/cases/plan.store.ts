// A case's plan in the database: its goals and actions, saved whole from the version the writer read,
// actions added from an MDT or a huddle, and one action's status. Every change keeps the plan's new
// state as a version in record_version (case.store.ts), in the same transaction.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import { AppError } from '../core/errors.ts';
import type { ActionInput, ActionOut, PlanInput, PlanOut } from '../core/schemas/case.ts';
import type { ActionStatus, Database, PlanGoal } from '../db/database.ts';
import { byLabel, type FoundCase, holdOpen, keepVersion, requireOpen, staleVersion } from './case.store.ts';
import type { Directory } from './organisation.store.ts';
import { checkPlan, OPEN_ACTION } from './plan-rules.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export async function readPlan(
  db: Db | Trx,
  dir: Directory,
  caseId: string,
  today: string,
): Promise<PlanOut> {
  const plan = await db
    .selectFrom('care_plan')
    .selectAll()
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  const actions = await db
    .selectFrom('plan_action')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('due_on')
    .orderBy('created_at')
    .execute();
  return {
    caseId,
    version: plan.version,
    whatMatters: plan.what_matters,
    strengths: plan.strengths,
    risks: plan.risks,
    goals: plan.goals,
    actions: actions.map((a) => actionOut(a, dir, today)),
    updatedAt: new Date(plan.updated_at).toISOString(),
    updatedBy: plan.updated_by,
  };
}

export function actionOut(
  a: {
    id: string;
    case_id: string;
    goal_id: string | null;
    description: string;
    owner_agency_id: string;
    owner_practitioner_id: string;
    due_on: string;
    status: ActionStatus;
    source: 'plan' | 'mdt' | 'huddle';
  },
  dir: Directory,
  today: string,
): ActionOut {
  return {
    id: a.id,
    caseId: a.case_id,
    goalId: a.goal_id,
    description: a.description,
    ownerAgencyId: a.owner_agency_id,
    ownerAgencyName: dir.agencyName(a.owner_agency_id),
    ownerPractitionerId: a.owner_practitioner_id,
    ownerLabel: dir.practitioner(a.owner_practitioner_id)?.label ?? a.owner_practitioner_id,
    dueOn: a.due_on,
    status: a.status,
    source: a.source,
    overdue: OPEN_ACTION.includes(a.status) && a.due_on < today,
  };
}

function planSnapshot(plan: PlanOut) {
  return {
    whatMatters: plan.whatMatters,
    strengths: plan.strengths,
    risks: plan.risks,
    goals: plan.goals,
    actions: plan.actions.map((a) => ({
      id: a.id,
      goalId: a.goalId,
      description: a.description,
      ownerAgencyId: a.ownerAgencyId,
      ownerPractitionerId: a.ownerPractitionerId,
      dueOn: a.dueOn,
      status: a.status,
    })),
  };
}

/** Reads the plan as it now stands and keeps it as `version`, with what changed and who changed it. */
async function keepPlanVersion(
  trx: Trx,
  dir: Directory,
  staff: Staff,
  found: FoundCase,
  version: number,
  change: string,
  today: string,
): Promise<PlanOut> {
  const plan = await readPlan(trx, dir, found.id, today);
  await keepVersion(trx, {
    kind: 'plan',
    recordId: found.id,
    version,
    placeId: found.place_id,
    personId: found.person_id,
    snapshot: planSnapshot(plan),
    change,
    by: staff,
  });
  return plan;
}

/**
 * Locks the plan and moves it to its next version, or, given the version the writer read, only if
 * that is still the current one. Everything else in the transaction then applies to that version.
 */
async function nextPlanVersion(
  trx: Trx,
  staff: Staff,
  caseId: string,
  expected: number | null,
  set: Partial<{ what_matters: string; strengths: string; risks: string; goals: string }> = {},
) {
  await holdOpen(trx, caseId);
  let update = trx
    .updateTable('care_plan')
    .set({ ...set, version: sql`version + 1`, updated_at: new Date(), updated_by: byLabel(staff) })
    .where('case_id', '=', caseId);
  if (expected !== null) update = update.where('version', '=', expected);
  const row = await update.returning(['version', 'place_id']).executeTakeFirst();
  if (!row) {
    const current = await trx
      .selectFrom('care_plan')
      .select('version')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    throw staleVersion('plan', current.version, expected ?? 0);
  }
  return row.version;
}

function newAction(
  found: FoundCase,
  dir: Directory,
  staff: Staff,
  a: Omit<ActionInput, 'id'> & { status: ActionStatus },
  source: 'plan' | 'mdt' | 'huddle',
  mdtItemId: string | null = null,
) {
  const owner = dir.practitioner(a.ownerPractitionerId);
  return {
    id: randomUUID(),
    case_id: found.id,
    place_id: found.place_id,
    person_id: found.person_id,
    goal_id: a.goalId,
    description: a.description,
    owner_agency_id: a.ownerAgencyId,
    owner_practitioner_id: a.ownerPractitionerId,
    owner_team_id: owner?.teamId ?? null,
    due_on: a.dueOn,
    status: a.status,
    source,
    mdt_item_id: mdtItemId,
    created_by: byLabel(staff),
    completed_at: a.status === 'done' ? new Date() : null,
  };
}

/** Saves the whole plan from the version the writer read; actions not sent are kept, never deleted. */
export async function savePlan(
  db: Db,
  dir: Directory,
  staff: Staff,
  found: FoundCase,
  input: PlanInput,
  today: string,
) {
  requireOpen(found);
  const existing = await db.selectFrom('plan_action').selectAll().where('case_id', '=', found.id).execute();
  const problems = checkPlan(
    input,
    dir,
    new Set(existing.map((a) => a.id)),
    existing.map((a) => ({ id: a.id, goalId: a.goal_id, description: a.description })),
  );
  if (problems.length > 0)
    throw new AppError('invalid', problems[0]?.diagnostics ?? 'The plan is not valid.', problems);
  return db.transaction().execute(async (trx) => {
    const version = await nextPlanVersion(trx, staff, found.id, input.version, {
      what_matters: input.whatMatters,
      strengths: input.strengths,
      risks: input.risks,
      goals: JSON.stringify(input.goals satisfies PlanGoal[]),
    });
    const before = new Map(existing.map((a) => [a.id, a]));
    let added = 0;
    let changed = 0;
    for (const a of input.actions) {
      const owner = dir.practitioner(a.ownerPractitionerId);
      const old = a.id ? before.get(a.id) : undefined;
      if (!old) {
        await trx
          .insertInto('plan_action')
          .values(newAction(found, dir, staff, a, 'plan'))
          .execute();
        added++;
        continue;
      }
      const same =
        old.goal_id === a.goalId &&
        old.description === a.description &&
        old.owner_agency_id === a.ownerAgencyId &&
        old.owner_practitioner_id === a.ownerPractitionerId &&
        old.due_on === a.dueOn &&
        old.status === a.status;
      if (same) continue;
      changed++;
      await trx
        .updateTable('plan_action')
        .set({
          goal_id: a.goalId,
          description: a.description,
          owner_agency_id: a.ownerAgencyId,
          owner_practitioner_id: a.ownerPractitionerId,
          owner_team_id: owner?.teamId ?? null,
          due_on: a.dueOn,
          status: a.status,
          updated_at: new Date(),
          completed_at: a.status === 'done' ? (old.completed_at ?? new Date()) : null,
        })
        .where('id', '=', old.id)
        .execute();
    }
    const plan = await keepPlanVersion(
      trx,
      dir,
      staff,
      found,
      version,
      `Plan saved: ${input.goals.length} goals; ${added} actions added, ${changed} changed`,
      today,
    );
    return plan;
  });
}

/** Adds actions to a plan (from an MDT decision or a huddle), as a new plan version. */
export async function addActions(
  trx: Trx,
  dir: Directory,
  staff: Staff,
  found: FoundCase,
  actions: Omit<ActionInput, 'id' | 'status'>[],
  source: 'mdt' | 'huddle',
  mdtItemId: string | null,
  change: string,
  today: string,
) {
  requireOpen(found);
  const problems = checkPlan(
    {
      goals: await currentGoals(trx, found.id),
      actions: actions.map((a) => ({ ...a, status: 'to-do' as const })),
    },
    dir,
    new Set(),
  );
  if (problems.length > 0)
    throw new AppError('invalid', problems[0]?.diagnostics ?? 'The actions are not valid.', problems);
  const version = await nextPlanVersion(trx, staff, found.id, null);
  for (const a of actions)
    await trx
      .insertInto('plan_action')
      .values(newAction(found, dir, staff, { ...a, status: 'to-do' }, source, mdtItemId))
      .execute();
  await keepPlanVersion(trx, dir, staff, found, version, change, today);
}

async function currentGoals(trx: Trx, caseId: string) {
  return (
    await trx.selectFrom('care_plan').select('goals').where('case_id', '=', caseId).executeTakeFirstOrThrow()
  ).goals;
}

/** One action's status, as a new plan version (no version needed: it overwrites nothing else). */
export async function setActionStatus(
  db: Db,
  dir: Directory,
  staff: Staff,
  found: FoundCase,
  actionId: string,
  status: ActionStatus,
  today: string,
) {
  requireOpen(found);
  return db.transaction().execute(async (trx) => {
    const version = await nextPlanVersion(trx, staff, found.id, null);
    const done = await trx
      .updateTable('plan_action')
      .set({ status, updated_at: new Date(), completed_at: status === 'done' ? new Date() : null })
      .where('id', '=', actionId)
      .where('case_id', '=', found.id)
      .returning(['description'])
      .executeTakeFirst();
    if (!done) throw new AppError('not-found', 'There is no such action on this plan.');
    return keepPlanVersion(
      trx,
      dir,
      staff,
      found,
      version,
      `Action "${done.description.slice(0, 80)}" now ${status}`,
      today,
    );
  });
}

/** The case an action belongs to, for routes that start from the action. */
export async function caseOfAction(db: Db, placeId: string, actionId: string) {
  const row = await db
    .selectFrom('plan_action')
    .select(['case_id', 'person_id'])
    .where('id', '=', actionId)
    .where('place_id', '=', placeId)
    .executeTakeFirst();
  return row ?? null;
}
