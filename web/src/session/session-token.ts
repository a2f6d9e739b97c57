// The signed-in session as the API calls need it: the CSRF token, kept in memory only (never in storage,
// so another tab's script or a later visitor cannot read it), and who to tell when the server says the
// session has ended.

let csrfToken: string | null = null;
const endedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function currentCsrfToken(): string | null {
  return csrfToken;
}

/** Called with no arguments whenever an API call answers 401 (the session ended or was never there). */
export function onSessionEnded(listener: () => void): () => void {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

export function sessionEnded(): void {
  csrfToken = null;
  for (const listener of endedListeners) listener();
}
