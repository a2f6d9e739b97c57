// Who is signed in. On load the app asks the server (GET /api/session); with no session it shows the
// sign-in page at the address asked for, so signing in lands on that page. Any later 401 from the API
// means the session has ended (timed out, or ended from another computer): the sign-in page comes back
// and says so.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { noContent, type Session, sessionBody } from '../../../src/core/schemas/access.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { onSessionEnded, setCsrfToken } from './session-token.ts';

export type SessionState =
  | { state: 'loading' }
  | { state: 'signed-out'; why: 'not-signed-in' | 'ended' | 'signed-out' }
  | { state: 'signed-in'; session: Session }
  | { state: 'failed'; error: ApiError };

interface SessionApi {
  current: SessionState;
  signedIn: (session: Session) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionApi>({
  current: { state: 'loading' },
  signedIn: () => {},
  signOut: async () => {},
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<SessionState>({ state: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetchJson('/api/session', sessionBody, controller.signal).then(
      (session) => {
        setCsrfToken(session.csrfToken);
        setCurrent({ state: 'signed-in', session });
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        if (e instanceof ApiError && e.status === 401)
          setCurrent({ state: 'signed-out', why: 'not-signed-in' });
        else
          setCurrent({
            state: 'failed',
            error:
              e instanceof ApiError
                ? e
                : new ApiError('Something went wrong. Try reloading the page.', 0, null),
          });
      },
    );
    return () => controller.abort();
  }, []);

  useEffect(
    () =>
      onSessionEnded(() =>
        setCurrent((was) => (was.state === 'signed-in' ? { state: 'signed-out', why: 'ended' } : was)),
      ),
    [],
  );

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setCurrent({ state: 'signed-in', session });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await fetchJson('/api/session', noContent, undefined, { method: 'DELETE' });
    } catch {
      // Signed out already (or unreachable): the page still forgets the session.
    }
    setCsrfToken(null);
    setCurrent({ state: 'signed-out', why: 'signed-out' });
  }, []);

  return <SessionContext value={{ current, signedIn, signOut }}>{children}</SessionContext>;
}

export function useSession(): SessionApi {
  return useContext(SessionContext);
}

/** The signed-in session; only for pages shown when signed in. */
export function useSignedIn(): Session {
  const { current } = useSession();
  if (current.state !== 'signed-in') throw new Error('useSignedIn outside a signed-in page');
  return current.session;
}
