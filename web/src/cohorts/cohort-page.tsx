// One saved cohort: what it is, how many people by neighbourhood and deprivation (planning counts), and,
// for direct-care roles, the members they have a care relationship with, highest risk first (paged on
// the server), a CSV download, and the form that makes it a worklist for the viewer's own team.
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { MEMBER_SORTS } from '../../../src/core/cohort-rules.ts';
import { formatDate } from '../../../src/core/dates.ts';
import {
  cohortDetail,
  cohortFields,
  membersPage,
  WORKLIST_NAME_MAX,
  worklistDetail,
} from '../../../src/core/schemas/cohort.ts';
import type { PlaceOverview } from '../../../src/core/schemas/place.ts';
import { mayDo } from '../access/pages.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { dateInEngland } from '../components/england-time.ts';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatNumber } from '../components/imd.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Pagination, PastTheEnd, rowRange } from '../components/pagination.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { BreakdownView, HIDDEN_EXPLAINED } from './breakdown.tsx';
import { MembersTable, SortForm } from './members-table.tsx';
import { formProblems } from './problems.ts';

const PAGE_SIZE = 25;

export function CohortPage() {
  const { cohortId = '' } = useParams();
  const [search] = useSearchParams();
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const page = Math.max(1, Number(search.get('page')) || 1);
  // An order the list does not know (an edited address) falls back to highest risk first.
  const sort = MEMBER_SORTS.find((s) => s === search.get('sort')) ?? 'risk';
  const direction = search.get('direction') === 'asc' ? 'asc' : 'desc';
  const { user } = useSignedIn();
  const seesMembers = mayDo(user.role, 'seeCohortMembers');
  const base = placeId ? `/api/places/${placeId}/cohorts/${cohortId}` : null;
  const detail = useApi(base, cohortDetail);
  const fields = useApi(placeId ? `/api/places/${placeId}/cohort-fields` : null, cohortFields);
  const members = useApi(
    base && seesMembers
      ? `${base}/members?page=${page}&pageSize=${PAGE_SIZE}&sort=${encodeURIComponent(sort)}&direction=${direction}`
      : null,
    membersPage,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  for (const loaded of [detail, fields, members])
    if (loaded.state === 'failed')
      return loaded.error.isNotFound ? (
        <NotFoundPage what="There is no such cohort." />
      ) : (
        <ApiProblem error={loaded.error} />
      );
  if (
    place.state !== 'ready' ||
    detail.state !== 'ready' ||
    fields.state !== 'ready' ||
    (seesMembers && members.state !== 'ready')
  )
    return <Loading what="the cohort" />;
  return (
    <Cohort
      place={place.data}
      detail={detail.data}
      sorts={fields.data.sorts}
      members={members.state === 'ready' ? members.data : null}
      sort={sort}
      direction={direction}
    />
  );
}

function Cohort({
  place,
  detail,
  sorts,
  members,
  sort,
  direction,
}: {
  place: PlaceOverview;
  detail: z.infer<typeof cohortDetail>;
  sorts: { value: string; label: string }[];
  members: z.infer<typeof membersPage> | null;
  sort: string;
  direction: string;
}) {
  const { cohort, breakdown } = detail;
  const { user } = useSignedIn();
  useStatusMessage(
    `${cohort.name}: ${breakdown.total.shown} people (planning count)${members ? `, page ${members.page} of members loaded` : ''}`,
  );
  const hrefFor = (p: number) => `?page=${p}&sort=${encodeURIComponent(sort)}&direction=${direction}`;
  const csv = `/api/places/${place.place.id}/cohorts/${cohort.id}/members.csv`;
  return (
    <>
      <PageHeading>{cohort.name}</PageHeading>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">People (planning count)</dt>
          <dd className="nhsuk-summary-list__value">
            <span className="app-count">{breakdown.total.shown}</span> (scores as of {formatDate(detail.asOf)}
            )
            {breakdown.total.isSuppressed ? (
              <p className="nhsuk-body-s nhsuk-u-margin-top-2">{HIDDEN_EXPLAINED}</p>
            ) : null}
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Rules</dt>
          <dd className="nhsuk-summary-list__value">{cohort.description}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Kept by</dt>
          <dd className="nhsuk-summary-list__value">{cohort.owner}</dd>
        </div>
        {cohort.changedBy ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Last changed</dt>
            <dd className="nhsuk-summary-list__value">
              {formatDate(dateInEngland(cohort.updatedAt))} by {cohort.changedBy}
            </dd>
          </div>
        ) : null}
      </dl>
      {/* Those who build cohorts are told why they cannot change this one. */}
      {cohort.cannotChange !== null && mayDo(user.role, 'buildCohorts') ? (
        <p className="nhsuk-body">{cohort.cannotChange}</p>
      ) : null}
      {cohort.cannotChange === null || members ? (
        <div className="nhsuk-button-group">
          {cohort.cannotChange === null ? (
            <Link className="nhsuk-button nhsuk-button--secondary" to={`/cohorts/${cohort.id}/change`}>
              Change the rules
            </Link>
          ) : null}
          {members && members.total > 0 ? (
            <a className="nhsuk-button nhsuk-button--secondary" href={csv} download>
              Download the members you can see (CSV)
            </a>
          ) : null}
        </div>
      ) : null}

      <h2 className="nhsuk-heading-m">By neighbourhood and deprivation</h2>
      <BreakdownView breakdown={breakdown} neighbourhoods={place.neighbourhoods} idPrefix="breakdown" />

      <h2 className="nhsuk-heading-m">Members</h2>
      {members ? (
        <Members
          members={members}
          place={place}
          sorts={sorts}
          sort={sort}
          direction={direction}
          hrefFor={hrefFor}
          canMakeWorklists={mayDo(user.role, 'makeWorklists')}
          footprint={user.practiceCode ? 'practice' : 'neighbourhood'}
        />
      ) : (
        <p className="nhsuk-body">
          Your role sees cohorts as planning counts only, not the people in them. Teams who care for the
          people in a cohort see them on their worklists.
        </p>
      )}

      {mayDo(user.role, 'makeWorklists') ? (
        <MakeWorklist place={place} cohortId={cohort.id} cohortName={cohort.name} />
      ) : null}
    </>
  );
}

