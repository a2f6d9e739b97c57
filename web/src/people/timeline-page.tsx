// One person's timeline: their hospital activity and social care, and the work of the cases the viewer
// may see (referrals, contacts, plan changes, reviews, MDT decisions, consent), newest first, grouped by
// day, each event with a tag saying what kind it is. As with the record, a person who does not exist and
// one the viewer may not see look the same.
import { Link, useParams } from 'react-router';
import { formatDate } from '../../../src/core/dates.ts';
import { type TIMELINE_KINDS, type Timeline, timeline } from '../../../src/core/schemas/case.ts';
import { personIdParam } from '../../../src/core/schemas/person.ts';
import { useApi } from '../api/use-api.ts';
import { nhsNumberShown } from '../cases/case-parts.tsx';
import { ApiProblem } from '../components/api-problem.tsx';
import { dateInEngland, timeInEngland } from '../components/england-time.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';

type Event = Timeline['events'][number];
type Kind = (typeof TIMELINE_KINDS)[number];

/** Each kind in words, with a tag colour (the words carry the meaning; colour only groups them). */
const KINDS: Record<Kind, { label: string; colour: string }> = {
  'ed-attendance': { label: 'A&E', colour: 'nhsuk-tag--red' },
  'emergency-admission': { label: 'Emergency admission', colour: 'nhsuk-tag--red' },
  'elective-admission': { label: 'Planned admission', colour: 'nhsuk-tag--orange' },
  'day-case': { label: 'Day case', colour: 'nhsuk-tag--orange' },
  outpatient: { label: 'Outpatients', colour: 'nhsuk-tag--yellow' },
  'social-care': { label: 'Social care', colour: 'nhsuk-tag--purple' },
  contact: { label: 'Contact', colour: 'nhsuk-tag--aqua-green' },
  referral: { label: 'Referral', colour: 'nhsuk-tag--blue' },
  case: { label: 'Case', colour: 'nhsuk-tag--blue' },
  plan: { label: 'Plan', colour: 'nhsuk-tag--green' },
  review: { label: 'Review', colour: 'nhsuk-tag--green' },
  mdt: { label: 'MDT', colour: 'nhsuk-tag--pink' },
  consent: { label: 'Consent', colour: 'nhsuk-tag--grey' },
  'service-referral': { label: 'Service referral', colour: 'nhsuk-tag--blue' },
};

const isDateOnly = (at: string) => /^\d{4}-\d{2}-\d{2}$/.test(at);
const dayOf = (at: string) => (isDateOnly(at) ? at : dateInEngland(at));

/** Events by day, in the order they came (newest first). */
function byDay(events: Event[]): [string, Event[]][] {
  const days = new Map<string, Event[]>();
  for (const e of events) days.set(dayOf(e.at), [...(days.get(dayOf(e.at)) ?? []), e]);
  return [...days];
}

export function TimelinePage() {
  const { personId = '' } = useParams();
  const place = usePlace();
  const isId = personIdParam.safeParse(personId).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const loaded = useApi(
    placeId && isId
      ? `/api/places/${encodeURIComponent(placeId)}/people/${encodeURIComponent(personId)}/timeline`
      : null,
    timeline,
  );
  if (!isId)
    return <NotFoundPage what="There is no one with this web address in Joined Up. Check the address." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (loaded.state === 'failed')
    return loaded.error.isNotFound ? (
      <NotFoundPage what="There is no timeline you can see for this person. You can see it when you have a care relationship with them." />
    ) : (
      <ApiProblem error={loaded.error} />
    );
  if (loaded.state !== 'ready') return <Loading what="the timeline" />;
  return <TimelineView data={loaded.data} />;
}

function TimelineView({ data }: { data: Timeline }) {
  const { person, events } = data;
  const title = `Timeline for ${person.name}`;
  useStatusMessage(`${title}: ${events.length} events`);
  return (
    <>
      <Link className="nhsuk-back-link" to={`/people/${person.id}`}>
        Back to {person.name}’s record
      </Link>
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-lede-text">
        Hospital visits, social care, contacts, plan changes and MDT decisions, newest first.
      </p>
      <p className="nhsuk-body">
        {person.nhsNumber ? `NHS number ${nhsNumberShown(person.nhsNumber)}` : 'No NHS number'}, born{' '}
        {formatDate(person.dateOfBirth)} (aged {person.age}). You see the work of the cases you may see; the
        most recent 300 events are shown.
      </p>
      {events.length === 0 ? <p className="nhsuk-body">Nothing is recorded for {person.name} yet.</p> : null}
      {byDay(events).map(([day, dayEvents]) => (
        <div key={day} className="app-timeline__day">
          <h2 className="nhsuk-heading-s app-timeline__date">{formatDate(day)}</h2>
          <ul className="nhsuk-list app-timeline">
            {dayEvents.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: events have no id; the order is the server's
              <li key={i} className="app-timeline__event">
                <p className="nhsuk-body nhsuk-u-margin-bottom-1">
                  <strong className={`nhsuk-tag ${KINDS[e.kind].colour}`}>{KINDS[e.kind].label}</strong>{' '}
                  {isDateOnly(e.at) ? null : (
                    <span className="app-timeline__time">{timeInEngland(e.at)} </span>
                  )}
                  <strong>{e.title}</strong>
                </p>
                {e.detail ? (
                  <p className="nhsuk-body nhsuk-u-margin-bottom-1 app-preserve-lines">{e.detail}</p>
                ) : null}
                {e.by ? <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">By {e.by}</p> : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
