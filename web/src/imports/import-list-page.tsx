// Imports: the form to import a file from a partner's system, and the place's recent imports, newest
// first, each linking to its job (status, counts and problems).
import { useState } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import { type ImportJobView, importJob } from '../../../src/core/schemas/exchange.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { FILE_FIELD_ID, ImportFileForm } from './import-file-form.tsx';
import { formatCount, importsApi, StatusTag } from './import-words.tsx';

const jobList = z.object({ jobs: z.array(importJob) });

export function ImportListPage() {
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const jobs = useApi(placeId ? importsApi(placeId) : null, jobList);
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (jobs.state === 'failed') return <ApiProblem error={jobs.error} />;
  if (!placeId || jobs.state === 'loading') return <Loading what="the imports" />;
  return <Imports placeId={placeId} jobs={jobs.data.jobs} />;
}

function Imports({ placeId, jobs }: { placeId: string; jobs: ImportJobView[] }) {
  useStatusMessage('Imports loaded');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const fileError = problems.find((p) => p.fieldId === FILE_FIELD_ID)?.message;
  return (
    <>
      <ErrorSummary problems={problems} />
      <PageHeading>Imports</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p className="nhsuk-lede-text">
            Bring in data from GP, hospital, community and council systems: people, their long-term
            conditions, medicines, hospital visits, social care and test results.
          </p>
          <p className="nhsuk-body">
            Joined Up checks every line of a file. Lines with problems are left out and listed, so they can be
            put right in the system they came from; the rest are imported. People who arrive without an NHS
            number and may be someone already known wait for a <Link to="/match-review">match review</Link>.
          </p>
          <ImportFileForm placeId={placeId} error={fileError} setProblems={setProblems} />
        </div>
      </div>
      <RecentImports jobs={jobs} />
    </>
  );
}

function RecentImports({ jobs }: { jobs: ImportJobView[] }) {
  if (jobs.length === 0)
    return (
      <>
        <h2 className="nhsuk-heading-m">Recent imports</h2>
        <p className="nhsuk-body">No files have been imported yet.</p>
      </>
    );
  return (
    <ScrollTable captionId="imports-caption">
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m" id="imports-caption">
          Recent imports, newest first
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              File
            </th>
            <th scope="col" className="nhsuk-table__header">
              Started
            </th>
            <th scope="col" className="nhsuk-table__header">
              By
            </th>
            <th scope="col" className="nhsuk-table__header">
              Status
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              People added
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              Records added
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              Problems
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {jobs.map((j) => (
            <tr key={j.id} className="nhsuk-table__row">
              <th scope="row" className="nhsuk-table__header app-break-words">
                <Link to={`/imports/${j.id}`}>{j.fileName}</Link>
              </th>
              <td className="nhsuk-table__cell">{formatDateTime(j.createdAt)}</td>
              <td className="nhsuk-table__cell">{j.startedBy}</td>
              <td className="nhsuk-table__cell">
                <StatusTag status={j.status} />
              </td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {formatCount(j.counts.peopleAdded ?? 0)}
              </td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {formatCount(j.counts.recordsAdded ?? 0)}
              </td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatCount(j.problemCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
