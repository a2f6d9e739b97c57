// The one error shape on the wire: FHIR's OperationOutcome, as a schema for OpenAPI and clients.
import { z } from 'zod';

export const operationOutcome = z.object({
  resourceType: z.literal('OperationOutcome'),
  id: z
    .string()
    .describe('The request id, also sent in the X-Request-Id header; quote it when reporting a problem'),
  issue: z.array(
    z.object({
      severity: z.enum(['fatal', 'error', 'warning', 'information']),
      code: z.string(),
      diagnostics: z.string(),
      expression: z.array(z.string()).optional(),
    }),
  ),
});
