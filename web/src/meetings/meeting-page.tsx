// One MDT meeting: when and where, its status, and its agenda, each person with why they are on it and
// what was decided. Every member of the team can nominate a person and record a discussion; the chair (the
// team's INT lead) builds the agenda from the suggestions, orders and trims it, records attendance and
// marks the meeting held. People the viewer has no relationship with are counted, never shown.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import type { Organisation } from '../../../src/core/schemas/case.ts';
import { agendaBuilt, type MeetingDetail } from '../../../src/core/schemas/mdt.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { SummaryRow } from '../cases/case-parts.tsx';
import { asApiError, caseProblems } from '../cases/problems.ts';
import { useOrganisation } from '../cases/team.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { Notice, useNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { AgendaItem, itemHeadingId } from './agenda-item.tsx';
import { AttendanceForm } from './attendance-form.tsx';
import {
  type LoadedMeeting,
  MeetingLoader,
  MeetingStatusTag,
  meetingHref,
  meetingTitle,
  peopleCount,
} from './meeting-parts.tsx';
import { NominateForm } from './nominate-form.tsx';

export function MeetingPage() {
  return <MeetingLoader what="the MDT meeting">{(loaded) => <WithOrganisation {...loaded} />}</MeetingLoader>;
}

/** The chair's attendance form needs the place's practitioners; nobody else waits for them. */
function WithOrganisation(loaded: LoadedMeeting) {
  const org = useOrganisation();
  if (loaded.detail.isChair) {
    if (org.state === 'failed') return <ApiProblem error={org.error} />;
    if (org.state !== 'ready') return <Loading what="the MDT meeting" />;
  }
  return <Meeting {...loaded} org={org.state === 'ready' ? org.data : null} />;
}

const ordered = (detail: MeetingDetail) => [...detail.items].sort((a, b) => a.position - b.position);

