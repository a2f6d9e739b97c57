// Server problems as the error summary's links: each field path becomes the id of its input, and its
// message says where the problem is as the builder numbers it ("Rule 3.2: …", the second rule of group 3).
import type { ApiError } from '../api/api-error.ts';
import { type FormProblem, fieldId } from '../components/error-summary.tsx';

const PART: Record<string, string> = {
  value: 'the value',
  operator: 'the comparison',
  field: 'the field',
  months: 'the months',
  activity: 'the kind of activity',
  combinator: 'all or any',
  rules: 'the rules',
};

/** "rules.rules.1.rules.0.value" → "Rule 2.1, the value": the builder's own numbering. */
export function describePath(path: string): string {
  const parts = path.split('.');
  if (parts[0] !== 'rules') return path;
  const steps: number[] = [];
  let i = 1;
  while (parts[i] === 'rules' && parts[i + 1] !== undefined && /^\d+$/.test(parts[i + 1] ?? '')) {
    steps.push(Number(parts[i + 1]) + 1);
    i += 2;
  }
  const rest = parts.slice(i).filter((p) => !/^\d+$/.test(p));
  // A group's own parts (its rules, all or any) are the group's; anything else is a rule's.
  const isGroup = rest.length > 0 && ['rules', 'combinator'].includes(rest[0] ?? '');
  const where = steps.length === 0 ? 'The rules' : `${isGroup ? 'Group' : 'Rule'} ${steps.join('.')}`;
  const what = rest.length > 0 ? `, ${PART[rest[rest.length - 1] ?? ''] ?? rest.join(' ')}` : '';
  return `${where}${what}`;
}

/** The form's own fields: API field name → the input's id and its label. */
export type FormFields = Record<string, { id: string; label: string }>;

export function formProblems(error: ApiError, fields: FormFields = {}): FormProblem[] {
  return error.problems.map((p) => {
    if (p.field === null) return { fieldId: null, message: p.message };
    // Rule problems read "rules.rules.0.value must be …"; request problems "body name: must …".
    const unprefixed = p.message.replace(/^(body|querystring|params) [^:]+: /, '');
    // "name must …" reads "must …" beside the field's label; a word inside the message stays.
    const message = unprefixed.startsWith(`${p.field} `) ? unprefixed.slice(p.field.length + 1) : unprefixed;
    if (p.field.startsWith('rules.'))
      return { fieldId: fieldId(p.field), message: `${describePath(p.field)}: ${message}` };
    const known = fields[p.field];
    return known
      ? { fieldId: known.id, message: `${known.label}: ${message}` }
      : { fieldId: fieldId(p.field), message };
  });
}
