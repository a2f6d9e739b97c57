// FHIR Bundles taken in: a transaction is all or nothing (any problem in any entry refuses the whole
// Bundle); a batch and a collection are taken entry by entry. Entries refer to each other by their
// fullUrl (`urn:uuid:…`); those references are turned into the identity of the entry they point at,
// and a reference to a fullUrl the Bundle does not hold is a problem. Pure.
import { readResource, SKIPPED } from './fhir-in.ts';
import { validateStructure } from './fhir-validate.ts';
import type { ImportIssue, ImportRecord, PersonOwnedRecord } from './records.ts';

export type BundleType = 'transaction' | 'batch' | 'collection';
export const BUNDLE_TYPES: readonly BundleType[] = ['transaction', 'batch', 'collection'];

export interface BundleEntryResult {
  readonly entry: number;
  /** The record, or null when the entry was refused or left out. */
  readonly record: ImportRecord | null;
  readonly issues: readonly ImportIssue[];
  /** Why a valid entry was left out (entered in error, not finished). */
  readonly skipped: string | null;
}

export interface ReadBundle {
  readonly type: BundleType;
  readonly entries: readonly BundleEntryResult[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const bundleIssue = (diagnostics: string, expression?: string, code = 'invalid'): ImportIssue => ({
  severity: 'error',
  code,
  diagnostics,
  ...(expression ? { expression } : {}),
});

/** Reads a parsed Bundle: its type, then each entry's record or problems. */
export function readBundle(
  value: unknown,
): { ok: true; bundle: ReadBundle } | { ok: false; issues: ImportIssue[] } {
  if (!isObject(value) || value.resourceType !== 'Bundle')
    return {
      ok: false,
      issues: [
        bundleIssue('A .json file must hold one FHIR Bundle (resourceType "Bundle").', 'resourceType'),
      ],
    };
  const type = value.type as BundleType;
  if (typeof type !== 'string' || !BUNDLE_TYPES.includes(type))
    return {
      ok: false,
      issues: [
        bundleIssue(
          `Bundle.type must be transaction, batch or collection to import; it is ${String(type)}.`,
          'Bundle.type',
          'not-supported',
        ),
      ],
    };
  const { entry: _entries, ...shell } = value;
  const structure = validateStructure(shell).filter((i) => i.severity === 'error');
  if (structure.length > 0) return { ok: false, issues: structure };
  const rawEntries = Array.isArray(value.entry) ? value.entry : [];
  const keys = new Map<string, number>();
  const seen = new Map<string, number>();
  const early: ImportIssue[][] = rawEntries.map(() => []);
  // First pass: each entry's identity, so references between entries can be resolved.
  const identities = rawEntries.map((raw, i) => {
    const at = `Bundle.entry[${i}]`;
    if (!isObject(raw) || !isObject(raw.resource)) {
      early[i]?.push(bundleIssue('has no resource.', `${at}.resource`, 'required'));
      return null;
    }
    const resource = raw.resource;
    const request = isObject(raw.request) ? raw.request : null;
    if (type !== 'collection' && request && request.method !== 'POST' && request.method !== 'PUT')
      early[i]?.push(
        bundleIssue(
          `request.method ${String(request.method)} is not supported: imports create or update (POST or PUT).`,
          `${at}.request.method`,
          'not-supported',
        ),
      );
    const fullUrl = typeof raw.fullUrl === 'string' ? raw.fullUrl : null;
    const id = typeof resource.id === 'string' ? resource.id : null;
    const kind = typeof resource.resourceType === 'string' ? resource.resourceType : 'Resource';
    const key = id ? `${kind}/${id}` : (fullUrl ?? `${kind}#entry-${i}`);
    if (fullUrl) keys.set(fullUrl, i);
    keys.set(key, i);
    const previous = seen.get(key);
    if (previous !== undefined)
      early[i]?.push(
        bundleIssue(
          `has the same identity (${key}) as entry ${previous}; each resource may appear once.`,
          at,
          'duplicate',
        ),
      );
    seen.set(key, i);
    return { key, fullUrl, resource };
  });
  const entries: BundleEntryResult[] = identities.map((identity, i) => {
    const issues = [...(early[i] ?? [])];
    if (!identity) return { entry: i, record: null, issues, skipped: null };
    const read = readResource(identity.resource, identity.key);
    if (read.ok === SKIPPED) return { entry: i, record: null, issues, skipped: read.reason };
    if (!read.ok)
      return {
        entry: i,
        record: null,
        issues: [...issues, ...read.issues.map((x) => inEntry(x, i))],
        skipped: null,
      };
    let record = read.value;
    if ('personKey' in record && record.personKey.startsWith('urn:')) {
      const target = keys.get(record.personKey);
      const targetKey = target === undefined ? undefined : identities[target]?.key;
      if (targetKey === undefined) {
        issues.push(
          inEntry(
            bundleIssue(
              `refers to ${record.personKey}, which is not the fullUrl of any entry in this Bundle.`,
              `${identity.resource.resourceType}.${identity.resource.resourceType === 'EpisodeOfCare' ? 'patient' : 'subject'}.reference`,
              'not-found',
            ),
            i,
          ),
        );
        return { entry: i, record: null, issues, skipped: null };
      }
      record = { ...record, personKey: targetKey } as PersonOwnedRecord;
    }
    return { entry: i, record: issues.length > 0 ? null : record, issues, skipped: null };
  });
  return { ok: true, bundle: { type, entries: refuseDuplicateNhsNumbers(entries) } };
}

const inEntry = (issue: ImportIssue, entry: number): ImportIssue => ({
  ...issue,
  entry,
  ...(issue.expression
    ? { expression: `Bundle.entry[${entry}].resource.${issue.expression.replace(/^[A-Za-z]+\./, '')}` }
    : {}),
});

/** Two Patients with one NHS number in a Bundle are one person sent twice: a problem, not a merge. */
function refuseDuplicateNhsNumbers(entries: readonly BundleEntryResult[]): BundleEntryResult[] {
  const first = new Map<string, number>();
  return entries.map((e) => {
    const r = e.record;
    if (r?.kind !== 'person' || r.nhsNumber === null) return e;
    const previous = first.get(r.nhsNumber);
    if (previous === undefined) {
      first.set(r.nhsNumber, e.entry);
      return e;
    }
    const issue = bundleIssue(
      `has the same NHS number as entry ${previous}; send each person once.`,
      'Patient.identifier',
      'duplicate',
    );
    return { ...e, record: null, issues: [...e.issues, inEntry(issue, e.entry)] };
  });
}
