// The rules of a person-centred plan and of closing a case, as pure functions: what the API refuses
// and why, each problem naming its field. The store applies them before it writes anything.
import type { Problem } from '../core/errors.ts';
import type { ActionStatus } from '../db/database.ts';

/** Statuses of an action still to be done. */
export const OPEN_ACTION: readonly ActionStatus[] = ['to-do', 'in-progress'];

interface Practitioners {
  practitioner(id: string): { agencyId: string; label: string } | undefined;
  agencyName(id: string): string;
  agencies: readonly { id: string }[];
}

interface PlanShape {
  goals: readonly { id: string; text: string }[];
  actions: readonly {
    id?: string | undefined;
    goalId: string | null;
    ownerAgencyId: string;
    ownerPractitionerId: string;
    description: string;
    dueOn: string;
  }[];
}

/**
 * Problems with a plan: goals named twice, actions with an owner who is not who they say, unknown goals
 * or actions, and a goal taken away while actions the save leaves as they are still serve it.
 */
export function checkPlan(
  plan: PlanShape,
  dir: Practitioners,
  existingActionIds: ReadonlySet<string>,
  kept: readonly { id: string; goalId: string | null; description: string }[] = [],
): Problem[] {
  const problems: Problem[] = [];
  const at = (expression: string, diagnostics: string) =>
    problems.push({ diagnostics: `${expression}: ${diagnostics}`, expression: [expression] });
  const goalIds = new Set<string>();
  plan.goals.forEach((g, i) => {
    if (goalIds.has(g.id))
      at(`goals.${i}.id`, `the goal "${g.id}" is listed twice; give each goal its own id.`);
    goalIds.add(g.id);
  });
  const agencyIds = new Set(dir.agencies.map((a) => a.id));
  const seen = new Set<string>();
  plan.actions.forEach((a, i) => {
    if (a.id !== undefined) {
      if (!existingActionIds.has(a.id))
        at(`actions.${i}.id`, 'there is no such action on this plan; leave the id out for a new action.');
      if (seen.has(a.id)) at(`actions.${i}.id`, 'the action is listed twice.');
      seen.add(a.id);
    }
    if (!agencyIds.has(a.ownerAgencyId))
      at(
        `actions.${i}.ownerAgencyId`,
        `there is no agency "${a.ownerAgencyId}"; every action needs an owning agency.`,
      );
    const owner = dir.practitioner(a.ownerPractitionerId);
    if (!owner)
      at(
        `actions.${i}.ownerPractitionerId`,
        `there is no practitioner "${a.ownerPractitionerId}"; every action needs a person who owns it.`,
      );
    else if (owner.agencyId !== a.ownerAgencyId)
      at(
        `actions.${i}.ownerPractitionerId`,
        `${owner.label} works for ${dir.agencyName(owner.agencyId)}, not ${dir.agencyName(a.ownerAgencyId)}; choose an owner from the owning agency.`,
      );
    if (a.goalId !== null && !goalIds.has(a.goalId))
      at(`actions.${i}.goalId`, `there is no goal "${a.goalId}" in this plan.`);
  });
  for (const k of kept)
    if (!seen.has(k.id) && k.goalId !== null && !goalIds.has(k.goalId))
      at(
        'goals',
        `the goal "${k.goalId}" is gone, but the action "${k.description}" still serves it; send the action with another goal or none.`,
      );
  return problems;
}

/** A case closes only with no open actions, or with a stated reason for closing despite them. */
export function closureProblems(openActions: number, overrideReason: string | undefined): Problem[] {
  if (openActions === 0 || (overrideReason && overrideReason.trim().length >= 10)) return [];
  const diagnostics = `overrideReason: this case has ${openActions} open action${openActions === 1 ? '' : 's'}. Finish or cancel ${openActions === 1 ? 'it' : 'them'}, or say in at least 10 characters why the case closes with ${openActions === 1 ? 'it' : 'them'} open.`;
  return [{ diagnostics, expression: ['overrideReason'] }];
}
