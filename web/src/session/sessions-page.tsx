// The signed-in staff member's open sessions (this browser and any other), each of the others with a
// button to end it, for a computer they no longer use or left signed in.
import { useState } from 'react';
import type { z } from 'zod';
import { noContent, sessionList } from '../../../src/core/schemas/access.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { FocusedNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { useReloadableApi } from '../components/use-reloadable-api.ts';
import { useSignedIn } from './session-context.tsx';

export function SessionsPage() {
  // Reloaded in place after a session is ended, so that the page and its notice stay.
  const { loaded: sessions, reload } = useReloadableApi('/api/sessions', sessionList);
  const [ended, setEnded] = useState<{ started: string; at: number } | null>(null);
  if (sessions.state === 'failed') return <ApiProblem error={sessions.error} />;
  if (sessions.state === 'loading') return <Loading what="your sessions" />;
  return (
    <Sessions
      sessions={sessions.data.sessions}
      ended={ended}
      onEnded={async (when) => {
        await reload();
        setEnded({ started: when, at: Date.now() });
      }}
    />
  );
}

function Sessions({
  sessions,
  ended,
  onEnded,
}: {
  sessions: z.infer<typeof sessionList>['sessions'];
  ended: { started: string; at: number } | null;
  onEnded: (when: string) => Promise<void>;
}) {
  const session = useSignedIn();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  useStatusMessage(ended ? '' : 'Your sessions loaded');

  async function end(id: string, started: string) {
    setProblems([]);
    try {
      await fetchJson(`/api/sessions/${encodeURIComponent(id)}`, noContent, undefined, { method: 'DELETE' });
      await onEnded(started);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setProblems([{ fieldId: null, message: error.message }]);
    }
  }

  return (
    <>
      <ErrorSummary problems={problems} />
      <PageHeading>Your sessions</PageHeading>
      <p className="nhsuk-body">
        Each time you sign in, a session starts. A session ends when you sign out, after{' '}
        {session.idleTimeoutMinutes} minutes without use, or {session.absoluteTimeoutHours} hours after it
        started. If you see a session you do not recognise, end it and tell your administrator.
      </p>
      {ended ? (
        // The button pressed goes with its row: focus moves to this notice.
        <FocusedNotice key={ended.at}>{`The session started ${ended.started} has ended.`}</FocusedNotice>
      ) : null}
      <ScrollTable captionId="sessions-caption">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id="sessions-caption">
            Open sessions, newest first
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                Started
              </th>
              <th scope="col" className="nhsuk-table__header">
                Last used
              </th>
              <th scope="col" className="nhsuk-table__header">
                Browser and address
              </th>
              <th scope="col" className="nhsuk-table__header">
                <span className="nhsuk-u-visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {sessions.map((s) => {
              const started = formatDateTime(s.createdAt);
              return (
                <tr key={s.id} className="nhsuk-table__row">
                  <td className="nhsuk-table__cell">
                    {started}
                    {s.current ? (
                      <>
                        {' '}
                        <strong className="nhsuk-tag nhsuk-tag--green">This session</strong>
                      </>
                    ) : null}
                  </td>
                  <td className="nhsuk-table__cell">{formatDateTime(s.lastSeenAt)}</td>
                  <td className="nhsuk-table__cell app-break-words">
                    {s.browser} ({s.ip})
                  </td>
                  <td className="nhsuk-table__cell">
                    {s.current ? (
                      'Use “Sign out” to end this one'
                    ) : (
                      <button
                        type="button"
                        className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                        onClick={() => void end(s.id, started)}
                      >
                        End session<span className="nhsuk-u-visually-hidden"> started {started}</span>
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}
