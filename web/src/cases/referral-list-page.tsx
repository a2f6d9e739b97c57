// The team's referrals: those awaiting triage (urgent first, then oldest first), and those accepted or
// declined, newest first. Each opens its triage page; accepted ones link to their case.
import { Link, useSearchParams } from 'react-router';
import { formatDate } from '../../../src/core/dates.ts';
import {
  REFERRAL_SOURCE_LABELS,
  REFERRAL_STATUSES,
  type ReferralOut,
  referralList,
} from '../../../src/core/schemas/case.ts';
import { mayDo } from '../access/pages.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice, useNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { nhsNumberShown, UrgencyTag } from './case-parts.tsx';
import { NoTeam } from './no-team.tsx';
import { type TeamRef, useMyTeam } from './team.ts';

type Status = (typeof REFERRAL_STATUSES)[number];

const STATUS_WORDS: Record<Status, string> = {
  'awaiting-triage': 'Awaiting triage',
  accepted: 'Accepted',
  declined: 'Declined',
};

export function ReferralListPage() {
  const [search] = useSearchParams();
  const place = usePlace();
  const team = useMyTeam();
  const asked = search.get('status');
  const status: Status = REFERRAL_STATUSES.find((s) => s === asked) ?? 'awaiting-triage';
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const teamId = team.state === 'ready' ? (team.data?.id ?? null) : null;
  const referrals = useApi(
    placeId && teamId
      ? `/api/places/${encodeURIComponent(placeId)}/teams/${encodeURIComponent(teamId)}/referrals?status=${status}`
      : null,
    referralList,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (team.state === 'failed') return <ApiProblem error={team.error} />;
  if (team.state === 'ready' && team.data === null) return <NoTeam title="Referrals" />;
  // Staff outside health and social care do not see a team's referrals: the API answers "no such team".
  if (referrals.state === 'failed')
    return referrals.error.isNotFound ? <NoTeam title="Referrals" /> : <ApiProblem error={referrals.error} />;
  if (team.state !== 'ready' || !team.data || referrals.state !== 'ready')
    return <Loading what="the referrals" />;
  return <Referrals team={team.data} status={status} referrals={referrals.data.referrals} />;
}

function Referrals({ team, status, referrals }: { team: TeamRef; status: Status; referrals: ReferralOut[] }) {
  const { user } = useSignedIn();
  const notice = useNotice();
  const mayTriage = mayDo(user.role, 'triageReferrals');
  useStatusMessage(`Referrals ${STATUS_WORDS[status].toLowerCase()}: ${referrals.length}`);
  const captionId = 'referrals-caption';
  return (
    <>
      {notice ? <Notice>{notice}</Notice> : null}
      <PageHeading>Referrals</PageHeading>
      <p className="nhsuk-lede-text">Referrals to the {team.name}.</p>
      {mayDo(user.role, 'referPeople') ? (
        <p className="nhsuk-body">
          <Link to="/refer">Refer a person to an Integrated Neighbourhood Team</Link>
        </p>
      ) : null}
      <nav aria-label="Referrals by status">
        <ul className="nhsuk-list app-subnav">
          {REFERRAL_STATUSES.map((s) => (
            <li key={s} className="app-subnav__item">
              <Link to={`?status=${s}`} aria-current={status === s ? 'page' : undefined}>
                {STATUS_WORDS[s]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {referrals.length === 0 ? (
        <p className="nhsuk-body">
          {status === 'awaiting-triage'
            ? 'There are no referrals waiting for triage.'
            : `No referrals have been ${status} yet.`}
        </p>
      ) : (
        <ScrollTable captionId={captionId}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
              {STATUS_WORDS[status]}: {referrals.length} {referrals.length === 1 ? 'referral' : 'referrals'}
              {status === 'awaiting-triage' ? ', urgent first' : ', newest first'}
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">
                  Person
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Urgency
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Reason
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Referred by
                </th>
                <th scope="col" className="nhsuk-table__header">
                  {status === 'awaiting-triage' ? 'Received' : 'Outcome'}
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {referrals.map((r) => (
                <tr key={r.id} className="nhsuk-table__row">
                  <td className="nhsuk-table__cell">
                    <Link to={`/referrals/${r.id}`}>
                      {r.person.name}
                      {status === 'awaiting-triage' && mayTriage ? (
                        <span className="nhsuk-u-visually-hidden">: triage the referral</span>
                      ) : null}
                    </Link>
                    <br />
                    <span className="nhsuk-body-s app-nowrap">
                      {r.person.nhsNumber
                        ? `NHS number ${nhsNumberShown(r.person.nhsNumber)}`
                        : 'No NHS number'}
                    </span>
                  </td>
                  <td className="nhsuk-table__cell">
                    <UrgencyTag urgency={r.urgency} />
                  </td>
                  <td className="nhsuk-table__cell app-preserve-lines">{r.reason}</td>
                  <td className="nhsuk-table__cell">
                    {r.referrer}
                    <br />
                    <span className="nhsuk-body-s">{REFERRAL_SOURCE_LABELS[r.source]}</span>
                  </td>
                  <td className="nhsuk-table__cell">
                    {status === 'awaiting-triage' ? (
                      <span className="app-nowrap">{formatDate(r.createdAt.slice(0, 10))}</span>
                    ) : (
                      <Outcome referral={r} />
                    )}
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

function Outcome({ referral: r }: { referral: ReferralOut }) {
  const by = r.triagedBy
    ? `${r.triagedBy}${r.triagedAt ? `, ${formatDate(r.triagedAt.slice(0, 10))}` : ''}`
    : '';
  if (r.status === 'accepted')
    return (
      <>
        {r.caseId ? (
          <Link to={`/cases/${r.caseId}`}>
            Open the case<span className="nhsuk-u-visually-hidden"> for {r.person.name}</span>
          </Link>
        ) : (
          'Accepted'
        )}
        {by ? <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">Accepted by {by}</p> : null}
      </>
    );
  return (
    <>
      <span className="app-preserve-lines">Declined: {r.declineReason ?? 'no reason recorded'}</span>
      {by ? <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">By {by}</p> : null}
    </>
  );
}
