// Staff accounts of the place, for the administrator: who can sign in, with which role and team.
import type { z } from 'zod';
import { staffList } from '../../../src/core/schemas/access.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';

export function StaffPage() {
  const staff = useApi('/api/staff', staffList);
  if (staff.state === 'failed') return <ApiProblem error={staff.error} />;
  if (staff.state === 'loading') return <Loading what="staff accounts" />;
  return <Staff staff={staff.data.staff} />;
}

function Staff({ staff }: { staff: z.infer<typeof staffList>['staff'] }) {
  useStatusMessage(`${staff.length} staff accounts loaded`);
  return (
    <>
      <PageHeading>Staff</PageHeading>
      <p className="nhsuk-body">Everyone who can sign in to Joined Up for this place, by role.</p>
      <ScrollTable captionId="staff-caption">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="staff-caption">
            Staff accounts
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                Name
              </th>
              <th scope="col" className="nhsuk-table__header">
                Username
              </th>
              <th scope="col" className="nhsuk-table__header">
                Role
              </th>
              <th scope="col" className="nhsuk-table__header">
                Team or practice
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {staff.map((s) => (
              <tr key={s.username} className="nhsuk-table__row">
                <td className="nhsuk-table__cell">
                  {s.name}
                  {s.isDemo ? (
                    <>
                      {' '}
                      <strong className="nhsuk-tag nhsuk-tag--grey">Demo</strong>
                    </>
                  ) : null}
                </td>
                <td className="nhsuk-table__cell app-code">{s.username}</td>
                <td className="nhsuk-table__cell">{s.roleTitle}</td>
                <td className="nhsuk-table__cell">{s.team ?? s.practiceCode ?? 'None'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}
