// The problems an import found, in the order of the file: where each was (the line, row or entry; the
// FHIRPath or column) and what is wrong. A page at a time, with "Show more" for the next, and all of them
// as a CSV to open beside the file.
import { Fragment, useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { type ImportJobView, importProblem } from '../../../src/core/schemas/exchange.ts';
import { operationOutcome } from '../../../src/core/schemas/outcome.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { formatCount, importsApi, PLACE_WORD, WHERE_WORD } from './import-words.tsx';

type Problem = z.infer<typeof importProblem>;
const problemPage = z.object({ problems: z.array(importProblem), outcome: operationOutcome });

export const PROBLEMS_PAGE_SIZE = 50;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A problem as a sentence beside its line and column. A CSV problem names its file, row and column
 * first ("people.csv row 12, date_of_birth: …"), which the table already shows, so that is left off. A
 * FHIR problem about one element reads on from its name ("is unknown; …"), so the element's own name
 * is put in front: "gender is unknown; …".
 */
function problemWords(p: Problem, fileName: string): string {
  const text = p.diagnostics.replace(
    new RegExp(`^${escapeRegExp(fileName)} (row|line|entry) \\d+(, [^:]+)?: `, 'i'),
    '',
  );
  if (!p.expression || !/^(is|are|has|must|needs|should|was) /.test(text)) return text;
  const element = p.expression.split('.').pop() ?? p.expression;
  return `${element} ${text}`;
}

/** A FHIRPath or column that may break after its dots, brackets and slashes, never inside a name. */
function PathText({ path }: { path: string }) {
  const parts = path.split(/(?<=[.(/])/);
  return (
    <code className="app-code">
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, in order
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </code>
  );
}

export function ImportProblems({ placeId, job }: { placeId: string; job: ImportJobView }) {
  const [problems, setProblems] = useState<Problem[]>([]);
  const [isLoading, setLoading] = useState(true);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  /** The first problem of the last page added, which takes focus when "Show more" adds it. */
  const [focusN, setFocusN] = useState<number | null>(null);
  const firstNew = useRef<HTMLTableCellElement>(null);
  const base = importsApi(placeId, `/${job.id}/problems`);

  const load = async (after: number, signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      const page = await fetchJson(`${base}?after=${after}&limit=${PROBLEMS_PAGE_SIZE}`, problemPage, signal);
      setProblems((shown) => [...shown.filter((p) => p.n <= after), ...page.problems]);
      setHasMore(page.problems.length === PROBLEMS_PAGE_SIZE);
      setLoading(false);
      return page.problems;
    } catch (e) {
      if (signal?.aborted) return [];
      setError(e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null));
      setLoading(false);
      return [];
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the first page, once for each job
  useEffect(() => {
    if (job.problemCount === 0) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    void load(0, controller.signal);
    return () => controller.abort();
  }, [base, job.problemCount]);

  useEffect(() => {
    if (focusN !== null) firstNew.current?.focus();
  }, [focusN]);

  const total = job.problemCount;
  const more = async () => {
    const last = problems[problems.length - 1]?.n ?? 0;
    const added = await load(last);
    setFocusN(added[0]?.n ?? null);
  };
  useStatusMessage(
    focusN !== null ? `Showing ${formatCount(problems.length)} of ${formatCount(total)} problems` : '',
  );

  const placeWord = PLACE_WORD[job.format];
  /** The resource or row identity, where the importer knew it (not for a line it could not read). */
  const hasRecords = problems.some((p) => p.resourceKey !== null);
  return (
    <section aria-labelledby="problems-heading">
      <h2 className="nhsuk-heading-m" id="problems-heading">
        Problems
      </h2>
      {total === 0 ? (
        <p className="nhsuk-body">
          {job.status === 'interrupted'
            ? 'No problems were found in the part of the file read so far.'
            : 'No problems were found in the file.'}
        </p>
      ) : (
        <>
          <p className="nhsuk-body">
            {formatCount(total)} {total === 1 ? 'problem was' : 'problems were'} found. A{' '}
            {placeWord.toLowerCase()} with an error was left out; put it right in the system it came from and
            import the file again. A warning did not stop the {placeWord.toLowerCase()} being imported, or
            says why it was left out on purpose.
          </p>
          <p className="nhsuk-body">
            <a href={importsApi(placeId, `/${job.id}/problems.csv`)} download>
              Download the problems (CSV)
            </a>
          </p>
          {problems.length > 0 ? (
            <ScrollTable captionId="problems-caption">
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="problems-caption">
                  Problems in {job.fileName}, in the order of the file (showing {formatCount(problems.length)}{' '}
                  of {formatCount(total)})
                </caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                      {placeWord}
                    </th>
                    <th scope="col" className="nhsuk-table__header">
                      {WHERE_WORD[job.format]}
                    </th>
                    <th scope="col" className="nhsuk-table__header">
                      Problem
                    </th>
                    {hasRecords ? (
                      <th scope="col" className="nhsuk-table__header">
                        Record
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {problems.map((p) => (
                    <tr key={p.n} className="nhsuk-table__row">
                      <th
                        scope="row"
                        className="nhsuk-table__header nhsuk-table__header--numeric"
                        ref={p.n === focusN ? firstNew : undefined}
                        tabIndex={p.n === focusN ? -1 : undefined}
                      >
                        {p.line === null ? 'Whole file' : formatCount(p.line)}
                      </th>
                      <td className="nhsuk-table__cell">
                        {p.expression ? <PathText path={p.expression} /> : `Whole ${placeWord.toLowerCase()}`}
                      </td>
                      <td className="nhsuk-table__cell app-break-words">
                        {p.severity === 'warning' ? (
                          <>
                            <strong className="nhsuk-tag nhsuk-tag--grey">Warning</strong>{' '}
                          </>
                        ) : null}
                        {problemWords(p, job.fileName)}
                      </td>
                      {hasRecords ? (
                        <td className="nhsuk-table__cell app-break-words">{p.resourceKey ?? ''}</td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          ) : null}
          {error ? (
            <p className="nhsuk-error-message" role="alert">
              <span className="nhsuk-u-visually-hidden">Error:</span> The problems could not be loaded:{' '}
              {error.message}
            </p>
          ) : null}
          {isLoading && problems.length === 0 ? (
            <p className="nhsuk-body app-loading">Loading the problems…</p>
          ) : null}
          {problems.length > 0 && problems.length < total && hasMore ? (
            <button
              className="nhsuk-button nhsuk-button--secondary"
              type="button"
              onClick={() => {
                if (!isLoading) void more();
              }}
            >
              Show more<span className="nhsuk-u-visually-hidden"> problems</span>
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
