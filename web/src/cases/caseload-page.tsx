// The team's open caseload, sorted and paged on the server: who each person is, their lead professional,
// when their review is due (overdue reviews in red, with the words), and their open and overdue actions.
import { Form, Link, useSearchParams } from 'react-router';
import {
  CASELOAD_SORTS,
  type CaseloadPage as Caseload,
  caseloadPage,
} from '../../../src/core/schemas/case.ts';
import { mayDo, mayOpen } from '../access/pages.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { formatNumber } from '../components/imd.ts';
import { Loading } from '../components/loading.tsx';
import { Notice, useNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Pagination } from '../components/pagination.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { nhsNumberShown, ReviewDue } from './case-parts.tsx';
import { NoTeam } from './no-team.tsx';
import { useMyTeam } from './team.ts';

const PAGE_SIZE = 25;

type Sort = (typeof CASELOAD_SORTS)[number];
const SORT_LABELS: Record<Sort, string> = {
  'review-due': 'Review due, soonest first',
  'overdue-actions': 'Overdue actions, most first',
  name: 'Name, A to Z',
  opened: 'Opened, newest first',
};

export function CaseloadPage() {
  const [search] = useSearchParams();
  const place = usePlace();
  const team = useMyTeam();
  const page = Math.max(1, Number(search.get('page')) || 1);
  const asked = search.get('sort');
  const sort: Sort = CASELOAD_SORTS.find((s) => s === asked) ?? 'review-due';
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const teamId = team.state === 'ready' ? (team.data?.id ?? null) : null;
  const caseload = useApi(
    placeId && teamId
      ? `/api/places/${encodeURIComponent(placeId)}/teams/${encodeURIComponent(teamId)}/caseload?page=${page}&pageSize=${PAGE_SIZE}&sort=${sort}`
      : null,
    caseloadPage,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (team.state === 'failed') return <ApiProblem error={team.error} />;
  if (team.state === 'ready' && team.data === null) return <NoTeam title="Caseload" />;
  if (caseload.state === 'failed') return <ApiProblem error={caseload.error} />;
  if (caseload.state !== 'ready') return <Loading what="the caseload" />;
  return <CaseloadView caseload={caseload.data} />;
}

function CaseloadView({ caseload }: { caseload: Caseload }) {
  const { user } = useSignedIn();
  const notice = useNotice();
  useStatusMessage(`Caseload: ${formatNumber(caseload.total)} open cases`);
  const captionId = 'caseload-caption';
  const first = (caseload.page - 1) * caseload.pageSize + 1;
  const last = Math.min(caseload.page * caseload.pageSize, caseload.total);
  const hrefFor = (page: number) => `?${new URLSearchParams({ sort: caseload.sort, page: String(page) })}`;
  return (
    <>
      {notice ? <Notice>{notice}</Notice> : null}
      <PageHeading>Caseload</PageHeading>
      <p className="nhsuk-lede-text">The open cases of the {caseload.teamName}.</p>
      <ul className="app-summary-grid">
        <li className="app-stat">
          <span className="app-stat__value">{formatNumber(caseload.total)}</span>
          <span className="app-stat__label">open {caseload.total === 1 ? 'case' : 'cases'}</span>
        </li>
        <li className="app-stat">
          <span className="app-stat__value">{formatNumber(caseload.reviewsOverdue)}</span>
          <span className="app-stat__label">
            {caseload.reviewsOverdue === 1 ? 'review' : 'reviews'} overdue
          </span>
        </li>
      </ul>
      {mayOpen(user.role, 'referrals') ? (
        <p className="nhsuk-body">
          New cases come from referrals. <Link to="/referrals">See referrals awaiting triage</Link> or{' '}
          <Link to="/refer">refer a person</Link>.
        </p>
      ) : mayDo(user.role, 'referPeople') ? (
        <p className="nhsuk-body">
          New cases come from referrals: <Link to="/refer">refer a person</Link>.
        </p>
      ) : null}
      {caseload.total === 0 ? (
        <p className="nhsuk-body">The team has no open cases.</p>
      ) : (
        <>
          <Form method="get" className="app-sort-form">
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="sort">
                Sort by
              </label>
              <select className="nhsuk-select" id="sort" name="sort" defaultValue={caseload.sort}>
                {CASELOAD_SORTS.map((s) => (
                  <option key={s} value={s}>
                    {SORT_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="nhsuk-button nhsuk-button--secondary">
              Sort
            </button>
          </Form>
          <ScrollTable captionId={captionId}>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
                Open cases {formatNumber(first)} to {formatNumber(last)} of {formatNumber(caseload.total)}, by{' '}
                {SORT_LABELS[caseload.sort].toLowerCase()}
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">
                    Person
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    NHS number
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    Lead professional
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    Review due
                  </th>
                  <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                    Open actions
                  </th>
                  <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                    Overdue actions
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {caseload.cases.map((c) => (
                  <tr key={c.id} className="nhsuk-table__row">
                    <td className="nhsuk-table__cell">
                      <Link to={`/cases/${c.id}`}>{c.person.name}</Link>
                      <br />
                      <span className="nhsuk-body-s">Aged {c.person.age}</span>
                    </td>
                    <td className="nhsuk-table__cell app-nowrap">
                      {nhsNumberShown(c.person.nhsNumber) ?? 'Not known'}
                    </td>
                    <td className="nhsuk-table__cell">
                      {c.leadPractitioner.title}
                      <br />
                      <span className="nhsuk-body-s">{c.leadPractitioner.agencyName}</span>
                    </td>
                    <td className="nhsuk-table__cell">
                      <ReviewDue reviewDueOn={c.reviewDueOn} today={caseload.today} />
                    </td>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{c.openActions}</td>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                      {c.overdueActions > 0 ? (
                        <strong className="nhsuk-tag nhsuk-tag--red">{c.overdueActions} overdue</strong>
                      ) : (
                        '0'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          <Pagination
            page={caseload.page}
            pageCount={Math.ceil(caseload.total / caseload.pageSize)}
            hrefFor={hrefFor}
          />
        </>
      )}
    </>
  );
}
