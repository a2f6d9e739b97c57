// An API call that did not give what the page needs, in words a user can act on, with the reference
// (the OperationOutcome id, which is also the request id in the server's logs).

export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** The request id to quote when reporting the problem, when the server gave one. */
  readonly reference: string | null;
  /** Fields the server named as wrong (OperationOutcome issue.expression). */
  readonly fields: string[];
  /** Each problem the server named, with the field path it is about when it gave one. */
  readonly problems: { message: string; field: string | null }[];

  constructor(
    message: string,
    status: number,
    reference: string | null,
    fields: string[] = [],
    problems: { message: string; field: string | null }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.reference = reference;
    this.fields = fields;
    this.problems = problems.length > 0 ? problems : [{ message, field: fields[0] ?? null }];
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /**
   * The record was changed or decided by someone else first (409), as against a change of one's own
   * sent again whose first sending did not finish (409 naming the Idempotency-Key).
   */
  get isConflict(): boolean {
    return this.status === 409 && !this.fields.includes('Idempotency-Key');
  }
}
