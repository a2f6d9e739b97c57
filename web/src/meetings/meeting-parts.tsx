// Pieces the MDT meeting pages share: the meeting's title and addresses, its status and each agenda
// item's reason as tags (the words say it; colour only helps), and loading one meeting by its address.
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { meetingIdParam } from '../../../src/core/schemas/case.ts';
import {
  AGENDA_REASON_LABELS,
  type AgendaItemOut,
  type MeetingDetail,
  type MeetingSummary,
  meetingDetail,
} from '../../../src/core/schemas/mdt.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { useReloadableApi } from '../components/use-reloadable-api.ts';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';

/** The address of a meeting's page, or one below it ("minutes", "items/…"). */
export const meetingHref = (meetingId: string, page?: string) => `/mdt/${meetingId}${page ? `/${page}` : ''}`;

/** "MDT meeting on 3 December 2026 at 10:00" (UK time). */
export const meetingTitle = (meeting: Pick<MeetingSummary, 'startsAt'>) =>
  `MDT meeting on ${formatDateTime(meeting.startsAt)}`;

const STATUS: Record<MeetingSummary['status'], { label: string; colour: string }> = {
  scheduled: { label: 'Scheduled', colour: 'nhsuk-tag--blue' },
  held: { label: 'Held', colour: 'nhsuk-tag--green' },
  cancelled: { label: 'Cancelled', colour: 'nhsuk-tag--grey' },
};

export function MeetingStatusTag({ status }: { status: MeetingSummary['status'] }) {
  return <strong className={`nhsuk-tag ${STATUS[status].colour}`}>{STATUS[status].label}</strong>;
}

const REASON_COLOURS: Record<AgendaItemOut['reason'], string> = {
  'new-referral': 'nhsuk-tag--blue',
  'review-due': 'nhsuk-tag--purple',
  'risk-rose': 'nhsuk-tag--orange',
  'unplanned-care': 'nhsuk-tag--red',
  nominated: 'nhsuk-tag--aqua-green',
  'added-by-chair': 'nhsuk-tag--grey',
};

export function AgendaReasonTag({ reason }: { reason: AgendaItemOut['reason'] }) {
  return <strong className={`nhsuk-tag ${REASON_COLOURS[reason]}`}>{AGENDA_REASON_LABELS[reason]}</strong>;
}

/** People, counted in words: "1 person", "3 people". */
export const peopleCount = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

export interface LoadedMeeting {
  placeId: string;
  detail: MeetingDetail;
  /** Fetches the meeting again after a change. */
  reload: () => Promise<void>;
}

/** Loads the meeting at /mdt/:meetingId; a meeting that does not exist and one the viewer may not see look alike. */
export function MeetingLoader({
  what,
  children,
}: {
  what: string;
  children: (loaded: LoadedMeeting) => ReactNode;
}) {
  const { meetingId = '' } = useParams();
  const place = usePlace();
  const isId = meetingIdParam.safeParse(meetingId).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const { loaded, reload } = useReloadableApi(
    placeId && isId ? `/api/places/${encodeURIComponent(placeId)}/mdt-meetings/${meetingId}` : null,
    meetingDetail,
  );
  const notFound = (
    <NotFoundPage what="There is no MDT meeting you can see at this web address. You can see the meetings of your own team, and those you attended." />
  );
  if (!isId) return notFound;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (loaded.state === 'failed')
    return loaded.error.isNotFound ? notFound : <ApiProblem error={loaded.error} />;
  if (!placeId || loaded.state !== 'ready') return <Loading what={what} />;
  return children({ placeId, detail: loaded.data, reload });
}
