// The team's huddle: a short, frequent look at what changed since the last one. People on the caseload
// with an A&E visit or emergency admission, actions past their due date, and new referrals; for each, a
// quick outcome in one click (noted, contact today, discuss at the MDT, escalated). Outcomes are recorded
// against today's huddle, which anyone in the team starts.
import { useState } from 'react';
import { Link } from 'react-router';
import {
  HUDDLE_ITEMS,
  type HuddleBoard,
  huddleBoard,
  huddleOutcomeOut,
} from '../../../src/core/schemas/mdt.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { NoTeam } from '../cases/no-team.tsx';
import { asApiError } from '../cases/problems.ts';
import { useMyTeam } from '../cases/team.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { type BoardItem, HuddleItem } from './huddle-item.tsx';

const GROUPS: Record<(typeof HUDDLE_ITEMS)[number], { heading: string; none: string }> = {
  'unplanned-care': {
    heading: 'Unplanned care since the last huddle',
    none: 'Nobody on the caseload has been to A&E or admitted as an emergency since the last huddle.',
  },
  'overdue-action': { heading: 'Overdue actions', none: 'No actions are overdue.' },
  'new-referral': { heading: 'New referrals', none: 'No new referrals are waiting since the last huddle.' },
};

export function HuddlePage() {
  const place = usePlace();
  const team = useMyTeam();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const teamId = team.state === 'ready' ? (team.data?.id ?? null) : null;
  const board = useApi(
    placeId && teamId
      ? `/api/places/${encodeURIComponent(placeId)}/teams/${encodeURIComponent(teamId)}/huddle`
      : null,
    huddleBoard,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (team.state === 'failed') return <ApiProblem error={team.error} />;
  if (team.state === 'ready' && team.data === null) return <NoTeam title="Huddle" />;
  if (board.state === 'failed') return <ApiProblem error={board.error} />;
  if (!placeId || board.state !== 'ready') return <Loading what="the huddle board" />;
  return <Board placeId={placeId} initial={board.data} />;
}

function Board({ placeId, initial }: { placeId: string; initial: HuddleBoard }) {
  const [board, setBoard] = useState(initial);
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isStarting, setStarting] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const { huddle } = board;
  useStatusMessage(said ?? `Huddle: ${board.items.length} items on the board`);

  async function start() {
    setProblems([]);
    setStarting(true);
    try {
      const started = await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/teams/${encodeURIComponent(board.teamId)}/huddles`,
        huddleBoard,
        undefined,
        { method: 'POST' },
      );
      setBoard(started);
      setSaid(`Today’s huddle has started: ${started.items.length} items on the board.`);
      // The button has gone: focus the board's first group, where the outcomes are now offered.
      requestAnimationFrame(() => document.getElementById('huddle-started')?.focus());
    } catch (e) {
      setProblems([{ fieldId: null, message: asApiError(e).message }]);
    } finally {
      setStarting(false);
    }
  }

  async function record(item: BoardItem, outcome: NonNullable<BoardItem['outcome']>): Promise<string> {
    if (!huddle) throw new Error('no huddle started');
    const saved = await fetchJson(
      `/api/places/${encodeURIComponent(placeId)}/huddles/${huddle.id}/outcomes`,
      huddleOutcomeOut,
      undefined,
      { method: 'POST', body: { personId: item.person.id, item: item.item, outcome } },
    );
    setBoard((b) => ({
      ...b,
      items: b.items.map((i) =>
        i.person.id === item.person.id && i.item === item.item ? { ...i, outcome: saved.outcome } : i,
      ),
    }));
    setSaid(`${item.person.name}: ${saved.message}`);
    return saved.message;
  }

  return (
    <>
      <ErrorSummary problems={problems} />
      <PageHeading>Huddle</PageHeading>
      <p className="nhsuk-lede-text">
        What has changed for the {board.teamName}’s people since {formatDateTime(board.since)}.
      </p>
      {huddle ? (
        <p className="nhsuk-body" id="huddle-started" tabIndex={-1}>
          Today’s huddle was started at {formatDateTime(huddle.startedAt).replace(/^.* at /, '')} by{' '}
          {huddle.startedBy}. Choose an outcome for each item.
        </p>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <p className="nhsuk-body">Start today’s huddle to record an outcome for each item.</p>
          <button type="submit" className="nhsuk-button" disabled={isStarting}>
            Start today’s huddle
          </button>
        </form>
      )}
      {HUDDLE_ITEMS.map((kind) => {
        const items = board.items.filter((i) => i.item === kind);
        return (
          <section key={kind} aria-labelledby={`huddle-${kind}`}>
            <h2 className="nhsuk-heading-m" id={`huddle-${kind}`}>
              {GROUPS[kind].heading} ({items.length})
            </h2>
            {items.length === 0 ? (
              <p className="nhsuk-body">{GROUPS[kind].none}</p>
            ) : (
              <ul className="nhsuk-list app-huddle-list">
                {items.map((item) => (
                  <HuddleItem
                    key={`${item.item}|${item.person.id}`}
                    item={item}
                    onRecord={huddle ? (outcome) => record(item, outcome) : null}
                  />
                ))}
              </ul>
            )}
          </section>
        );
      })}
      <p className="nhsuk-body">
        See the whole <Link to="/caseload">caseload</Link> or the <Link to="/mdt">MDT meetings</Link>.
      </p>
    </>
  );
}
