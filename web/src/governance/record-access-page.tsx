// Who accessed a record: the information governance officer enters a person's NHS number (and, if they
// like, a member of staff and a period) and sees every audit event about them, newest first, with a CSV
// download of the same. The NHS number stays out of the page's address.
import { useState } from 'react';
import type { z } from 'zod';
import { auditEvents } from '../../../src/core/schemas/access.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { nhsNumberShown } from '../cases/case-parts.tsx';
import { formProblems } from '../cohorts/problems.ts';
import { DateInput, type DateParts, isoDate, NO_DATE } from '../components/date-input.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { NhsNumberField } from '../components/nhs-number-field.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { AuditEventsTable } from './audit-events-table.tsx';

const PAGE_SIZE = 50;
type Filters = { nhsNumber: string; actor: string; from: DateParts; to: DateParts };

function query(filters: Filters, page?: number): string {
  const q = new URLSearchParams();
  const { from, to, ...text } = filters;
  for (const [k, v] of Object.entries(text)) if (v.trim() !== '') q.set(k, v.trim());
  for (const [k, v] of [
    ['from', isoDate(from)],
    ['to', isoDate(to)],
  ] as const)
    if (v) q.set(k, v);
  if (page) {
    q.set('page', String(page));
    q.set('pageSize', String(PAGE_SIZE));
  }
  return q.toString();
}

export function RecordAccessPage() {
  const [filters, setFilters] = useState<Filters>({ nhsNumber: '', actor: '', from: NO_DATE, to: NO_DATE });
  const [result, setResult] = useState<{ filters: Filters; data: z.infer<typeof auditEvents> } | null>(null);
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isBusy, setBusy] = useState(false);
  const errors = new Map(problems.map((p) => [p.fieldId ?? '', p.message]));
  useStatusMessage(
    result
      ? `${result.data.events.length} audit events found, page ${result.data.page}`
      : 'Who accessed a record',
  );
  const set =
    <K extends keyof Filters>(key: K) =>
    (value: Filters[K]) =>
      setFilters((f) => ({ ...f, [key]: value }));

  async function search(searched: Filters, page: number) {
    setProblems([]);
    if (searched.nhsNumber.trim() === '') {
      setProblems([
        { fieldId: 'nhs-number', message: 'Enter the NHS number of the person whose record it is' },
      ]);
      return;
    }
    setBusy(true);
    try {
      const data = await fetchJson(`/api/audit/events?${query(searched, page)}`, auditEvents);
      setResult({ filters: searched, data });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setProblems(
        formProblems(error, {
          nhsNumber: { id: 'nhs-number', label: 'NHS number' },
          actor: { id: 'actor', label: 'Username' },
          from: { id: 'from', label: 'From' },
          to: { id: 'to', label: 'To' },
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ErrorSummary problems={problems} />
      <PageHeading>Who accessed a record</PageHeading>
      <p className="nhsuk-body">
        Enter a person’s NHS number to see everyone who opened, searched for, exported or was refused their
        record, newest first. Your search is itself recorded.
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void search(filters, 1);
        }}
      >
        <NhsNumberField
          id="nhs-number"
          error={errors.get('nhs-number')}
          value={filters.nhsNumber}
          onChange={set('nhsNumber')}
        />
        <TextField
          id="actor"
          label="Username of a member of staff (optional)"
          error={errors.get('actor')}
          inputClassName="nhsuk-input--width-20"
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
          value={filters.actor}
          onChange={set('actor')}
        />
        <DateInput
          id="from"
          legend="From (optional)"
          hint="For example, 1 11 2026"
          error={errors.get('from')}
          value={filters.from}
          onChange={set('from')}
        />
        <DateInput
          id="to"
          legend="To (optional)"
          hint="For example, 30 11 2026"
          error={errors.get('to')}
          value={filters.to}
          onChange={set('to')}
        />
        <button type="submit" className="nhsuk-button" disabled={isBusy}>
          Search
        </button>
      </form>
      {result ? (
        <>
          <h2 className="nhsuk-heading-m">
            Access to the record with NHS number {nhsNumberShown(result.filters.nhsNumber.replace(/\s/g, ''))}
          </h2>
          {result.data.events.length === 0 ? (
            <p className="nhsuk-body">
              {result.data.page > 1
                ? 'No more events.'
                : new URLSearchParams(query(result.filters)).size > 1
                  ? 'Nobody accessed this record as you asked: no events for that member of staff or period.'
                  : 'Nobody has accessed this record in the audit trail.'}
            </p>
          ) : (
            <ScrollTable captionId="record-access-caption">
              <AuditEventsTable
                captionId="record-access-caption"
                caption={`Events ${(result.data.page - 1) * result.data.pageSize + 1} to ${
                  (result.data.page - 1) * result.data.pageSize + result.data.events.length
                }, newest first`}
                events={result.data.events}
              />
            </ScrollTable>
          )}
          <div className="nhsuk-button-group">
            {result.data.page > 1 ? (
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary"
                onClick={() => void search(result.filters, result.data.page - 1)}
              >
                Newer events
              </button>
            ) : null}
            {result.data.events.length === result.data.pageSize ? (
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary"
                onClick={() => void search(result.filters, result.data.page + 1)}
              >
                Older events
              </button>
            ) : null}
            <a
              className="nhsuk-button nhsuk-button--secondary"
              href={`/api/audit/events.csv?${query(result.filters)}`}
              download
            >
              Download these events (CSV)
            </a>
          </div>
        </>
      ) : null}
    </>
  );
}
