// The directory editors' list of services: those due for review first, with how many are overdue and due
// soon, a search by words, filters by review and status, and a link to add a service. Each service opens
// its edit page.
import { Form, Link, useSearchParams } from 'react-router';
import {
  type EditorServiceList,
  editorServiceList,
  REVIEW_STATES,
  type ReviewState,
} from '../../../src/core/schemas/directory-edit.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice, useNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Pagination } from '../components/pagination.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { checkedWords, directoryApi, ReviewDate, ServiceStatusTag } from './directory-words.tsx';

const PER_PAGE = 25;
const REVIEW_WORDS: Record<ReviewState | 'all' | 'retired', string> = {
  all: 'All services',
  overdue: 'Review overdue',
  'due-soon': 'Review due soon',
  'not-due': 'Not due',
  retired: 'Retired',
};
type Filter = keyof typeof REVIEW_WORDS;
const FILTERS: Filter[] = ['all', 'overdue', 'due-soon', 'retired'];

export function ServiceListPage() {
  const [search] = useSearchParams();
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const asked = search.get('show') ?? 'all';
  const filter: Filter = FILTERS.find((f) => f === asked) ?? 'all';
  const words = search.get('search')?.trim() ?? '';
  const page = Math.max(1, Number.parseInt(search.get('page') ?? '1', 10) || 1);
  const query = new URLSearchParams({ page: String(page), perPage: String(PER_PAGE) });
  if (words) query.set('search', words);
  if (filter === 'retired') query.set('status', 'defunct');
  else if ((REVIEW_STATES as readonly string[]).includes(filter)) query.set('review', filter);
  const list = useApi(placeId ? `${directoryApi(placeId)}/services?${query}` : null, editorServiceList);
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (list.state === 'failed') return <ApiProblem error={list.error} />;
  if (list.state === 'loading') return <Loading what="the directory" />;
  return <Services list={list.data} filter={filter} words={words} />;
}

function Services({ list, filter, words }: { list: EditorServiceList; filter: Filter; words: string }) {
  const notice = useNotice();
  const { overdue, dueSoon } = list.counts;
  useStatusMessage(`Directory: ${list.total} ${list.total === 1 ? 'service' : 'services'}`);
  const hrefFor = (p: number) => {
    const q = new URLSearchParams({ show: filter, page: String(p) });
    if (words) q.set('search', words);
    return `?${q}`;
  };
  const captionId = 'services-caption';
  return (
    <>
      {notice ? <Notice>{notice}</Notice> : null}
      <PageHeading>Directory</PageHeading>
      <p className="nhsuk-lede-text">
        The services residents find in the Live Well directory and staff refer people to. Check each entry
        with the service by its review date.
      </p>
      <p className="nhsuk-body">
        {overdue === 0 && dueSoon === 0
          ? 'No running service is due for review in the next 30 days.'
          : `${overdue} ${overdue === 1 ? 'service is' : 'services are'} overdue for review, and ${dueSoon} ${dueSoon === 1 ? 'is' : 'are'} due in the next 30 days.`}
      </p>
      <p className="nhsuk-body">
        <Link to="/services/new" className="nhsuk-button nhsuk-button--secondary">
          Add a service
        </Link>
      </p>
      <Form method="get" role="search" aria-label="Services">
        <input type="hidden" name="show" value={filter} />
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="service-search">
            Find a service
          </label>
          <div className="nhsuk-hint" id="service-search-hint">
            Its name, or words about what it does or where it meets
          </div>
          <input
            className="nhsuk-input nhsuk-u-width-two-thirds"
            id="service-search"
            name="search"
            type="search"
            defaultValue={words}
            aria-describedby="service-search-hint"
          />
        </div>
        <button type="submit" className="nhsuk-button nhsuk-button--secondary">
          Search
        </button>
      </Form>
      <nav aria-label="Services by review">
        <ul className="nhsuk-list app-subnav">
          {FILTERS.map((f) => (
            <li key={f} className="app-subnav__item">
              <Link
                to={`?show=${f}${words ? `&search=${encodeURIComponent(words)}` : ''}`}
                aria-current={filter === f ? 'page' : undefined}
              >
                {REVIEW_WORDS[f]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {list.items.length === 0 ? (
        <p className="nhsuk-body">
          {words ? `No services match “${words}”.` : 'There are no services to show here.'}
        </p>
      ) : (
        <ScrollTable captionId={captionId}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
              {REVIEW_WORDS[filter]}: {list.total} {list.total === 1 ? 'service' : 'services'}, soonest review
              first
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">
                  Service
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Status
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Next review
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Last checked
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {list.items.map((s) => (
                <tr key={s.id} className="nhsuk-table__row">
                  <td className="nhsuk-table__cell">
                    <Link to={`/services/${s.id}`}>{s.name}</Link>
                    <br />
                    <span className="nhsuk-body-s">{s.organisation}</span>
                  </td>
                  <td className="nhsuk-table__cell">
                    <ServiceStatusTag status={s.status} />
                  </td>
                  <td className="nhsuk-table__cell">
                    <ReviewDate date={s.reviewDate} review={s.review} />
                  </td>
                  <td className="nhsuk-table__cell">{checkedWords(s.lastChecked, s.lastCheckedBy)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <Pagination page={list.page} pageCount={Math.ceil(list.total / list.perPage)} hrefFor={hrefFor} />
    </>
  );
}
