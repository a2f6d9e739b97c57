// What a team page says to a member of staff who is in no team: the page is about a team's work, and
// theirs has none to show. They can still refer a person, and see actions assigned to them.
import { Link } from 'react-router';
import { mayDo } from '../access/pages.ts';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { useSignedIn } from '../session/session-context.tsx';

export function NoTeam({ title }: { title: string }) {
  const { user } = useSignedIn();
  useStatusMessage(`${title}: you are not in a team`);
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-body">
        This page shows the work of an Integrated Neighbourhood Team, and your account is not in one. Ask your
        administrator if it should be.
      </p>
      <ul className="nhsuk-list">
        {mayDo(user.role, 'referPeople') ? (
          <li>
            <Link to="/refer">Refer a person to an Integrated Neighbourhood Team</Link>
          </li>
        ) : null}
        <li>
          <Link to="/my-work">See the actions assigned to you</Link>
        </li>
      </ul>
    </>
  );
}
