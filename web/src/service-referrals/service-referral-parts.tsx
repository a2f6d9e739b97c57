// Pieces the service referral pages share: a status as an NHS.UK tag (the words always say it, colour
// only helps), a referral's history as a list of who did what and when, and the address of one referral.
import {
  SERVICE_REFERRAL_STATUS_LABELS,
  type ServiceReferralStatus,
  type ServiceReferralView,
} from '../../../src/core/schemas/service-referral.ts';
import { formatDateTime } from '../components/format-time.ts';

const TAG_COLOUR: Record<ServiceReferralStatus, string> = {
  sent: 'nhsuk-tag--grey',
  received: 'nhsuk-tag--blue',
  accepted: 'nhsuk-tag--aqua-green',
  declined: 'nhsuk-tag--red',
  'in-progress': 'nhsuk-tag--yellow',
  completed: 'nhsuk-tag--green',
  'not-completed': 'nhsuk-tag--orange',
};

export function ServiceReferralStatusTag({ status }: { status: ServiceReferralStatus }) {
  return (
    <strong className={`nhsuk-tag ${TAG_COLOUR[status]}`}>{SERVICE_REFERRAL_STATUS_LABELS[status]}</strong>
  );
}

/** Every step of a referral, oldest first: the status, who, when and any note. */
export function ServiceReferralHistory({ referral }: { referral: ServiceReferralView }) {
  return (
    <ol className="nhsuk-list">
      {referral.history.map((e) => (
        <li key={`${e.status}-${e.at}`} className="nhsuk-u-margin-bottom-3">
          <strong>{SERVICE_REFERRAL_STATUS_LABELS[e.status]}</strong>: {e.by}, {formatDateTime(e.at)}
          {e.note ? (
            <>
              <br />
              <span className="app-preserve-lines">“{e.note}”</span>
            </>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export const serviceReferralHref = (referralId: string) => `/service-referrals/${referralId}`;
