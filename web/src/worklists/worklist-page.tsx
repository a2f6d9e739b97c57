// One worklist: the people still to review (highest risk first) or already decided, and the form to
// nominate someone by professional judgement.
import { useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { MEMBER_SORT_LABELS, MEMBER_SORTS } from '../../../src/core/cohort-rules.ts';
import { formatDate } from '../../../src/core/dates.ts';
import {
  DECISION_LABELS,
  nominationResult,
  type WorklistDetail,
  type WorklistPeoplePage,
  type WorklistPerson,
  worklistDetail,
  worklistPeoplePage,
} from '../../../src/core/schemas/cohort.ts';
import type { PlaceOverview } from '../../../src/core/schemas/place.ts';
import { mayDo, mayOpen } from '../access/pages.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { MembersTable, SortForm } from '../cohorts/members-table.tsx';
import { formProblems } from '../cohorts/problems.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { dateInEngland } from '../components/england-time.ts';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatNumber } from '../components/imd.ts';
import { Loading } from '../components/loading.tsx';
import { NhsNumberField } from '../components/nhs-number-field.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Pagination, PastTheEnd, rowRange } from '../components/pagination.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { useReloadableApi } from '../components/use-reloadable-api.ts';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';

const PAGE_SIZE = 25;

/** The orders a worklist's people can be listed in (the same as a cohort's members). */
const SORTS = MEMBER_SORTS.map((s) => ({ value: s, label: MEMBER_SORT_LABELS[s] }));

export function WorklistPage() {
  const { worklistId = '' } = useParams();
  const [search] = useSearchParams();
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const status = search.get('status') === 'decided' ? 'decided' : 'to-review';
  const page = Math.max(1, Number(search.get('page')) || 1);
  // An order the list does not know (an edited address) falls back to highest risk first.
  const sort = MEMBER_SORTS.find((s) => s === search.get('sort')) ?? 'risk';
  const direction = search.get('direction') === 'asc' ? 'asc' : 'desc';
  const base = placeId ? `/api/places/${placeId}/worklists/${worklistId}` : null;
  // Reloaded in place after a nomination, so that the form keeps its notice and focus.
  const { loaded: detail, reload: reloadDetail } = useReloadableApi(base, worklistDetail);
  const { loaded: people, reload: reloadPeople } = useReloadableApi(
    base
      ? `${base}/people?status=${status}&page=${page}&pageSize=${PAGE_SIZE}&sort=${encodeURIComponent(sort)}&direction=${direction}`
      : null,
    worklistPeoplePage,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  for (const loaded of [detail, people])
    if (loaded.state === 'failed')
      return loaded.error.isNotFound ? (
        <NotFoundPage what="There is no such worklist for your team. You can see only your own team’s or practice’s worklists." />
      ) : (
        <ApiProblem error={loaded.error} />
      );
  if (place.state !== 'ready' || detail.state !== 'ready' || people.state !== 'ready')
    return <Loading what="the worklist" />;
  return (
    <Worklist
      place={place.data}
      detail={detail.data}
      people={people.data}
      sorts={SORTS}
      onNominated={() => Promise.all([reloadDetail(), reloadPeople()]).then(() => undefined)}
    />
  );
}

function Worklist({
  place,
  detail,
  people,
  sorts,
  onNominated,
}: {
  place: PlaceOverview;
  detail: WorklistDetail;
  people: WorklistPeoplePage;
  sorts: { value: string; label: string }[];
  onNominated: () => Promise<void>;
}) {
  const { worklist, counts } = detail;
  const { user } = useSignedIn();
  const mayDecide = mayDo(user.role, 'recordDecisions');
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice ?? null;
  useStatusMessage(
    `${worklist.name}: ${formatNumber(people.total)} people ${people.status === 'to-review' ? 'to review' : 'decided'}`,
  );
  const neighbourhoodName = (code: string) => place.neighbourhoods.find((n) => n.code === code)?.name ?? code;
  const query = (patch: Record<string, string | number>) => {
    const q = new URLSearchParams({
      status: people.status,
      sort: people.sort,
      direction: people.direction,
      page: '1',
    });
    for (const [k, v] of Object.entries(patch)) q.set(k, String(v));
    return `?${q}`;
  };
  const team =
    worklist.scope === 'neighbourhood'
      ? `${worklist.scopeName} Integrated Neighbourhood Team`
      : worklist.scopeName;
  const decisionCell = (p: WorklistPerson) =>
    people.status === 'to-review' ? (
      <>
        <Link to={`/worklists/${worklist.id}/people/${p.personId}`}>
          {mayDecide ? 'Record a decision' : 'Details'}
          <span className="nhsuk-u-visually-hidden"> about {p.name}</span>
        </Link>
        {p.nomination ? (
          <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">Nominated by {p.nomination.nominatedBy}</p>
        ) : null}
        {p.latestDecision ? (
          <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            Review due since {formatDate(p.latestDecision.reviewDate)}
          </p>
        ) : null}
      </>
    ) : p.latestDecision ? (
      <>
        <strong>{DECISION_LABELS[p.latestDecision.decision]}</strong>
        <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
          Review {formatDate(p.latestDecision.reviewDate)}. {p.latestDecision.decidedBy},{' '}
          {formatDate(dateInEngland(p.latestDecision.decidedAt))}.{' '}
          <Link to={`/worklists/${worklist.id}/people/${p.personId}`}>
            Details<span className="nhsuk-u-visually-hidden"> of the decision about {p.name}</span>
          </Link>
        </p>
      </>
    ) : null;
  return (
    <>
      {notice ? (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{notice}</p>
        </div>
      ) : null}
      <PageHeading>{worklist.name}</PageHeading>
      <p className="nhsuk-body">
        <strong className="nhsuk-tag nhsuk-tag--green">Direct care</strong> This worklist is for your team’s
        care of the people on it. It shows everyone on it, including people who opted out of their data being
        used for planning.
      </p>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">For</dt>
          <dd className="nhsuk-summary-list__value">{team}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">From the cohort</dt>
          <dd className="nhsuk-summary-list__value">
            {mayOpen(user.role, 'cohorts') ? (
              <Link to={`/cohorts/${worklist.cohortId}`}>{worklist.cohortName}</Link>
            ) : (
              worklist.cohortName
            )}
            : {worklist.cohortDescription}
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">People</dt>
          <dd className="nhsuk-summary-list__value">
            {formatNumber(counts.toReview)} to review, {formatNumber(counts.decided)} decided (
            {formatNumber(counts.nominated)} nominated). Scores as of {formatDate(detail.asOf)}.
          </dd>
        </div>
      </dl>

      <nav aria-label="Worklist people">
        <ul className="nhsuk-list app-subnav">
          {(['to-review', 'decided'] as const).map((s) => (
            <li key={s} className="app-subnav__item">
              <Link to={query({ status: s })} aria-current={people.status === s ? 'page' : undefined}>
                {s === 'to-review'
                  ? `To review (${formatNumber(counts.toReview)})`
                  : `Decided (${formatNumber(counts.decided)})`}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <SortForm
        sorts={sorts}
        sort={people.sort}
        direction={people.direction}
        hidden={{ status: people.status }}
      />
      {people.total === 0 ? (
        <p className="nhsuk-body">
          {people.status === 'to-review' ? 'There is nobody left to review.' : 'No decisions yet.'}
        </p>
      ) : people.people.length === 0 ? (
        <PastTheEnd
          page={people.page}
          pageCount={Math.ceil(people.total / people.pageSize)}
          hrefFor={(p) => query({ page: p })}
        />
      ) : (
        <>
          <MembersTable
            caption={`${people.status === 'to-review' ? 'To review' : 'Decided'}: people ${rowRange(people.page, people.pageSize, people.total)}`}
            captionId="worklist-people-caption"
            members={people.people}
            neighbourhoodName={neighbourhoodName}
            extra={{
              header: people.status === 'to-review' ? 'Decision' : 'Decision and review',
              cell: decisionCell,
            }}
          />
          <Pagination
            page={people.page}
            pageCount={Math.ceil(people.total / people.pageSize)}
            hrefFor={(p) => query({ page: p })}
          />
        </>
      )}
      <Nominate placeId={place.place.id} worklistId={worklist.id} onNominated={onNominated} />
    </>
  );
}

function Nominate({
  placeId,
  worklistId,
  onNominated,
}: {
  placeId: string;
  worklistId: string;
  onNominated: () => Promise<void>;
}) {
  const [nhsNumber, setNhsNumber] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const errors = new Map(problems.map((p) => [p.fieldId ?? '', p.message]));

  async function submit() {
    setProblems([]);
    setDone(null);
    try {
      const added = await fetchJson(
        `/api/places/${placeId}/worklists/${worklistId}/nominations`,
        nominationResult,
        undefined,
        { method: 'POST', body: { nhsNumber, reason } },
      );
      setNhsNumber('');
      setReason('');
      await onNominated();
      setDone(
        added.decidedUntil
          ? `${added.name} has been nominated. A decision about them stands until ${formatDate(added.decidedUntil)}, so they are under Decided until then.`
          : `${added.name} has been added to the worklist to review.`,
      );
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setProblems(
        formProblems(error, {
          nhsNumber: { id: 'nominate-nhs-number', label: 'NHS number' },
          reason: { id: 'nominate-reason', label: 'Reason' },
        }),
      );
    }
  }

  return (
    <form
      noValidate
      className="nhsuk-u-margin-top-6"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 className="nhsuk-heading-m">Nominate someone</h2>
      <p className="nhsuk-body">
        Add a resident the rules did not find, when your professional judgement says the team should review
        them.
      </p>
      <ErrorSummary problems={problems} />
      {done ? (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{done}</p>
        </div>
      ) : null}
      <NhsNumberField
        id="nominate-nhs-number"
        error={errors.get('nominate-nhs-number')}
        value={nhsNumber}
        onChange={setNhsNumber}
      />
      <TextField
        id="nominate-reason"
        label="Reason"
        error={errors.get('nominate-reason')}
        rows={3}
        value={reason}
        onChange={setReason}
      />
      <button type="submit" className="nhsuk-button nhsuk-button--secondary">
        Nominate
      </button>
    </form>
  );
}
