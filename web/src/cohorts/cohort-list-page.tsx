// Saved cohorts, newest first, and the way to build a new one.
import { Link } from 'react-router';
import { formatDate } from '../../../src/core/dates.ts';
import { cohortList } from '../../../src/core/schemas/cohort.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { dateInEngland } from '../components/england-time.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';

export function CohortListPage() {
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const cohorts = useApi(placeId ? `/api/places/${placeId}/cohorts` : null, cohortList);
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (cohorts.state === 'failed') return <ApiProblem error={cohorts.error} />;
  if (cohorts.state === 'loading') return <Loading what="the cohorts" />;
  return <List cohorts={cohorts.data.cohorts} />;
}

function List({
  cohorts,
}: {
  cohorts: {
    id: string;
    name: string;
    owner: string;
    description: string;
    updatedAt: string;
    changedBy: string | null;
  }[];
}) {
  useStatusMessage('Cohorts loaded');
  return (
    <>
      <PageHeading>Cohorts</PageHeading>
      <p className="nhsuk-lede-text">
        A cohort is a group of residents chosen by rules: age, where they live, deprivation, conditions,
        frailty and hospital use. Make one into a worklist to find people for your team to review.
      </p>
      <Link className="nhsuk-button" to="/cohorts/new">
        Build a cohort
      </Link>
      {cohorts.length === 0 ? (
        <p className="nhsuk-body">No cohorts have been saved yet.</p>
      ) : (
        <ul className="nhsuk-list">
          {cohorts.map((c) => (
            <li key={c.id} className="nhsuk-u-margin-bottom-4">
              <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                <Link to={`/cohorts/${c.id}`}>{c.name}</Link>
              </h2>
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{c.description}</p>
              <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                Kept by {c.owner}. {c.changedBy ? 'Changed' : 'Saved'}{' '}
                {formatDate(dateInEngland(c.updatedAt))}
                {c.changedBy ? ` by ${c.changedBy}` : ''}.
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