function Members({
  members,
  place,
  sorts,
  sort,
  direction,
  hrefFor,
  canMakeWorklists,
  footprint,
}: {
  members: z.infer<typeof membersPage>;
  place: PlaceOverview;
  sorts: { value: string; label: string }[];
  sort: string;
  direction: string;
  hrefFor: (page: number) => string;
  canMakeWorklists: boolean;
  footprint: 'practice' | 'neighbourhood';
}) {
  const neighbourhoodName = (code: string) => place.neighbourhoods.find((n) => n.code === code)?.name ?? code;
  const pageCount = Math.ceil(members.total / members.pageSize);
  return (
    <>
      <p className="nhsuk-body">
        People in this cohort you have a care relationship with:{' '}
        <strong>{formatNumber(members.total)}</strong>.{' '}
        {canMakeWorklists
          ? `Make a worklist for your ${footprint} to review the others.`
          : 'Your team’s worklists bring the others to your team to review.'}
      </p>
      {members.total === 0 ? null : members.members.length === 0 ? (
        <PastTheEnd page={members.page} pageCount={pageCount} hrefFor={hrefFor} />
      ) : (
        <>
          <SortForm sorts={sorts} sort={sort} direction={direction} />
          <MembersTable
            caption={`People ${rowRange(members.page, members.pageSize, members.total)} you have a care relationship with`}
            captionId="members-caption"
            members={members.members}
            neighbourhoodName={neighbourhoodName}
          />
          <Pagination page={members.page} pageCount={pageCount} hrefFor={hrefFor} />
        </>
      )}
    </>
  );
}

/** A worklist for the signed-in lead's own team: their INT's neighbourhood, or their GP practice. */
function MakeWorklist({
  place,
  cohortId,
  cohortName,
}: {
  place: PlaceOverview;
  cohortId: string;
  cohortName: string;
}) {
  const navigate = useNavigate();
  const { user } = useSignedIn();
  const practices = useApi(`/api/places/${place.place.id}/cohort-fields`, cohortFields);
  const scope: 'neighbourhood' | 'practice' = user.practiceCode ? 'practice' : 'neighbourhood';
  const scopeCode = (scope === 'practice' ? user.practiceCode : user.neighbourhood) ?? '';
  const practiceName =
    practices.state === 'ready'
      ? practices.data.fields.find((f) => f.field === 'practice')?.options?.find((o) => o.value === scopeCode)
          ?.label
      : undefined;
  const teamName =
    scope === 'neighbourhood'
      ? `${place.neighbourhoods.find((n) => n.code === scopeCode)?.name ?? scopeCode} INT`
      : (practiceName ?? scopeCode);
  // The suggested name fits the 120 characters a worklist name may have, however long the cohort's.
  const suffix = `: ${teamName}`;
  const [name, setName] = useState(
    `${cohortName.slice(0, Math.max(0, WORKLIST_NAME_MAX - suffix.length))}${suffix}`,
  );
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const errors = new Map(problems.map((p) => [p.fieldId ?? '', p.message]));

  async function submit() {
    setProblems([]);
    try {
      const created = await fetchJson(`/api/places/${place.place.id}/worklists`, worklistDetail, undefined, {
        method: 'POST',
        body: { cohortId, name, scope, scopeCode },
      });
      navigate(`/worklists/${created.worklist.id}`);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setProblems(
        formProblems(error, {
          name: { id: 'worklist-name', label: 'Worklist name' },
          scopeCode: { id: 'worklist-name', label: 'Team' },
        }),
      );
    }
  }

  if (!scopeCode)
    return (
      <>
        <h2 className="nhsuk-heading-m nhsuk-u-margin-top-6">Make a worklist</h2>
        <p className="nhsuk-body">
          Your account is not linked to a team or GP practice, so you cannot make a worklist. Ask your
          administrator.
        </p>
      </>
    );

  return (
    <form
      noValidate
      className="nhsuk-u-margin-top-6"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 className="nhsuk-heading-m">Make a worklist</h2>
      <p className="nhsuk-body">
        A worklist gives your team the people in this cohort who{' '}
        {scope === 'neighbourhood' ? 'live in your neighbourhood' : 'are registered with your practice'}, to
        review one by one. Worklists are for direct care: your team sees the people on them.
      </p>
      <ErrorSummary problems={problems} />
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">For</dt>
          <dd className="nhsuk-summary-list__value">{teamName}</dd>
        </div>
      </dl>
      <TextField
        id="worklist-name"
        label="Worklist name"
        error={errors.get('worklist-name')}
        maxLength={120}
        value={name}
        onChange={setName}
      />
      <button type="submit" className="nhsuk-button">
        Make worklist
      </button>
    </form>
  );
}
