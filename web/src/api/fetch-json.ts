// Call the API with JSON and check the answer against the same zod schema the server answers with.
// GET by default; `send` makes it a POST, PUT, PATCH or DELETE, with the session's CSRF token and a JSON
// body when there is one, or a file (a Blob) sent as it is, as application/octet-stream. A 401 from any
// call but signing in means the session has ended: the app is told, and shows the sign-in page.
import type { z } from 'zod';
import { operationOutcome } from '../../../src/core/schemas/outcome.ts';
import { currentCsrfToken, sessionEnded } from '../session/session-token.ts';
import { ApiError } from './api-error.ts';

/** A Blob body (a chosen file) is sent as its bytes; any other body as JSON. */
export type Send = { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown };

/** Asking who is signed in, and signing in, answer 401 as part of their job; every other 401 ends the session. */
const isSignIn = (url: string, method: string) => url === '/api/session' && method !== 'DELETE';

export async function fetchJson<T extends z.ZodType>(
  url: string,
  schema: T,
  signal?: AbortSignal,
  send?: Send,
): Promise<z.infer<T>> {
  const method = send?.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (send) {
    const token = currentCsrfToken();
    if (token) headers['x-csrf-token'] = token;
    // A file's own type is not used: browsers call a .json file application/json, which the API would
    // read as a JSON body rather than take as a file.
    if (send.body !== undefined)
      headers['content-type'] = send.body instanceof Blob ? 'application/octet-stream' : 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(url, {
      signal,
      method,
      headers,
      ...(send?.body instanceof Blob
        ? { body: send.body }
        : send?.body !== undefined
          ? { body: JSON.stringify(send.body) }
          : {}),
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('Joined Up could not be reached. Check your connection and try again.', 0, null);
  }
  const reference = response.headers.get('x-request-id');
  if (response.status === 401 && !isSignIn(url, method)) sessionEnded();
  let body: unknown = null;
  if (response.status !== 204) {
    try {
      body = await response.json();
    } catch {
      throw new ApiError(
        'Joined Up sent an answer that could not be read. Try again shortly.',
        response.status,
        reference,
      );
    }
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
