// One saved cohort: what it is, how many people by neighbourhood and deprivation, its members highest
// risk first (paged on the server), a CSV download, and the form that makes it a team's worklist.
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { cohortDetail, cohortFields, membersPage, worklistDetail } from '../../../src/core/schemas/cohort.ts';
import type { PlaceOverview } from '../../../src/core/schemas/place.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatNumber } from '../components/imd.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Pagination } from '../components/pagination.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { BreakdownView } from './breakdown.tsx';
import { MembersTable, SortForm } from './members-table.tsx';
import { formProblems } from './problems.ts';

const PAGE_SIZE = 25;

export function CohortPage() {
  const { cohortId = '' } = useParams();
  const [search] = useSearchParams();
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const page = Math.max(1, Number(search.get('page')) || 1);
  const sort = search.get('sort') ?? 'risk';
  const direction = search.get('direction') === 'asc' ? 'asc' : 'desc';
  const base = placeId ? `/api/places/${placeId}/cohorts/${cohortId}` : null;
  const detail = useApi(base, cohortDetail);
  const fields = useApi(placeId ? `/api/places/${placeId}/cohort-fields` : null, cohortFields);
  const members = useApi(
    base
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
    members.state !== 'ready'
  )
    return <Loading what="the cohort" />;
  return (
    <Cohort
      place={place.data}
      detail={detail.data}
      sorts={fields.data.sorts}
      members={members.data}
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
  members: z.infer<typeof membersPage>;
  sort: string;
  direction: string;
}) {
  const { cohort, breakdown } = detail;
  useStatusMessage(`${cohort.name}: ${formatNumber(breakdown.total)} people, page ${members.page} loaded`);
  const neighbourhoodName = (code: string) => place.neighbourhoods.find((n) => n.code === code)?.name ?? code;
  const pageCount = Math.ceil(members.total / members.pageSize);
  const hrefFor = (p: number) => `?page=${p}&sort=${encodeURIComponent(sort)}&direction=${direction}`;
  const csv = `/api/places/${place.place.id}/cohorts/${cohort.id}/members.csv`;
  return (
    <>
      <PageHeading>{cohort.name}</PageHeading>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">People</dt>
          <dd className="nhsuk-summary-list__value">
            <span className="app-count">{formatNumber(breakdown.total)}</span> (scores as of {detail.asOf})
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
      </dl>
      <div className="nhsuk-button-group">
        <Link className="nhsuk-button nhsuk-button--secondary" to={`/cohorts/${cohort.id}/change`}>
          Change the rules
        </Link>
        <a className="nhsuk-button nhsuk-button--secondary" href={csv} download>
          Download the members (CSV)
        </a>
      </div>

      <h2 className="nhsuk-heading-m">By neighbourhood and deprivation</h2>
      <BreakdownView breakdown={breakdown} neighbourhoods={place.neighbourhoods} idPrefix="breakdown" />

      <h2 className="nhsuk-heading-m">Members</h2>
      <SortForm sorts={sorts} sort={sort} direction={direction} />
      {members.total === 0 ? (
        <p className="nhsuk-body">Nobody meets these rules.</p>
      ) : (
        <>
          <MembersTable
            caption={`People ${formatNumber((members.page - 1) * members.pageSize + 1)} to ${formatNumber(
              Math.min(members.page * members.pageSize, members.total),
            )} of ${formatNumber(members.total)}`}
            captionId="members-caption"
            members={members.members}
            neighbourhoodName={neighbourhoodName}
          />
          <Pagination page={members.page} pageCount={pageCount} hrefFor={hrefFor} />
        </>
      )}

      <MakeWorklist place={place} cohortId={cohort.id} cohortName={cohort.name} />
    </>
  );
}

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
  const practices = useApi(`/api/places/${place.place.id}/cohort-fields`, cohortFields);
  const [scope, setScope] = useState<'neighbourhood' | 'practice'>('neighbourhood');
  const [scopeCode, setScopeCode] = useState(place.neighbourhoods[0]?.code ?? '');
  const [name, setName] = useState(`${cohortName}: ${place.neighbourhoods[0]?.name ?? ''} INT`);
  const [createdBy, setCreatedBy] = useState('');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const practiceOptions =
    practices.state === 'ready'
      ? (practices.data.fields.find((f) => f.field === 'practice')?.options ?? [])
      : [];
  const options =
    scope === 'neighbourhood'
      ? place.neighbourhoods.map((n) => ({ value: n.code, label: `${n.name} INT` }))
      : practiceOptions;
  const errors = new Map(problems.map((p) => [p.fieldId ?? '', p.message]));
  const field = (id: string) => (errors.has(id) ? ' nhsuk-form-group--error' : '');

  async function submit() {
    setProblems([]);
    try {
      const created = await fetchJson(`/api/places/${place.place.id}/worklists`, worklistDetail, undefined, {
        method: 'POST',
        body: { cohortId, name, scope, scopeCode, createdBy },
      });
      navigate(`/worklists/${created.worklist.id}`);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setProblems(
        formProblems(error, {
          name: { id: 'worklist-name', label: 'Worklist name' },
          scopeCode: { id: 'worklist-scope-code', label: 'Team' },
          createdBy: { id: 'worklist-created-by', label: 'Made by' },
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
      <h2 className="nhsuk-heading-m">Make a worklist</h2>
      <p className="nhsuk-body">
        A worklist gives a team the people in this cohort who live in its neighbourhood or are registered with
        its practice, to review one by one.
      </p>
      <ErrorSummary problems={problems} />
      <div className="nhsuk-form-group">
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">For</legend>
          <div className="nhsuk-radios nhsuk-radios--inline">
            {(['neighbourhood', 'practice'] as const).map((s) => (
              <div className="nhsuk-radios__item" key={s}>
                <input
                  className="nhsuk-radios__input"
                  id={`worklist-scope-${s}`}
                  name="worklist-scope"
                  type="radio"
                  checked={scope === s}
                  onChange={() => {
                    setScope(s);
                    setScopeCode(
                      s === 'neighbourhood'
                        ? (place.neighbourhoods[0]?.code ?? '')
                        : (practiceOptions[0]?.value ?? ''),
                    );
                  }}
                />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor={`worklist-scope-${s}`}>
                  {s === 'neighbourhood' ? 'An Integrated Neighbourhood Team' : 'A GP practice'}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <div className={`nhsuk-form-group${field('worklist-scope-code')}`}>
        <label className="nhsuk-label" htmlFor="worklist-scope-code">
          Team
        </label>
        {errors.has('worklist-scope-code') ? (
          <span className="nhsuk-error-message">{errors.get('worklist-scope-code')}</span>
        ) : null}
        <select
          className="nhsuk-select"
          id="worklist-scope-code"
          value={scopeCode}
          onChange={(e) => setScopeCode(e.target.value)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <TextField
        id="worklist-name"
        label="Worklist name"
        error={errors.get('worklist-name')}
        maxLength={120}
        value={name}
        onChange={setName}
      />
      <TextField
        id="worklist-created-by"
        label="Made by"
        hint="Your name and role"
        error={errors.get('worklist-created-by')}
        maxLength={120}
        value={createdBy}
        onChange={setCreatedBy}
      />
      <button type="submit" className="nhsuk-button">
        Make worklist
      </button>
    </form>
  );
}
