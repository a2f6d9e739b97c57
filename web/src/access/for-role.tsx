// A page only some roles may use. Anyone else who follows a link or types its address is told plainly
// that their role cannot use it, rather than meeting the API's refusal as an error.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { type ActionName, mayDo, mayOpen, type PageName } from './pages.ts';

export function ForRole({
  page,
  action,
  children,
}: {
  /** The header page it belongs to; a page reached only from others (say, referring a person) has none. */
  page?: PageName;
  /** Also needs this action (say, building cohorts for the cohort builder). */
  action?: ActionName;
  children: ReactNode;
}) {
  const { user } = useSignedIn();
  if ((!page || mayOpen(user.role, page)) && (!action || mayDo(user.role, action))) return children;
  return <NotForYourRole roleTitle={user.roleTitle} />;
}

function NotForYourRole({ roleTitle }: { roleTitle: string }) {
  useStatusMessage('You cannot use this page');
  return (
    <>
      <PageHeading>You cannot use this page</PageHeading>
      <p className="nhsuk-body">
        This page is not for your role ({roleTitle}). Ask your administrator if you need it for your work.
      </p>
      <p className="nhsuk-body">
        You can <Link to="/">go to the overview of all neighbourhoods</Link>.
      </p>
    </>
  );
}
