// The directory editors' words: a service's status and its review as tags, the API's addresses, and the
// services' own pages on the public directory. Shared by the list and the edit page.
import { formatDate } from '../../../src/core/dates.ts';
import { type ReviewState, SERVICE_STATUS_LABELS } from '../../../src/core/schemas/directory-edit.ts';
import type { ServiceStatus } from '../../../src/core/schemas/oruk.ts';

export const directoryApi = (placeId: string) => `/api/places/${encodeURIComponent(placeId)}/directory`;

const STATUS_TAGS: Record<ServiceStatus, string> = {
  active: 'nhsuk-tag--green',
  'temporarily closed': 'nhsuk-tag--yellow',
  inactive: 'nhsuk-tag--grey',
  defunct: 'nhsuk-tag--white',
};

export function ServiceStatusTag({ status }: { status: ServiceStatus }) {
  return <strong className={`nhsuk-tag ${STATUS_TAGS[status]}`}>{SERVICE_STATUS_LABELS[status]}</strong>;
}

/** The review date, with a tag when it is overdue or due within 30 days. */
export function ReviewDate({ date, review }: { date: string; review: ReviewState }) {
  return (
    <>
      <span className="app-nowrap">{formatDate(date)}</span>
      {review === 'overdue' ? (
        <>
          <br />
          <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>
        </>
      ) : review === 'due-soon' ? (
        <>
          <br />
          <strong className="nhsuk-tag nhsuk-tag--orange">Due soon</strong>
        </>
      ) : null}
    </>
  );
}

/** "12 March 2026, by Sam Jones (Directory editor)" or just the date when the place pack set it. */
export const checkedWords = (date: string, by: string | null) =>
  by ? `${formatDate(date)}, by ${by}` : `${formatDate(date)} (from the place pack)`;
