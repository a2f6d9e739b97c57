// Match review: people who arrived in an import without an NHS number and matched someone Joined Up
// already knows, but not surely enough to join them up. Each is shown beside each possible match, with
// why they scored as they did, and someone decides: the same person, or a new one. Decided reviews are
// on their own tab (?status=decided), so either list can be linked to.
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { z } from 'zod';
import { type MatchReviewView, matchReview } from '../../../src/core/schemas/exchange.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { useReloadableApi } from '../components/use-reloadable-api.ts';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { matchReviewsApi } from './import-words.tsx';
import { fullName, MatchReviewItem } from './match-review-item.tsx';

const reviewList = z.object({ reviews: z.array(matchReview) });
type Tab = 'open' | 'decided';

export function MatchReviewPage() {
  const [search] = useSearchParams();
  const tab: Tab = search.get('status') === 'decided' ? 'decided' : 'open';
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const { loaded, reload } = useReloadableApi(
    placeId ? matchReviewsApi(placeId, `?status=${tab}`) : null,
    reviewList,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (loaded.state === 'failed') return <ApiProblem error={loaded.error} />;
  if (!placeId || loaded.state === 'loading') return <Loading what="the match reviews" />;
  return <Reviews key={tab} placeId={placeId} tab={tab} reviews={loaded.data.reviews} reload={reload} />;
}

function Reviews({
  placeId,
  tab,
  reviews,
  reload,
}: {
  placeId: string;
  tab: Tab;
  reviews: MatchReviewView[];
  reload: () => Promise<void>;
}) {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [decided, setDecided] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  useStatusMessage(
    decided ??
      (tab === 'open'
        ? `${reviews.length} ${reviews.length === 1 ? 'person' : 'people'} to decide`
        : 'Decided reviews loaded'),
  );
  // The form just used has gone from the list: focus goes to what happened, so it is not lost (the app's
  // live region announces it too).
  useEffect(() => {
    if (decided) noticeRef.current?.focus();
  }, [decided]);

  const onDecided = async (words: string) => {
    setProblems([]);
    await reload();
    setDecided(words);
  };
  const onProblems = (found: FormProblem[], isStale: boolean) => {
    setDecided(null);
    setProblems(found);
    if (isStale) void reload();
  };

  return (
    <>
      <ErrorSummary problems={problems} />
      <PageHeading>Match review</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p className="nhsuk-lede-text">
            These people came in an import without an NHS number. Each is like someone Joined Up already
            knows, but not alike enough to be sure they are the same person.
          </p>
          <p className="nhsuk-body">
            Compare their details and decide. Nothing is joined up until you do: the records that came with
            each person wait for your decision. If you are not sure, ask the team that sent the file, or look
            the person up in the system they came from.
          </p>
        </div>
      </div>
      <nav aria-label="Match reviews">
        <ul className="nhsuk-list app-subnav">
          <li className="app-subnav__item">
            <Link to="/match-review" aria-current={tab === 'open' ? 'page' : undefined}>
              To decide
            </Link>
          </li>
          <li className="app-subnav__item">
            <Link to="/match-review?status=decided" aria-current={tab === 'decided' ? 'page' : undefined}>
              Decided
            </Link>
          </li>
        </ul>
      </nav>
      {decided ? (
        <div className="nhsuk-inset-text app-match-review__notice" ref={noticeRef} tabIndex={-1}>
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{decided}</p>
        </div>
      ) : null}
      {tab === 'open' ? (
        reviews.length === 0 ? (
          <p className="nhsuk-body">
            There is no one to decide. People who need a decision appear here after an{' '}
            <Link to="/imports">import</Link>.
          </p>
        ) : (
          reviews.map((r) => (
            <MatchReviewItem
              key={r.id}
              placeId={placeId}
              review={r}
              error={problems.find((p) => p.fieldId === `decision-${r.id}`)?.message}
              onDecided={onDecided}
              onProblems={onProblems}
            />
          ))
        )
      ) : (
        <DecidedTable reviews={reviews} />
      )}
    </>
  );
}

/** What was decided, in words: "Same person as Alice Ashworth" or "A new person". */
function decisionWords(r: MatchReviewView): string {
  if (r.status === 'new-person') return 'A new person';
  // The API does not say which candidate was chosen; with one candidate there is no doubt.
  const [only, ...others] = r.candidates;
  return only && others.length === 0
    ? `Same person as ${fullName(only)}`
    : 'Same person as one of the people known';
}

function DecidedTable({ reviews }: { reviews: MatchReviewView[] }) {
  if (reviews.length === 0) return <p className="nhsuk-body">No reviews have been decided yet.</p>;
  return (
    <ScrollTable captionId="decided-caption">
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m" id="decided-caption">
          Decided reviews
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Person in the import
            </th>
            <th scope="col" className="nhsuk-table__header">
              Decision
            </th>
            <th scope="col" className="nhsuk-table__header">
              Decided by
            </th>
            <th scope="col" className="nhsuk-table__header">
              When
            </th>
            <th scope="col" className="nhsuk-table__header">
              File
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {reviews.map((r) => (
            <tr key={r.id} className="nhsuk-table__row">
              <th scope="row" className="nhsuk-table__header">
                {fullName(r.incoming)}
              </th>
              <td className="nhsuk-table__cell">{decisionWords(r)}</td>
              <td className="nhsuk-table__cell">{r.decidedBy ?? ''}</td>
              <td className="nhsuk-table__cell">{r.decidedAt ? formatDateTime(r.decidedAt) : ''}</td>
              <td className="nhsuk-table__cell app-break-words">
                <Link to={`/imports/${r.jobId}`}>{r.fileName}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
