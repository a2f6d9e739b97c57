// One import: its status (followed every second while it runs, with a progress bar), what it added,
// changed and refused, its summary, and the problems it found. An interrupted import says how to carry
// on: import the same file again.
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  IMPORT_COUNT_LABELS,
  type ImportCountName,
  type ImportJobView,
  importJobIdParam,
} from '../../../src/core/schemas/exchange.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { Notice, useNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { ImportProblems } from './import-problems.tsx';
import {
  FORMAT_WORDS,
  formatBytes,
  formatCount,
  importsApi,
  PLACE_WORD,
  PLACES_WORD,
  StatusTag,
  statusWords,
} from './import-words.tsx';
import { useImportJob } from './use-import-job.ts';

export function ImportJobPage() {
  const { jobId = '' } = useParams();
  const place = usePlace();
  const isId = importJobIdParam.safeParse(jobId).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const job = useImportJob(placeId && isId ? importsApi(placeId, `/${jobId}`) : null);
  const notFound = <NotFoundPage what="There is no import at this web address." />;
  if (!isId) return notFound;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (job.state === 'failed') return job.error.isNotFound ? notFound : <ApiProblem error={job.error} />;
  if (!placeId || job.state === 'loading') return <Loading what="the import" />;
  return <Job placeId={placeId} job={job.data} />;
}

function Job({ placeId, job }: { placeId: string; job: ImportJobView }) {
  const notice = useNotice();
  useStatusMessage(`Import of ${job.fileName}: ${statusWords(job.status).toLowerCase()}`);
  const placeWord = PLACE_WORD[job.format].toLowerCase();
  const placesWord = PLACES_WORD[job.format].toLowerCase();
  const isRunning = job.status === 'running';
  return (
    <>
      <Link className="nhsuk-back-link" to="/imports">
        Back to imports
      </Link>
      <PageHeading className="app-break-words">{`Import of ${job.fileName}`}</PageHeading>
      {notice ? <Notice>{notice}</Notice> : null}
      {isRunning ? <Progress job={job} /> : null}
      {job.status === 'interrupted' ? (
        <div className="nhsuk-card nhsuk-card--warning">
          <div className="nhsuk-card__content">
            <h2 className="nhsuk-card__heading">This import stopped before the end</h2>
            <p className="nhsuk-card__description nhsuk-u-margin-bottom-3">
              It had read {formatCount(job.linesDone)} {placesWord} when it stopped. What it read is kept.
            </p>
            <p className="nhsuk-card__description">
              To carry on, <Link to="/imports">import the same file again</Link>. Joined Up knows the file and
              starts after the last {placeWord} it kept, so nothing is taken in twice.
            </p>
          </div>
        </div>
      ) : null}
      <dl className="nhsuk-summary-list">
        <Row label="Status">
          <StatusTag status={job.status} />
        </Row>
        {job.message ? <Row label="Summary">{job.message}</Row> : null}
        <Row label="File">
          <span className="app-break-words">{job.fileName}</span> ({formatBytes(job.bytes)})
        </Row>
        <Row label="Kind of file">{FORMAT_WORDS[job.format]}</Row>
        <Row label="Started">
          {formatDateTime(job.createdAt)} by {job.startedBy}
        </Row>
        {job.finishedAt ? <Row label="Finished">{formatDateTime(job.finishedAt)}</Row> : null}
        <Row label={`${PLACES_WORD[job.format]} read`}>{formatCount(job.linesDone)}</Row>
      </dl>
      <Counts job={job} />
      {isRunning ? (
        <section aria-labelledby="problems-heading">
          <h2 className="nhsuk-heading-m" id="problems-heading">
            Problems
          </h2>
          <p className="nhsuk-body">
            {formatCount(job.problemCount)} found so far. They are listed here when the import has finished.
          </p>
        </section>
      ) : (
        <ImportProblems key={`${job.id}:${job.status}`} placeId={placeId} job={job} />
      )}
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

/** How far the import has read: by bytes where the API counts them (NDJSON), else by lines only. */
function Progress({ job }: { job: ImportJobView }) {
  const placesWord = PLACES_WORD[job.format].toLowerCase();
  const hasBytes = job.bytes > 0 && job.bytesDone > 0;
  const percent = hasBytes ? Math.min(100, Math.floor((job.bytesDone / job.bytes) * 100)) : null;
  return (
    <section aria-labelledby="progress-heading" className="app-import-progress">
      <h2 className="nhsuk-heading-m" id="progress-heading">
        Progress
      </h2>
      <label className="nhsuk-label" htmlFor="import-progress">
        {percent === null
          ? `${formatCount(job.linesDone)} ${placesWord} read so far`
          : `${percent}% read: ${formatBytes(job.bytesDone)} of ${formatBytes(job.bytes)}, ${formatCount(job.linesDone)} ${placesWord}`}
      </label>
      {hasBytes ? (
        <progress className="app-progress" id="import-progress" max={job.bytes} value={job.bytesDone}>
          {percent}%
        </progress>
      ) : (
        <progress className="app-progress" id="import-progress" />
      )}
      <p className="nhsuk-body-s">
        You can leave this page: the import carries on, and you can come back to it from Imports.
      </p>
    </section>
  );
}

const COUNT_ORDER = Object.keys(IMPORT_COUNT_LABELS) as ImportCountName[];
/** Always shown, even when none; the other counts only when there are some. */
const ALWAYS_SHOWN: readonly ImportCountName[] = ['peopleAdded', 'recordsAdded'];

function Counts({ job }: { job: ImportJobView }) {
  const waiting = job.counts.peopleForReview ?? 0;
  const shown = COUNT_ORDER.filter((name) => ALWAYS_SHOWN.includes(name) || (job.counts[name] ?? 0) > 0);
  return (
    <>
      <h2 className="nhsuk-heading-m">
        {job.status === 'running' ? 'Imported so far' : 'What was imported'}
      </h2>
      <dl className="nhsuk-summary-list app-import-counts">
        {shown.map((name) => (
          <Row key={name} label={IMPORT_COUNT_LABELS[name]}>
            {formatCount(job.counts[name] ?? 0)}
          </Row>
        ))}
      </dl>
      {waiting > 0 ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            {formatCount(waiting)} {waiting === 1 ? 'person has' : 'people have'} no NHS number and may be
            someone Joined Up already knows. Their records wait until someone decides.{' '}
            <Link to="/match-review">Go to match review</Link>
          </p>
        </div>
      ) : null}
    </>
  );
}
