// "Import a file": choose a FHIR NDJSON file, a FHIR Bundle or a CSV file and send it. The file goes to
// the API as the request body, as it is; the API answers at once with the import's job, and the page
// goes there. A file imported before is recognised, and the job page says so plainly.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { importStarted } from '../../../src/core/schemas/exchange.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import type { FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { useStatusMessage } from '../components/status-message.tsx';
import { ACCEPTED_ENDINGS, importsApi } from './import-words.tsx';

export const FILE_FIELD_ID = 'import-file';

/** What the file chosen is wrong for, before anything is sent; null when it may be sent. */
function fileProblem(file: File | null): string | null {
  if (!file) return 'Select a file to import';
  const name = file.name.toLowerCase();
  if (!ACCEPTED_ENDINGS.some((ending) => name.endsWith(ending)))
    return 'The selected file must be a FHIR NDJSON file (.ndjson), a FHIR Bundle (.json) or a CSV file (.csv)';
  if (file.name.length > 200) return 'The selected file’s name must be 200 characters or fewer: rename it';
  if (file.size === 0) return 'The selected file is empty';
  return null;
}

/** The API's problems with an upload, each tied to the file field (the form's only field). */
function uploadProblems(e: unknown): FormProblem[] {
  const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
  // "querystring fileName: must be …" is about the file's name; "report.txt: Joined Up imports …" names
  // the file the user has just chosen, so the name is left off.
  const messages = error.problems.map((p) =>
    p.field === 'fileName'
      ? `The file’s name ${p.message.replace(/^querystring fileName: /, '')}`
      : p.message.replace(/^[^:]+\.\w+: /, ''),
  );
  return [...new Set(messages)].map((message) => ({ fieldId: FILE_FIELD_ID, message }));
}

export function ImportFileForm({
  placeId,
  error,
  setProblems,
}: {
  placeId: string;
  /** The message beside the file field, when it has one. */
  error: string | undefined;
  setProblems: (problems: FormProblem[]) => void;
}) {
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [isUploading, setUploading] = useState(false);
  useStatusMessage(isUploading ? `Uploading ${file?.name ?? 'the file'}` : '');

  async function submit() {
    const problem = fileProblem(file);
    if (problem || !file) {
      setProblems([{ fieldId: FILE_FIELD_ID, message: problem ?? 'Select a file to import' }]);
      return;
    }
    setProblems([]);
    setUploading(true);
    try {
      const started = await fetchJson(
        importsApi(placeId, `?fileName=${encodeURIComponent(file.name)}`),
        importStarted,
        undefined,
        { method: 'POST', body: file },
      );
      const { job } = started;
      const notice = started.alreadyImported
        ? `This file was imported before, on ${formatDateTime(job.createdAt)}. Nothing was taken in again: this page shows that import.`
        : started.busy
          ? `${file.name} is being imported now, by an upload started ${formatDateTime(job.createdAt)}. This page follows it.`
          : `${file.name} was uploaded, and Joined Up has started importing it.`;
      navigate(`/imports/${job.id}`, { state: { notice } });
    } catch (e) {
      setUploading(false);
      setProblems(uploadProblems(e));
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className={`nhsuk-form-group nhsuk-file-upload${error ? ' nhsuk-form-group--error' : ''}`}>
        <h2 className="nhsuk-label-wrapper">
          <label className="nhsuk-label nhsuk-label--m" htmlFor={FILE_FIELD_ID}>
            Import a file
          </label>
        </h2>
        <div className="nhsuk-hint" id={`${FILE_FIELD_ID}-hint`}>
          A FHIR R4 NDJSON file (.ndjson), a FHIR Bundle (.json), or a CSV file (.csv) laid out as one of the{' '}
          <Link to="/imports/templates">CSV templates</Link>
        </div>
        {error ? (
          <span className="nhsuk-error-message" id={`${FILE_FIELD_ID}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {error}
          </span>
        ) : null}
        <input
          className="nhsuk-file-upload__input"
          id={FILE_FIELD_ID}
          name={FILE_FIELD_ID}
          type="file"
          accept={ACCEPTED_ENDINGS.join(',')}
          aria-describedby={`${FILE_FIELD_ID}-hint${error ? ` ${FILE_FIELD_ID}-error` : ''}`}
          disabled={isUploading}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">What each kind of file holds</span>
        </summary>
        <div className="nhsuk-details__text">
          <ul className="nhsuk-list nhsuk-list--bullet">
            <li>
              <strong>FHIR NDJSON (.ndjson)</strong>: one FHIR R4 resource on each line, as a FHIR bulk export
              writes it. Joined Up reads Patient, Condition, MedicationStatement, MedicationRequest,
              Encounter, Observation, EpisodeOfCare and Organization. Best for large files.
            </li>
            <li>
              <strong>FHIR Bundle (.json)</strong>: the same resources in one Bundle of type transaction,
              batch or collection. A transaction Bundle is all or nothing: one problem and nothing in it is
              imported.
            </li>
            <li>
              <strong>CSV (.csv)</strong>: a spreadsheet saved as CSV, with the column names of one of six
              layouts (people, conditions, medicines, hospital activity, adult social care or test results).
              Start from a <Link to="/imports/templates">CSV template</Link>.
            </li>
          </ul>
          <p>
            Sending the same file again is safe: Joined Up knows a file it has imported before and does not
            take it in twice. An import that stopped part-way carries on from where it stopped.
          </p>
        </div>
      </details>
      <button className="nhsuk-button" type="submit" disabled={isUploading} aria-disabled={isUploading}>
        {isUploading ? 'Uploading the file…' : 'Import the file'}
      </button>
    </form>
  );
}
