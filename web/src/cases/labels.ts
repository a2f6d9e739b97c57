// Words for the case management API's codes that only the pages need.
import type { PlanOut } from '../../../src/core/schemas/case.ts';

export const CONSENT_STATUS_LABELS = {
  'not-recorded': 'Not recorded',
  given: 'Consent given',
  declined: 'Consent declined',
  withdrawn: 'Consent withdrawn',
} as const;

export const GIVEN_BY_LABELS: Record<string, string> = {
  person: 'The person',
  representative: 'Someone who can decide for them, such as a lasting power of attorney',
  'best-interests-decision': 'A best interests decision (Mental Capacity Act)',
};

/** Open (to do or in progress) and overdue actions of a plan, worked out from the plan itself. */
export function actionCounts(plan: PlanOut): { open: number; overdue: number } {
  const open = plan.actions.filter((a) => a.status === 'to-do' || a.status === 'in-progress');
  return { open: open.length, overdue: open.filter((a) => a.overdue).length };
}
