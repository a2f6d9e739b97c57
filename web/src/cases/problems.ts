// Case management's server problems as the error summary's links. Each field path becomes the id of its
// input ("actions.2.dueOn" → "actions-2-dueOn") and its message says where the problem is in words
// ("Action 3, due date: …"). Anything the server could not tie to a field is shown as it came.
import { ApiError } from '../api/api-error.ts';
import { type FormProblem, fieldId } from '../components/error-summary.tsx';

/** The form's own fields: API field name → the input's id and its label. */
export type CaseFormFields = Record<string, { id: string; label: string }>;

/** Words for the parts of a goal or an action, in the order the plan form shows them. */
const LIST_PART: Record<string, string> = {
  text: 'the goal in their words',
  id: 'the goal',
  goalId: 'the goal it helps with',
  description: 'what will be done',
  ownerAgencyId: 'owning agency',
  ownerPractitionerId: 'who will do it',
  dueOn: 'due date',
  status: 'status',
};

/** Anything thrown by a form's save, as an ApiError. */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
}

export function caseProblems(error: ApiError, fields: CaseFormFields = {}): FormProblem[] {
  const seen = new Set<string>();
  const problems: FormProblem[] = [];
  for (const p of error.problems) {
    // Request problems read "body reason: must …"; rule problems "overrideReason: this case has …".
    const message = p.message
      .replace(/^(body|querystring|params) [^:]+: /, '')
      .replace(p.field ? new RegExp(`^${p.field.replaceAll('.', '\\.')}: `) : /^$/, '');
    const said = sentence(message);
    let problem: FormProblem;
    if (p.field === null) problem = { fieldId: null, message: said };
    else {
      const known = fields[p.field];
      const item = /^(goals|actions)\.(\d+)\.(\w+)$/.exec(p.field);
      if (known) problem = { fieldId: known.id, message: `${known.label}: ${message}` };
      else if (item)
        problem = {
          fieldId: fieldId(p.field),
          message: `${item[1] === 'goals' ? 'Goal' : 'Action'} ${Number(item[2]) + 1}, ${LIST_PART[item[3] ?? ''] ?? item[3]}: ${message}`,
        };
      else problem = { fieldId: fieldId(p.field), message: said };
    }
    // One problem a field is enough ("must be a date" and "must be a real date" say the same).
    const key = problem.fieldId ?? problem.message;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

const sentence = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** The problems as a lookup from field id to message, for the messages beside each field. */
export function errorsById(problems: FormProblem[]): Map<string, string> {
  return new Map(problems.flatMap((p) => (p.fieldId ? [[p.fieldId, p.message] as const] : [])));
}
