// Sign in with a Joined Up account. Shown at whatever address was asked for, so after signing in the
// page asked for appears. Problems go in the error summary, each linked to its field.
import { useEffect, useState } from 'react';
import { sessionBody, signInOptions } from '../../../src/core/schemas/access.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { type SessionState, useSession } from './session-context.tsx';

const WHY: Record<Extract<SessionState, { state: 'signed-out' }>['why'], string | null> = {
  'not-signed-in': null,
  ended: 'Your session has ended. Sign in again.',
  'signed-out': 'You have signed out.',
};

/** What the OpenID Connect sign-in said when it sent the browser back without a session. */
const RETURNED: Record<string, string> = {
  'no-account':
    'Your organisation’s account is not linked to a Joined Up account. Ask your administrator to add you.',
  failed:
    'Signing in with your organisation’s account did not work. Try again, or sign in with your username and password.',
};

/** The organisation's sign-in, when it is set up here. */
export function useOrganisationSignIn() {
  const [oidc, setOidc] = useState<{ name: string; start: string } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchJson('/api/sign-in-options', signInOptions, controller.signal)
      .then((o) => setOidc(o.oidc))
      .catch(() => setOidc(null));
    return () => controller.abort();
  }, []);
  return oidc;
}

export function SignInPage({ why }: { why: Extract<SessionState, { state: 'signed-out' }>['why'] }) {
  const { signedIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isBusy, setBusy] = useState(false);
  const errors = new Map(problems.map((p) => [p.fieldId ?? '', p.message]));
  const returned = RETURNED[new URLSearchParams(window.location.search).get('signin') ?? ''];
  const notice = returned ?? WHY[why];
  const oidc = useOrganisationSignIn();
  useStatusMessage(notice ?? 'Sign in');

  async function submit() {
    const missing: FormProblem[] = [];
    if (username.trim() === '') missing.push({ fieldId: 'username', message: 'Enter your username' });
    if (password === '') missing.push({ fieldId: 'password', message: 'Enter your password' });
    setProblems(missing);
    if (missing.length > 0) return;
    setBusy(true);
    try {
      const session = await fetchJson('/api/session', sessionBody, undefined, {
        method: 'POST',
        body: { username: username.trim(), password },
      });
      signedIn(session);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setPassword('');
      if (error.status === 401)
        setProblems([
          {
            fieldId: 'username',
            message: 'The username or password is not right. Check them and try again.',
          },
        ]);
      else if (error.status === 429) setProblems([{ fieldId: null, message: error.message }]);
      else
        setProblems(
          error.problems.map((p) => ({
            fieldId: p.field === 'password' ? 'password' : p.field === 'username' ? 'username' : null,
            message: p.message.replace(/^body [^:]+: /, ''),
          })),
        );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary problems={problems} />
        <PageHeading>Sign in</PageHeading>
        {notice ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>{notice}</p>
          </div>
        ) : null}
        {oidc ? (
          <>
            <a
              className="nhsuk-button"
              href={`${oidc.start}?returnTo=${encodeURIComponent(window.location.pathname)}`}
            >
              {oidc.name}
            </a>
            <p className="nhsuk-body">Or sign in with your Joined Up username and password.</p>
          </>
        ) : (
          <p className="nhsuk-body">Sign in with your Joined Up username and password.</p>
        )}
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <TextField
            id="username"
            label="Username"
            error={errors.get('username')}
            inputClassName="nhsuk-input--width-20"
            autoComplete="username"
            spellCheck={false}
            maxLength={100}
            value={username}
            onChange={setUsername}
          />
          <TextField
            id="password"
            label="Password"
            type="password"
            error={errors.get('password')}
            inputClassName="nhsuk-input--width-20"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
          />
          <button type="submit" className="nhsuk-button" disabled={isBusy}>
            Sign in
          </button>
        </form>
        <h2 className="nhsuk-heading-m">Not a member of staff?</h2>
        <p className="nhsuk-body">
          {/* A page the server renders, not part of this app: a full page load. */}
          <a href="/directory">Find a local service</a>: groups, advice, support and activities near you. You
          do not need to sign in.
        </p>
      </div>
    </div>
  );
}
