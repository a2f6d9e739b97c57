// Case-finding worklists, newest first: which cohort, which team.
import { Link } from 'react-router';
import type { z } from 'zod';
import { worklistList } from '../../../src/core/schemas/cohort.ts';
import { mayDo, mayOpen } from '../access/pages.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';

export function WorklistListPage() {
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const worklists = useApi(placeId ? `/api/places/${placeId}/worklists` : null, worklistList);
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (worklists.state === 'failed') return <ApiProblem error={worklists.error} />;
  if (worklists.state === 'loading') return <Loading what="the worklists" />;
  return <List worklists={worklists.data.worklists} />;
}

function List({ worklists }: { worklists: z.infer<typeof worklistList>['worklists'] }) {
  useStatusMessage('Worklists loaded');
  const { user } = useSignedIn();
  return (
    <>
      <PageHeading>Worklists</PageHeading>
      <p className="nhsuk-lede-text">
        Each worklist gives a team the people from a cohort to review: add them to the caseload, discuss them
        at the MDT, note they are already known to a service, or decide it is not the right time.
      </p>
      <p className="nhsuk-body">
        <strong className="nhsuk-tag nhsuk-tag--green">Direct care</strong> You see your own team’s or
        practice’s worklists.
      </p>
      {worklists.length === 0 ? (
        <p className="nhsuk-body">
          Your team has no worklists yet.{' '}
          {mayDo(user.role, 'makeWorklists') ? (
            <>
              Open a <Link to="/cohorts">cohort</Link> and make it a worklist for your team.
            </>
          ) : (
            'Your team’s lead makes worklists from cohorts.'
          )}
        </p>
      ) : (
        <ul className="nhsuk-list">
          {worklists.map((w) => (
            <li key={w.id} className="nhsuk-u-margin-bottom-4">
              <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                <Link to={`/worklists/${w.id}`}>{w.name}</Link>
              </h2>
              <p className="nhsuk-body-s">
                For{' '}
                {w.scope === 'neighbourhood' ? `${w.scopeName} Integrated Neighbourhood Team` : w.scopeName},
                from the cohort{' '}
                {mayOpen(user.role, 'cohorts') ? (
                  <Link to={`/cohorts/${w.cohortId}`}>{w.cohortName}</Link>
                ) : (
                  w.cohortName
                )}
                . Made by {w.createdBy}.
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
