// A page that could not load its data: a plain message and the reference to quote.
import type { ApiError } from '../api/api-error.ts';
import { PageHeading } from './page-heading.tsx';
import { useStatusMessage } from './status-message.tsx';

export function ApiProblem({ error }: { error: ApiError }) {
  useStatusMessage('The page could not be loaded');
  return (
    <>
      <PageHeading>Sorry, there is a problem with the service</PageHeading>
      <p className="nhsuk-body">{error.message}</p>
      <p className="nhsuk-body">Reload the page to try again.</p>
      {error.reference ? (
        <p className="nhsuk-body">
          If the problem goes on, tell your system administrator and quote the reference{' '}
          <strong className="app-reference">{error.reference}</strong>.
        </p>
      ) : null}
    </>
  );
}
