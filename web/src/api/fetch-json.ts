// Call the API with JSON and check the answer against the same zod schema the server answers with.
// GET by default; `send` makes it a POST, PUT, PATCH or DELETE, with the session's CSRF token and a JSON
// body when there is one, or a file (a Blob) sent as it is, as application/octet-stream. A change with a
// JSON body carries an Idempotency-Key and is sent again, with the same key, when no answer comes back:
// the server answers a repeat as it answered the first, without making the change twice. A 401 from any
// call but signing in means the session has ended: the app is told, and shows the sign-in page.
import type { z } from 'zod';
import { operationOutcome } from '../../../src/core/schemas/outcome.ts';
import { currentCsrfToken, sessionEnded } from '../session/session-token.ts';
import { ApiError } from './api-error.ts';

/** A Blob body (a chosen file) is sent as its bytes; any other body as JSON. */
export type Send = { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown };

/** A change is sent at most this many times while no answer comes back, waiting 1 s, then 2 s. */
const SENDINGS = 3;
const RESEND_AFTER_MS = 1000;
/** The longest wait in all while the server answers the first sending (as long as it says it may take). */
const WAIT_LIMIT_MS = 60_000;

/** A new Idempotency-Key: 128 random bits as hex (crypto.randomUUID needs HTTPS; this does not). */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Waits, unless the call is abandoned first. */
const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const abandoned = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abandoned);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abandoned, { once: true });
  });

/**
 * Sends the request. A change with a key (`resend`) is sent again with it when no answer comes back, and
 * when the server then says the first sending is still being answered (409 with Retry-After), asked
 * again after the wait it gives.
 */
async function sendWithRetries(url: string, init: RequestInit, resend: boolean): Promise<Response> {
  let lost = 0;
  let waited = 0;
  for (;;) {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (e) {
      if (init.signal?.aborted) throw e;
      lost++;
      if (!resend || lost === SENDINGS)
        throw new ApiError('Joined Up could not be reached. Check your connection and try again.', 0, null);
      await pause(RESEND_AFTER_MS * lost, init.signal ?? undefined);
      continue;
    }
    const wait = Number(response.headers.get('retry-after')) * 1000;
    if (lost > 0 && response.status === 409 && wait > 0 && waited + wait <= WAIT_LIMIT_MS) {
      waited += wait;
      await pause(wait, init.signal ?? undefined);
      continue;
    }
    return response;
  }
}

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
  // A change carries a key of its own, so that sending it again after a lost answer cannot make it twice.
  // A file is recognised by its content instead; signing in is not sent again.
  const resend = send !== undefined && !(send.body instanceof Blob) && !isSignIn(url, method);
  if (resend) headers['idempotency-key'] = newKey();
  const response = await sendWithRetries(
    url,
    {
      signal,
      method,
      headers,
      ...(send?.body instanceof Blob
        ? { body: send.body }
        : send?.body !== undefined
          ? { body: JSON.stringify(send.body) }
          : {}),
    },
    resend,
  );
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
