// My work: the actions assigned to the signed-in member of staff or their team, across every agency and
// case, overdue first, each with its person, case, due date and a quick change of status.
import { useState } from 'react';
import { Link } from 'react-router';
import { type MyWork, myWork } from '../../../src/core/schemas/case.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { ActionStatusForm } from './action-status-form.tsx';
import { caseHref } from './case-loader.tsx';
import { ActionStatusTag, DueDate, nhsNumberShown } from './case-parts.tsx';

export function MyWorkPage() {
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const work = useApi(placeId ? `/api/places/${encodeURIComponent(placeId)}/my-work` : null, myWork);
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (work.state === 'failed') return <ApiProblem error={work.error} />;
  if (!placeId || work.state !== 'ready') return <Loading what="your work" />;
  return <Work placeId={placeId} work={work.data} />;
}

function Work({ placeId, work }: { placeId: string; work: MyWork }) {
  const { user } = useSignedIn();
  const [actions, setActions] = useState(work.actions);
  const [changed, setChanged] = useState<string | null>(null);
  const overdue = actions.filter(
    (a) => a.overdue && (a.status === 'to-do' || a.status === 'in-progress'),
  ).length;
  useStatusMessage(`My work: ${work.actions.length} actions`);
  const captionId = 'my-work-caption';
  return (
    <>
      <PageHeading>My work</PageHeading>
      <p className="nhsuk-lede-text">
        Actions assigned to you{user.teamName ? ` or the ${user.teamName}` : ' or your team'}, in every
        person’s plan, overdue first.
      </p>
      {changed ? <Notice>{changed}</Notice> : null}
      {actions.length === 0 ? (
        <p className="nhsuk-body">There are no actions for you or your team.</p>
      ) : (
        <ScrollTable captionId={captionId}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
              {actions.length} {actions.length === 1 ? 'action' : 'actions'}, {overdue} overdue
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">
                  Action
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Person
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Due
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {actions.map((a) => (
                <tr key={a.id} className="nhsuk-table__row">
                  <td className="nhsuk-table__cell">
                    <span className="app-preserve-lines">{a.description}</span>
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                      {a.assigned === 'me' ? 'For you' : `For the ${a.teamName}`}: {a.ownerLabel},{' '}
                      {a.ownerAgencyName}
                    </p>
                  </td>
                  <td className="nhsuk-table__cell">
                    <Link to={caseHref(a.caseId)}>
                      {a.person.name}
                      <span className="nhsuk-u-visually-hidden">: open the case</span>
                    </Link>
                    <br />
                    <span className="nhsuk-body-s app-nowrap">
                      {a.person.nhsNumber
                        ? `NHS number ${nhsNumberShown(a.person.nhsNumber)}`
                        : 'No NHS number'}
                    </span>
                  </td>
                  <td className="nhsuk-table__cell">
                    <DueDate dueOn={a.dueOn} overdue={a.overdue} />
                  </td>
                  <td className="nhsuk-table__cell">
                    <ActionStatusTag status={a.status} />
                    <div className="nhsuk-u-margin-top-2">
                      <ActionStatusForm
                        placeId={placeId}
                        action={a}
                        onSaved={(plan, message) => {
                          const saved = plan.actions.find((s) => s.id === a.id);
                          if (saved)
                            setActions((all) => all.map((x) => (x.id === a.id ? { ...x, ...saved } : x)));
                          setChanged(message);
                        }}
                      />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </>
  );
}
