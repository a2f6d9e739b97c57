// The inbox of the staff member's agency: the referrals it receives for the services of the organisations
// it answers for, open ones first, each with its person, service, status and who referred them.
import { Link } from 'react-router';
import { type ServiceReferralView, serviceReferralList } from '../../../src/core/schemas/service-referral.ts';
import { useApi } from '../api/use-api.ts';
import { nhsNumberShown } from '../cases/case-parts.tsx';
import { ApiProblem } from '../components/api-problem.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { Notice, useNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { ServiceReferralStatusTag, serviceReferralHref } from './service-referral-parts.tsx';

export function ServiceReferralInboxPage() {
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const inbox = useApi(
    placeId ? `/api/places/${encodeURIComponent(placeId)}/service-referrals/inbox` : null,
    serviceReferralList,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (inbox.state === 'failed') return <ApiProblem error={inbox.error} />;
  if (inbox.state !== 'ready') return <Loading what="the service referrals" />;
  return <Inbox referrals={inbox.data.referrals} />;
}

const isOpen = (r: ServiceReferralView) => !['declined', 'completed', 'not-completed'].includes(r.status);

function Inbox({ referrals }: { referrals: ServiceReferralView[] }) {
  const notice = useNotice();
  const open = referrals.filter(isOpen).length;
  useStatusMessage(`Service referrals: ${referrals.length}, ${open} open`);
  const captionId = 'service-referrals-caption';
  return (
    <>
      {notice ? <Notice>{notice}</Notice> : null}
      <PageHeading>Service referrals</PageHeading>
      <p className="nhsuk-lede-text">
        People referred to the services your organisation runs. Open a referral to say you have received it,
        accept or decline it, and say how it went.
      </p>
      {referrals.length === 0 ? (
        <p className="nhsuk-body">There are no referrals to your services yet.</p>
      ) : (
        <ScrollTable captionId={captionId}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
              {referrals.length} {referrals.length === 1 ? 'referral' : 'referrals'}, {open} open: open ones
              first
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">
                  Person
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Service
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Status
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Referred
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {referrals.map((r) => (
                <tr key={r.id} className="nhsuk-table__row">
                  <td className="nhsuk-table__cell">
                    <Link to={serviceReferralHref(r.id)}>
                      {r.person.name}
                      <span className="nhsuk-u-visually-hidden">: referral to {r.service.name}</span>
                    </Link>
                    <br />
                    <span className="nhsuk-body-s app-nowrap">
                      {r.person.nhsNumber
                        ? `NHS number ${nhsNumberShown(r.person.nhsNumber)}`
                        : 'No NHS number'}
                    </span>
                  </td>
                  <td className="nhsuk-table__cell">
                    {r.service.name}
                    <br />
                    <span className="nhsuk-body-s">{r.service.organisation}</span>
                  </td>
                  <td className="nhsuk-table__cell">
                    <ServiceReferralStatusTag status={r.status} />
                  </td>
                  <td className="nhsuk-table__cell">
                    {formatDateTime(r.referredAt)}
                    <br />
                    <span className="nhsuk-body-s">by {r.referredBy}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </>
  );
}
