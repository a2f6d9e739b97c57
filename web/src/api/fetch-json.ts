// Call the API with JSON and check the answer against the same zod schema the server answers with.
// GET by default; `send` makes it a POST or PUT with a JSON body.
import type { z } from 'zod';
import { operationOutcome } from '../../../src/core/schemas/outcome.ts';
import { ApiError } from './api-error.ts';

export async function fetchJson<T extends z.ZodType>(
  url: string,
  schema: T,
  signal?: AbortSignal,
  send?: { method: 'POST' | 'PUT'; body: unknown },
): Promise<z.infer<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal,
      ...(send
        ? {
            method: send.method,
            headers: { accept: 'application/json', 'content-type': 'application/json' },
            body: JSON.stringify(send.body),
          }
        : { headers: { accept: 'application/json' } }),
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('Joined Up could not be reached. Check your connection and try again.', 0, null);
  }
  const reference = response.headers.get('x-request-id');
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(
      'Joined Up sent an answer that could not be read. Try again shortly.',
      response.status,
      reference,
    );
  }
  if (!response.ok) {
    const outcome = operationOutcome.safeParse(body);
    if (outcome.success) {
      const message = outcome.data.issue.map((i) => i.diagnostics).join(' ') || 'Something went wrong.';
      const fields = outcome.data.issue.flatMap((i) => i.expression ?? []);
      const problems = outcome.data.issue.map((i) => ({
        message: i.diagnostics,
        field: i.expression?.[0] ?? null,
      }));
      throw new ApiError(message, response.status, outcome.data.id, fields, problems);
    }
    throw new ApiError(
      `Something went wrong (status ${response.status}). Try again shortly.`,
      response.status,
      reference,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      'Joined Up sent an answer this page does not understand. Try reloading the page.',
      response.status,
      reference,
    );
  }
  return parsed.data;
}
