// Every saved version of a case and its plan, newest first: what changed, who changed it and when.
import { Link } from 'react-router';
import type { z } from 'zod';
import { versionList } from '../../../src/core/schemas/case.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { CaseLoader, caseHref } from './case-loader.tsx';

export function CaseHistoryPage() {
  return (
    <CaseLoader what="the case history">
      {({ placeId, detail }) => (
        <History placeId={placeId} caseId={detail.case.id} personName={detail.case.person.name} />
      )}
    </CaseLoader>
  );
}

function History({ placeId, caseId, personName }: { placeId: string; caseId: string; personName: string }) {
  const versions = useApi(`/api/places/${encodeURIComponent(placeId)}/cases/${caseId}/versions`, versionList);
  if (versions.state === 'failed') return <ApiProblem error={versions.error} />;
  if (versions.state === 'loading') return <Loading what="the case history" />;
  return <Versions caseId={caseId} personName={personName} versions={versions.data.versions} />;
}

function Versions({
  caseId,
  personName,
  versions,
}: {
  caseId: string;
  personName: string;
  versions: z.infer<typeof versionList>['versions'];
}) {
  const title = `History of the case for ${personName}`;
  useStatusMessage(`${title}: ${versions.length} changes`);
  const captionId = 'history-caption';
  return (
    <>
      <Link className="nhsuk-back-link" to={caseHref(caseId)}>
        Back to the case
      </Link>
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-body">
        Every change is kept as a version. Nothing is overwritten: a change saved from an older version is
        refused.
      </p>
      <ScrollTable captionId={captionId}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={captionId}>
            {versions.length} {versions.length === 1 ? 'change' : 'changes'}, newest first
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                When
              </th>
              <th scope="col" className="nhsuk-table__header">
                Who
              </th>
              <th scope="col" className="nhsuk-table__header">
                What changed
              </th>
              <th scope="col" className="nhsuk-table__header">
                Version
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {versions.map((v) => (
              <tr key={`${v.kind}-${v.version}`} className="nhsuk-table__row">
                <td className="nhsuk-table__cell">{formatDateTime(v.changedAt)}</td>
                <td className="nhsuk-table__cell">{v.changedBy}</td>
                <td className="nhsuk-table__cell">{v.change}</td>
                <td className="nhsuk-table__cell app-nowrap">
                  {v.kind === 'case' ? 'Case' : 'Plan'} {v.version}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}
