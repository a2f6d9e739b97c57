import { Link } from 'react-router';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';

export function NotFoundPage({ what }: { what?: string }) {
  useStatusMessage('Page not found');
  return (
    <>
      <PageHeading>Page not found</PageHeading>
      <p className="nhsuk-body">{what ?? 'If you typed the web address, check it is correct.'}</p>
      <p className="nhsuk-body">If you pasted the web address, check you copied the entire address.</p>
      <p className="nhsuk-body">
        You can <Link to="/">go to the overview of all neighbourhoods</Link>.
      </p>
    </>
  );
}