function Meeting({ placeId, detail, reload, org }: LoadedMeeting & { org: Organisation | null }) {
  const { meeting, isChair } = detail;
  const title = meetingTitle(meeting);
  const carried = useNotice();
  const [notice, setNotice] = useState<string | null>(carried);
  const [said, setSaid] = useState<string | null>(null);
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isBusy, setBusy] = useState(false);
  const [focusOn, setFocusOn] = useState<{ id: string } | null>(null);
  useStatusMessage(said ?? `${title}: loaded`);

  // Focus follows what the user just changed (a moved item, the agenda after it is built), once redrawn.
  useEffect(() => {
    if (focusOn) document.getElementById(focusOn.id)?.focus();
  }, [focusOn]);

  const isScheduled = meeting.status === 'scheduled';
  const isChairNow = isChair && isScheduled;
  const items = ordered(detail);
  const shown = items.filter((i) => !i.removed);
  const removed = items.filter((i) => i.removed);
  const base = `/api/places/${encodeURIComponent(placeId)}/mdt-meetings/${meeting.id}`;

  /** Runs one change, then reloads the meeting and says what happened. */
  async function change(run: () => Promise<string>, focusId: string, fields = {}) {
    setProblems([]);
    setBusy(true);
    try {
      const message = await run();
      await reload();
      setNotice(message);
      setSaid(message);
      setFocusOn({ id: focusId });
    } catch (e) {
      setProblems(caseProblems(asApiError(e), fields));
    } finally {
      setBusy(false);
    }
  }

  const patchItem = (itemId: string, body: { position?: number; removed?: boolean }) =>
    fetchJson(`${base}/agenda/items/${itemId}`, z.unknown(), undefined, { method: 'PATCH', body });

  return (
    <>
      <ErrorSummary problems={problems} />
      <Link className="nhsuk-back-link" to="/mdt">
        Back to MDT meetings
      </Link>
      {notice ? <Notice>{notice}</Notice> : null}
      <PageHeading>{title}</PageHeading>
      <dl className="nhsuk-summary-list">
        <SummaryRow label="Team">{meeting.teamName}</SummaryRow>
        <SummaryRow label="When">{formatDateTime(meeting.startsAt)}</SummaryRow>
        <SummaryRow label="Where">
          <span className="app-break-words">{meeting.location}</span>
        </SummaryRow>
        <SummaryRow label="Status">
          <MeetingStatusTag status={meeting.status} />
        </SummaryRow>
        <SummaryRow label="Agenda">
          {meeting.agendaBuiltAt
            ? `Built ${formatDateTime(meeting.agendaBuiltAt)}; ${peopleCount(meeting.people)}`
            : `Not built yet; ${peopleCount(meeting.people)} nominated`}
        </SummaryRow>
      </dl>
      <p className="nhsuk-body">
        <Link to={meetingHref(meeting.id, 'minutes')}>
          {meeting.status === 'held' ? 'Read the minutes' : 'Read the draft minutes'}
        </Link>{' '}
        (for those who attended, and the team’s lead)
      </p>

      {isChairNow ? (
        <form
          className="app-print-hidden"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void change(async () => {
              const built = await fetchJson(`${base}/agenda`, agendaBuilt, undefined, { method: 'POST' });
              return built.added === 0
                ? 'Agenda built: nobody new to add.'
                : `Agenda built: ${peopleCount(built.added)} added.`;
            }, 'agenda-heading');
          }}
        >
          <h2 className="nhsuk-heading-m">Build the agenda</h2>
          <p className="nhsuk-body">
            Adds people with a new referral, a review due by the meeting, a risk that rose, or an A&amp;E
            visit or emergency admission since the team last met, and people nominated at a worklist or
            huddle. People already on the agenda, or whom you took off it, are not added again.
          </p>
          <button type="submit" className="nhsuk-button" disabled={isBusy}>
            Build the agenda
          </button>
        </form>
      ) : null}

      <h2 className="nhsuk-heading-m" id="agenda-heading" tabIndex={-1}>
        Agenda
      </h2>
      {detail.hiddenItems > 0 ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            {detail.hiddenItems === 1
              ? '1 more person is on the agenda who is not shown, because you have no care relationship with them.'
              : `${detail.hiddenItems} more people are on the agenda who are not shown, because you have no care relationship with them.`}
          </p>
        </div>
      ) : null}
      {shown.length === 0 ? (
        <p className="nhsuk-body">
          {detail.hiddenItems > 0 ? 'Nobody else is on the agenda.' : 'Nobody is on the agenda yet.'}
          {isChairNow ? ' Build the agenda, or nominate a person.' : ''}
        </p>
      ) : (
        <ol className="nhsuk-list app-agenda">
          {shown.map((item, i) => {
            const before = shown[i - 1];
            const after = shown[i + 1];
            return (
              <AgendaItem
                key={item.id}
                meetingId={meeting.id}
                item={item}
                number={i + 1}
                mayRecord={meeting.status !== 'cancelled'}
                chair={
                  isChairNow
                    ? {
                        canMoveUp: before !== undefined,
                        canMoveDown: after !== undefined,
                        isBusy,
                        onMove: (direction) => {
                          const to = direction === 'up' ? before : after;
                          if (!to) return;
                          void change(async () => {
                            await patchItem(item.id, { position: to.position });
                            return `${item.person.name} moved ${direction}: now number ${direction === 'up' ? i : i + 2} on the agenda.`;
                          }, itemHeadingId(item.id));
                        },
                        onRemove: () =>
                          void change(async () => {
                            await patchItem(item.id, { removed: true });
                            return `${item.person.name} taken off the agenda.`;
                          }, 'agenda-heading'),
                      }
                    : null
                }
              />
            );
          })}
        </ol>
      )}

      {isChairNow && removed.length > 0 ? (
        <>
          <h2 className="nhsuk-heading-m">Taken off the agenda</h2>
          <ul className="nhsuk-list app-print-hidden">
            {removed.map((item) => (
              <li key={item.id} className="app-removed-item">
                <span>
                  {item.person.name}
                  {item.person.nhsNumber ? ` (NHS number ${item.person.nhsNumber})` : ''}
                </span>{' '}
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                  disabled={isBusy}
                  onClick={() =>
                    void change(async () => {
                      await patchItem(item.id, { removed: false });
                      return `${item.person.name} is back on the agenda.`;
                    }, itemHeadingId(item.id))
                  }
                >
                  Put back on the agenda<span className="nhsuk-u-visually-hidden">: {item.person.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {isScheduled ? (
        <NominateForm
          placeId={placeId}
          meetingId={meeting.id}
          isChair={isChair}
          problems={problems}
          setProblems={setProblems}
          onAdded={async (itemId) => {
            await reload();
            setNotice('Added to the agenda.');
            setSaid('Added to the agenda.');
            setFocusOn({ id: itemHeadingId(itemId) });
          }}
        />
      ) : null}

      {isChair && org && meeting.status !== 'cancelled' ? (
        <AttendanceForm
          placeId={placeId}
          meetingId={meeting.id}
          teamId={meeting.teamId}
          attendance={detail.attendance}
          org={org}
          setProblems={setProblems}
          onSaved={async (message) => {
            await reload();
            setNotice(message);
            setSaid(message);
            setFocusOn({ id: 'attendance-heading' });
          }}
        />
      ) : (
        <Attendance detail={detail} />
      )}

      {isChairNow ? (
        <form
          className="app-print-hidden"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void change(async () => {
              await fetchJson(`${base}/held`, z.unknown(), undefined, { method: 'POST' });
              return 'The meeting is marked as held. Its agenda is closed and its minutes are final.';
            }, 'maincontent');
          }}
        >
          <h2 className="nhsuk-heading-m">After the meeting</h2>
          <p className="nhsuk-body">
            Marking the meeting as held closes its agenda and makes the minutes final. Discussions can still
            be recorded afterwards.
          </p>
          <button type="submit" className="nhsuk-button nhsuk-button--secondary" disabled={isBusy}>
            Mark as held
          </button>
        </form>
      ) : null}
    </>
  );
}

/** Attendance as recorded, for members who are not the chair. */
function Attendance({ detail }: { detail: MeetingDetail }) {
  const present = detail.attendance.filter((a) => a.attended);
  const apologies = detail.attendance.filter((a) => !a.attended);
  return (
    <>
      <h2 className="nhsuk-heading-m">Attendance</h2>
      {detail.attendance.length === 0 ? (
        <p className="nhsuk-body">The chair has not recorded attendance yet.</p>
      ) : (
        <dl className="nhsuk-summary-list">
          <SummaryRow label="Present">
            {present.length === 0 ? 'Nobody recorded' : present.map((a) => a.practitioner.label).join('; ')}
          </SummaryRow>
          <SummaryRow label="Apologies">
            {apologies.length === 0 ? 'None' : apologies.map((a) => a.practitioner.label).join('; ')}
          </SummaryRow>
        </dl>
      )}
    </>
  );
}
