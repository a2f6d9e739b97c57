// The minutes of an MDT meeting, laid out to print on A4: who was there by agency and who sent apologies,
// then each person discussed with the summary, decisions and actions agreed. Only those who attended
// (and the team's lead) may read them, and each reader sees only the people they have a relationship
// with; the others are counted. Until the chair marks the meeting held, the minutes are a draft.
import { Link, useParams } from 'react-router';
import { meetingIdParam } from '../../../src/core/schemas/case.ts';
import { type AttendeeOut, type MeetingMinutes, meetingMinutes } from '../../../src/core/schemas/mdt.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { titleCaseOdsName } from '../components/ods-name.ts';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { Discussion } from './agenda-item.tsx';
import { AgendaReasonTag, meetingHref, peopleCount } from './meeting-parts.tsx';

export function MinutesPage() {
  const { meetingId = '' } = useParams();
  const place = usePlace();
  const isId = meetingIdParam.safeParse(meetingId).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const minutes = useApi(
    placeId && isId ? `/api/places/${encodeURIComponent(placeId)}/mdt-meetings/${meetingId}/minutes` : null,
    meetingMinutes,
  );
  const notFound = (
    <NotFoundPage what="There are no minutes you can read at this web address. The minutes of an MDT meeting are for those who attended it and the team’s lead." />
  );
  if (!isId) return notFound;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (minutes.state === 'failed')
    return minutes.error.isNotFound ? notFound : <ApiProblem error={minutes.error} />;
  if (minutes.state !== 'ready') return <Loading what="the minutes" />;
  return <Minutes minutes={minutes.data} />;
}

/** Attendees grouped by their agency, agencies A to Z. */
function byAgency(attendees: AttendeeOut[]): [string, AttendeeOut[]][] {
  const groups = new Map<string, AttendeeOut[]>();
  for (const a of attendees) {
    const agency = titleCaseOdsName(a.agencyName);
    groups.set(agency, [...(groups.get(agency) ?? []), a]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

function Minutes({ minutes }: { minutes: MeetingMinutes }) {
  const { meeting } = minutes;
  const title = `Minutes of the MDT meeting on ${formatDateTime(meeting.startsAt)}`;
  useStatusMessage(`${title}: loaded`);
  const discussed = minutes.items.filter((i) => i.discussed);
  const notDiscussed = minutes.items.filter((i) => !i.discussed);
  return (
    <div className="app-minutes">
      <Link className="nhsuk-back-link" to={meetingHref(meeting.id)}>
        Back to the meeting
      </Link>
      <PageHeading>{title}</PageHeading>
      {minutes.draft ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            <strong>Draft.</strong> The chair has not marked the meeting as held yet, so these minutes may
            still change.
          </p>
        </div>
      ) : null}
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Team</dt>
          <dd className="nhsuk-summary-list__value">{meeting.teamName}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">When</dt>
          <dd className="nhsuk-summary-list__value">{formatDateTime(meeting.startsAt)}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Where</dt>
          <dd className="nhsuk-summary-list__value app-break-words">{meeting.location}</dd>
        </div>
      </dl>
      <button
        type="button"
        className="nhsuk-button nhsuk-button--secondary app-print-hidden"
        onClick={() => window.print()}
      >
        Print the minutes
      </button>

      <h2 className="nhsuk-heading-m">Present</h2>
      <Attendees attendees={minutes.present} none="Nobody is recorded as present." />
      <h2 className="nhsuk-heading-m">Apologies</h2>
      <Attendees attendees={minutes.apologies} none="None." />

      <h2 className="nhsuk-heading-m">People discussed</h2>
      {minutes.hiddenItems > 0 ? (
        <p className="nhsuk-body">
          {minutes.hiddenItems === 1 ? '1 item not shown' : `${minutes.hiddenItems} items not shown`}: they
          are about people you have no care relationship with.
        </p>
      ) : null}
      {discussed.length === 0 ? <p className="nhsuk-body">Nobody’s discussion is recorded yet.</p> : null}
      {discussed.map((item) => (
        <section key={item.id} className="app-minutes__item" aria-labelledby={`minutes-${item.id}`}>
          <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-2" id={`minutes-${item.id}`}>
            {item.person.name}
          </h3>
          <p className="nhsuk-body-s">
            <AgendaReasonTag reason={item.reason} />{' '}
            {item.person.nhsNumber ? `NHS number ${item.person.nhsNumber}` : 'No NHS number'}, aged{' '}
            {item.person.age}
          </p>
          <Discussion item={item} />
        </section>
      ))}
      {notDiscussed.length > 0 ? (
        <>
          <h2 className="nhsuk-heading-m">Not discussed</h2>
          <p className="nhsuk-body">
            {peopleCount(notDiscussed.length)} on the agenda with no discussion recorded:{' '}
            {notDiscussed.map((i) => i.person.name).join(', ')}.
          </p>
        </>
      ) : null}
    </div>
  );
}

function Attendees({ attendees, none }: { attendees: AttendeeOut[]; none: string }) {
  if (attendees.length === 0) return <p className="nhsuk-body">{none}</p>;
  return (
    <dl className="nhsuk-summary-list">
      {byAgency(attendees).map(([agency, people]) => (
        <div className="nhsuk-summary-list__row" key={agency}>
          <dt className="nhsuk-summary-list__key">{agency}</dt>
          <dd className="nhsuk-summary-list__value">
            <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
              {people.map((a) => (
                <li key={a.practitioner.id}>{a.practitioner.label}</li>
              ))}
            </ul>
          </dd>
        </div>
      ))}
    </dl>
  );
}
