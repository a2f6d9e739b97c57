// Build a cohort (or change a saved one): rules, a planning count before saving, and a name. The
// cohort is kept by whoever saves it, and only they may change it.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { z } from 'zod';
import { formatDate } from '../../../src/core/dates.ts';
import {
  breakdown as breakdownSchema,
  type CohortFields,
  cohortDetail,
  cohortFields,
} from '../../../src/core/schemas/cohort.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { HIDDEN_EXPLAINED, PlanningNote } from './breakdown.tsx';
import { formProblems } from './problems.ts';
import { type DraftGroup, fromRules, newGroup, RuleGroupEditor, toRules } from './rule-builder.tsx';

const preview = z.object({ asOf: z.string(), description: z.string(), breakdown: breakdownSchema });

export function CohortBuilderPage() {
  const { cohortId } = useParams();
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const fields = useApi(placeId ? `/api/places/${placeId}/cohort-fields` : null, cohortFields);
  const saved = useApi(
    placeId && cohortId ? `/api/places/${placeId}/cohorts/${cohortId}` : null,
    cohortDetail,
  );
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (fields.state === 'failed') return <ApiProblem error={fields.error} />;
  if (cohortId && saved.state === 'failed')
    return saved.error.isNotFound ? (
      <NotFoundPage what="There is no such cohort." />
    ) : (
      <ApiProblem error={saved.error} />
    );
  if (!placeId || fields.state !== 'ready' || (cohortId && saved.state !== 'ready'))
    return <Loading what="the cohort builder" />;
  if (saved.state === 'ready' && saved.data.cohort.cannotChange !== null)
    return <CannotChange cohort={saved.data.cohort} why={saved.data.cohort.cannotChange} />;
  return (
    <Builder
      key={cohortId ?? 'new'}
      placeId={placeId}
      fields={fields.data}
      existing={saved.state === 'ready' ? saved.data : null}
    />
  );
}

/** A saved cohort this person may not change: why (the API says), and what they can do instead. */
function CannotChange({ cohort, why }: { cohort: { id: string; name: string }; why: string }) {
  useStatusMessage(`You cannot change ${cohort.name}`);
  return (
    <>
      <PageHeading>{`You cannot change ${cohort.name}`}</PageHeading>
      <p className="nhsuk-body">{why}</p>
      <p className="nhsuk-body">
        <Link to="/cohorts/new">Build a new cohort</Link> or{' '}
        <Link to={`/cohorts/${cohort.id}`}>go back to {cohort.name}</Link>.
      </p>
    </>
  );
}

function Builder({
  placeId,
  fields,
  existing,
}: {
  placeId: string;
  fields: CohortFields;
  existing: z.infer<typeof cohortDetail> | null;
}) {
  const navigate = useNavigate();
  const { user } = useSignedIn();
  const keptBy = `${user.name}, ${user.roleTitle}`;
  const [group, setGroup] = useState<DraftGroup>(() =>
    existing ? (fromRules(existing.cohort.rules, fields) as DraftGroup) : newGroup(fields),
  );
  const [name, setName] = useState(existing?.cohort.name ?? '');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [count, setCount] = useState<z.infer<typeof preview> | null>(null);
  const [isBusy, setBusy] = useState(false);
  const title = existing ? `Change ${existing.cohort.name}` : 'Build a cohort';
  useStatusMessage(
    count ? `${count.breakdown.total.shown} people meet these rules (planning count)` : `${title}: ready`,
  );

  const errors = new Map(
    problems.filter((p) => p.fieldId).map((p) => [p.fieldId as string, p.message.replace(/^[^:]*: /, '')]),
  );
  const rules = () => toRules(group, fields);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setProblems([]);
    try {
      await action();
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setProblems(
        formProblems(error, {
          name: { id: 'cohort-name', label: 'Cohort name' },
          rules: { id: 'rules', label: 'Rules' },
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  const checkCount = () =>
    run(async () => {
      setCount(
        await fetchJson(`/api/places/${placeId}/cohorts/preview`, preview, undefined, {
          method: 'POST',
          body: { rules: rules() },
        }),
      );
    });

  const save = () =>
    run(async () => {
      const result = existing
        ? await fetchJson(`/api/places/${placeId}/cohorts/${existing.cohort.id}`, cohortDetail, undefined, {
            method: 'PUT',
            body: { name, rules: rules() },
          })
        : await fetchJson(`/api/places/${placeId}/cohorts`, cohortDetail, undefined, {
            method: 'POST',
            body: { name, rules: rules() },
          });
      navigate(`/cohorts/${result.cohort.id}`);
    });

  return (
    <>
      <ErrorSummary problems={problems} />
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-body">
        Choose residents by their details, where they live and their risk scores, as of{' '}
        {fields.asOf ? formatDate(fields.asOf) : 'the last stratification'}. Check the count as you go, then
        save the cohort with a name.
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div id="rules" tabIndex={-1}>
          <RuleGroupEditor group={group} path="rules" fields={fields} errors={errors} onChange={setGroup} />
        </div>
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          {count ? (
            <>
              <p className="app-count">{count.breakdown.total.shown} people</p>
              <p className="nhsuk-body-s">{count.description}</p>
              <PlanningNote note={count.breakdown.note} />
              {count.breakdown.total.isSuppressed ? <p className="nhsuk-body-s">{HIDDEN_EXPLAINED}</p> : null}
            </>
          ) : (
            <p>Check the count to see how many people meet these rules.</p>
          )}
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
            onClick={() => void checkCount()}
            disabled={isBusy}
          >
            Check the count
          </button>
        </div>
        <div className={`nhsuk-form-group${errors.has('cohort-name') ? ' nhsuk-form-group--error' : ''}`}>
          <label className="nhsuk-label nhsuk-label--s" htmlFor="cohort-name">
            Cohort name
          </label>
          {errors.has('cohort-name') ? (
            <span className="nhsuk-error-message">{errors.get('cohort-name')}</span>
          ) : null}
          <input
            className="nhsuk-input"
            id="cohort-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={120}
          />
        </div>
        {existing ? null : <p className="nhsuk-body">The cohort will be kept by you: {keptBy}.</p>}
        <button type="submit" className="nhsuk-button" disabled={isBusy}>
          Save cohort
        </button>
      </form>
    </>
  );
}
