// One error model for the whole product: AppError with a closed set of codes, one code→status table,
// and one wire shape (FHIR's OperationOutcome) on app and FHIR routes alike.

export type ErrorCode =
  | 'invalid'
  | 'not-found'
  | 'conflict'
  | 'business-rule'
  | 'too-large'
  | 'unsupported-media-type'
  | 'too-many-requests'
  | 'unauthenticated'
  | 'forbidden'
  | 'unavailable'
  | 'internal';

/** The one error→HTTP status table. The compiler checks that every code has a status. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'business-rule': 422,
  'unsupported-media-type': 415,
  'too-many-requests': 429,
  unavailable: 503,
  internal: 500,
};

/** FHIR IssueType for each code (https://hl7.org/fhir/R4/valueset-issue-type.html). */
const ISSUE_TYPE_BY_CODE: Record<ErrorCode, string> = {
  invalid: 'invalid',
  unauthenticated: 'login',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  conflict: 'conflict',
  'business-rule': 'business-rule',
  'too-large': 'too-long',
  'unsupported-media-type': 'not-supported',
  'too-many-requests': 'throttled',
  unavailable: 'transient',
  internal: 'exception',
};

/** One problem: what is wrong, and where (a field path such as `rules.0.value`, or `lsoas.csv:12:ward`). */
export interface Problem {
  diagnostics: string;
  expression?: string[];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly problems: Problem[];

  constructor(code: ErrorCode, message: string, problems: Problem[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.problems = problems.length > 0 ? problems : [{ diagnostics: message }];
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

/** An error about one field of the request, named by its path (e.g. `actions.0.dueOn`). */
export const fieldError = (code: ErrorCode, field: string, message: string) =>
  new AppError(code, message, [{ diagnostics: message, expression: [field] }]);

export interface OperationOutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  diagnostics: string;
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  id: string;
  issue: OperationOutcomeIssue[];
}

export function toOperationOutcome(error: AppError, requestId: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    id: requestId,
    issue: error.problems.map((p) => ({
      severity: 'error',
      code: ISSUE_TYPE_BY_CODE[error.code],
      diagnostics: p.diagnostics,
      ...(p.expression ? { expression: p.expression } : {}),
    })),
  };
}

/** The code for an HTTP status that arrived from elsewhere (the framework, a library). */
export function codeForStatus(status: number): ErrorCode {
  const found = (Object.entries(STATUS_BY_CODE) as [ErrorCode, number][]).find(([, s]) => s === status);
  if (found) return found[0];
  return status >= 500 ? 'internal' : 'invalid';
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
