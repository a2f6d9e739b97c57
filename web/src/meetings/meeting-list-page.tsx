// The team's MDT meetings: those to come, soonest first, then those past, each with where it meets, how
// many people are on its agenda and its status. The team's INT lead, who chairs them, schedules them here.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { type MeetingSummary, meetingList, meetingSummary } from '../../../src/core/schemas/mdt.ts';
import { mayDo } from '../access/pages.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { NoTeam } from '../cases/no-team.tsx';
import { asApiError, caseProblems, errorsById } from '../cases/problems.ts';
import { type TeamRef, useMyTeam } from '../cases/team.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { DateInput, type DateParts, isoDate, NO_DATE } from '../components/date-input.tsx';
import { englandDateTime, parseTime } from '../components/england-time.ts';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { Notice, useNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { MeetingStatusTag, meetingHref, meetingTitle, peopleCount } from './meeting-parts.tsx';

/** A meeting under way for this long after its start still counts as upcoming (as the API orders them). */
const UNDER_WAY_MS = 4 * 3_600_000;

export function MeetingListPage() {
  const place = usePlace();
  const team = useMyTeam();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const teamId = team.state === 'ready' ? (team.data?.id ?? null) : null;
  const meetings = useApi(
    placeId && teamId
      ? `/api/places/${encodeURIComponent(placeId)}/teams/${encodeURIComponent(teamId)}/mdt-meetings`
      : null,
    meetingList,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (team.state === 'failed') return <ApiProblem error={team.error} />;
  if (team.state === 'ready' && team.data === null) return <NoTeam title="MDT meetings" />;
  if (meetings.state === 'failed') return <ApiProblem error={meetings.error} />;
  if (!placeId || team.state !== 'ready' || !team.data || meetings.state !== 'ready')
    return <Loading what="the MDT meetings" />;
  return <Meetings placeId={placeId} team={team.data} meetings={meetings.data.meetings} />;
}

function Meetings({
  placeId,
  team,
  meetings,
}: {
  placeId: string;
  team: TeamRef;
  meetings: MeetingSummary[];
}) {
  const { user } = useSignedIn();
  const notice = useNotice();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [now] = useState(() => Date.now());
  const upcoming = meetings.filter((m) => Date.parse(m.startsAt) >= now - UNDER_WAY_MS);
  const past = meetings.filter((m) => Date.parse(m.startsAt) < now - UNDER_WAY_MS);
  const mayChair = mayDo(user.role, 'chairMeetings');
  useStatusMessage(`MDT meetings: ${upcoming.length} to come, ${past.length} past`);
  return (
    <>
      <ErrorSummary problems={problems} />
      {notice ? <Notice>{notice}</Notice> : null}
      <PageHeading>MDT meetings</PageHeading>
      <p className="nhsuk-lede-text">
        The multidisciplinary team meetings of the {team.name}: everyone involved in a person’s care and
        support, from every agency, agreeing what happens next.
      </p>
      <MeetingTable id="upcoming" caption="Meetings to come, soonest first" meetings={upcoming}>
        {mayChair
          ? 'There are no meetings to come. Schedule one below.'
          : 'There are no meetings to come. The team’s INT lead schedules them.'}
      </MeetingTable>
      <MeetingTable id="past" caption="Past meetings, most recent first" meetings={past}>
        There are no past meetings in the last year.
      </MeetingTable>
      {mayChair ? (
        <ScheduleForm placeId={placeId} teamId={team.id} problems={problems} setProblems={setProblems} />
      ) : null}
    </>
  );
}

function MeetingTable({
  id,
  caption,
  meetings,
  children,
}: {
  id: string;
  caption: string;
  meetings: MeetingSummary[];
  /** What to say when there are none. */
  children: string;
}) {
  const captionId = `${id}-caption`;
  if (meetings.length === 0)
    return (
      <>
        <h2 className="nhsuk-heading-m">{caption.replace(/,.*$/, '')}</h2>
        <p className="nhsuk-body">{children}</p>
      </>
    );
  return (
    <ScrollTable captionId={captionId}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
          {caption}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              When
            </th>
            <th scope="col" className="nhsuk-table__header">
              Where
            </th>
            <th scope="col" className="nhsuk-table__header">
              Agenda
            </th>
            <th scope="col" className="nhsuk-table__header">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {meetings.map((m) => (
            <tr key={m.id} className="nhsuk-table__row">
              <td className="nhsuk-table__cell">
                <Link to={meetingHref(m.id)}>
                  <span className="nhsuk-u-visually-hidden">MDT meeting on </span>
                  {formatDateTime(m.startsAt)}
                </Link>
              </td>
              <td className="nhsuk-table__cell app-break-words">{m.location}</td>
              <td className="nhsuk-table__cell">{peopleCount(m.people)}</td>
              <td className="nhsuk-table__cell">
                <MeetingStatusTag status={m.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function ScheduleForm({
  placeId,
  teamId,
  problems,
  setProblems,
}: {
  placeId: string;
  teamId: string;
  problems: FormProblem[];
  setProblems: (problems: FormProblem[]) => void;
}) {
  const navigate = useNavigate();
  const [day, setDay] = useState<DateParts>(NO_DATE);
  const [time, setTime] = useState('');
  const [location, setLocation] = useState('');
  const [isSaving, setSaving] = useState(false);
  const errors = errorsById(problems);

  async function submit() {
    const typedDate = isoDate(day);
    const typedTime = parseTime(time);
    const startsAt = typedDate && typedTime ? englandDateTime(typedDate, typedTime) : null;
    const found: FormProblem[] = [];
    if (!typedDate) found.push({ fieldId: 'starts-on', message: 'Date: enter the date of the meeting' });
    else if (!startsAt && typedTime)
      found.push({ fieldId: 'starts-on', message: 'Date: enter a real date, for example 15 3 2027' });
    if (!typedTime)
      found.push({
        fieldId: 'starts-at',
        message: time.trim()
          ? 'Time: enter the time on the 24-hour clock, for example 14:30'
          : 'Time: enter the time the meeting starts',
      });
    if (!location.trim()) found.push({ fieldId: 'location', message: 'Where: say where the meeting is' });
    setProblems(found);
    if (found.length > 0 || !startsAt) return;
    setSaving(true);
    try {
      const meeting = await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/teams/${encodeURIComponent(teamId)}/mdt-meetings`,
        meetingSummary,
        undefined,
        { method: 'POST', body: { startsAt, location } },
      );
      navigate(meetingHref(meeting.id), {
        state: { notice: `${meetingTitle(meeting)} scheduled. Build its agenda when you are ready.` },
      });
    } catch (e) {
      setProblems(
        caseProblems(asApiError(e), {
          startsAt: { id: 'starts-on', label: 'Date' },
          location: { id: 'location', label: 'Where' },
        }),
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 className="nhsuk-heading-m">Schedule a meeting</h2>
      <p className="nhsuk-body">You chair the meeting. Times are UK time.</p>
      <DateInput
        id="starts-on"
        legend="Date"
        hint="For example, 15 3 2027"
        error={errors.get('starts-on')}
        value={day}
        onChange={setDay}
      />
      <TextField
        id="starts-at"
        label="Time"
        hint="On the 24-hour clock, for example 14:30"
        error={errors.get('starts-at')}
        inputClassName="nhsuk-input--width-5"
        value={time}
        onChange={setTime}
      />
      <TextField
        id="location"
        label="Where"
        hint="A room, or the link to the video call"
        error={errors.get('location')}
        maxLength={200}
        value={location}
        onChange={setLocation}
      />
      <button type="submit" className="nhsuk-button" disabled={isSaving}>
        Schedule meeting
      </button>
    </form>
  );
}
