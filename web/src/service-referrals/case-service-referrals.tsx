// On a case's page: the person's referrals to services, newest first, each with its status and its
// history (who moved it and when), so the referrer sees how it ended; and the way to make a new one.
import { Link } from 'react-router';
import { serviceReferralList } from '../../../src/core/schemas/service-referral.ts';
import { mayDo } from '../access/pages.ts';
import { useApi } from '../api/use-api.ts';
import { formatDateTime } from '../components/format-time.ts';
import { useSignedIn } from '../session/session-context.tsx';
import {
  ServiceReferralHistory,
  ServiceReferralStatusTag,
  serviceReferralHref,
} from './service-referral-parts.tsx';

export function CaseServiceReferrals({
  placeId,
  caseId,
  personName,
  isOpen,
}: {
  placeId: string;
  caseId: string;
  personName: string;
  isOpen: boolean;
}) {
  const { user } = useSignedIn();
  const list = useApi(
    `/api/places/${encodeURIComponent(placeId)}/cases/${caseId}/service-referrals`,
    serviceReferralList,
  );
  return (
    <>
      <h2 className="nhsuk-heading-l">Referrals to services</h2>
      {list.state === 'failed' ? (
        <p className="nhsuk-body">The referrals to services could not be loaded. {list.error.message}</p>
      ) : list.state !== 'ready' ? (
        <p className="nhsuk-body app-loading">Loading the referrals to services…</p>
      ) : list.data.referrals.length === 0 ? (
        <p className="nhsuk-body">{personName} has not been referred to any services from this case.</p>
      ) : (
        <ul className="nhsuk-list">
          {list.data.referrals.map((r) => (
            <li key={r.id} className="nhsuk-u-margin-bottom-5">
              <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                <Link to={serviceReferralHref(r.id)}>{r.service.name}</Link>
              </h3>
              <p className="nhsuk-body nhsuk-u-margin-bottom-1">
                <ServiceReferralStatusTag status={r.status} /> {r.service.organisation}. Referred by{' '}
                {r.referredBy}, {formatDateTime(r.referredAt)}.
              </p>
              <details className="nhsuk-details nhsuk-u-margin-bottom-0">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">
                    What has happened
                    <span className="nhsuk-u-visually-hidden"> to the referral to {r.service.name}</span>
                  </span>
                </summary>
                <div className="nhsuk-details__text">
                  <p className="nhsuk-body app-preserve-lines">Reason: {r.reason}</p>
                  <ServiceReferralHistory referral={r} />
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
      {isOpen && mayDo(user.role, 'referToServices') ? (
        <p className="nhsuk-body">
          <Link className="nhsuk-button nhsuk-button--secondary" to={`/cases/${caseId}/refer-to-service`}>
            Refer to a service
          </Link>
        </p>
      ) : null}
    </>
  );
}
