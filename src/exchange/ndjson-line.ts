// One line of an NDJSON file read into an import record: strict JSON, then the FHIR resource. Its
// identity is `Type/id`, or, for a resource without an id, its type and a hash of the line. The
// outcome is plain data, so it can cross from the worker thread that reads the file. Pure.
import { createHash } from 'node:crypto';
import { readResource, SKIPPED } from './fhir-in.ts';
import type { ImportIssue, ImportRecord } from './records.ts';
import { parseStrictJson } from './strict-json.ts';

export type LineOutcome =
  | { kind: 'record'; record: ImportRecord; warnings: readonly ImportIssue[] }
  | { kind: 'refused'; issues: readonly ImportIssue[] }
  | { kind: 'skipped'; reason: string }
  | { kind: 'blank' };

const refused = (code: string, diagnostics: string, expression?: string): LineOutcome => ({
  kind: 'refused',
  issues: [{ severity: 'error', code, diagnostics, ...(expression ? { expression } : {}) }],
});

export function readLine(text: string | null): LineOutcome {
  if (text === null) return refused('structure', 'The line is not UTF-8 text: save the file as UTF-8.');
  if (text.trim() === '') return { kind: 'blank' };
  const parsed = parseStrictJson(text);
  if (!parsed.ok) return { kind: 'refused', issues: [parsed.issue] };
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return refused('structure', 'Each line must be one FHIR resource: a JSON object with a resourceType.');
  const resource = value as Record<string, unknown>;
  if (typeof resource.resourceType !== 'string')
    return refused(
      'required',
      'The resource has no resourceType: say which FHIR resource it is.',
      'resourceType',
    );
  const key =
    typeof resource.id === 'string'
      ? `${resource.resourceType}/${resource.id}`
      : `${resource.resourceType}#${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
  const read = readResource(resource, key);
  if (read.ok === SKIPPED) return { kind: 'skipped', reason: read.reason };
  if (!read.ok) return { kind: 'refused', issues: read.issues };
  return { kind: 'record', record: read.value, warnings: read.warnings ?? [] };
}
