// Break-glass review: every time staff saw a record without a care relationship, with their reason,
// those awaiting review first, and a form per use to record whether it was appropriate.
import { useState } from 'react';
import type { z } from 'zod';
import { breakGlassUses, noContent } from '../../../src/core/schemas/access.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { nhsNumberShown } from '../cases/case-parts.tsx';
import { formProblems } from '../cohorts/problems.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { FocusedNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { useReloadableApi } from '../components/use-reloadable-api.ts';

type Use = z.infer<typeof breakGlassUses>['uses'][number];
const OUTCOME_LABEL = { appropriate: 'Appropriate', 'not-appropriate': 'Not appropriate' } as const;

export function BreakGlassReviewPage() {
  // Reloaded in place after a review, so that the page and its notice stay.
  const { loaded: uses, reload } = useReloadableApi('/api/audit/break-glass', breakGlassUses);
  const [reviewed, setReviewed] = useState<{ message: string; at: number } | null>(null);
  if (uses.state === 'failed') return <ApiProblem error={uses.error} />;
  if (uses.state === 'loading') return <Loading what="break-glass uses" />;
  return (
    <Review
      data={uses.data}
      reviewed={reviewed}
      onReviewed={async (message) => {
        await reload();
        setReviewed({ message, at: Date.now() });
      }}
    />
  );
}

function Review({
  data,
  reviewed,
  onReviewed,
}: {
  data: z.infer<typeof breakGlassUses>;
  reviewed: { message: string; at: number } | null;
  onReviewed: (message: string) => Promise<void>;
}) {
  const awaiting = data.uses.filter((u) => u.reviewOutcome === null);
  useStatusMessage(reviewed ? '' : `${data.awaitingReview} break-glass uses awaiting review`);
  return (
    <>
      <PageHeading>Break-glass review</PageHeading>
      <p className="nhsuk-body">
        Staff can break glass to see a record they have no care relationship with, in an emergency, for 60
        minutes. Review each use: was the reason good enough?
      </p>
      {/* The form used goes once its use is reviewed: focus moves to this notice. */}
      {reviewed ? <FocusedNotice key={reviewed.at}>{reviewed.message}</FocusedNotice> : null}
      <p className="nhsuk-body-l">
        Awaiting review: <strong>{data.awaitingReview}</strong>
      </p>
      {data.uses.length === 0 ? (
        <p className="nhsuk-body">Nobody has broken glass yet.</p>
      ) : (
        <ScrollTable captionId="break-glass-caption">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="break-glass-caption">
              Break-glass uses, those awaiting review first
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
                  Whose record (NHS number)
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Reason given
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Review
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {data.uses.map((u) => (
                <tr key={u.id} className="nhsuk-table__row">
                  <td className="nhsuk-table__cell">{formatDateTime(u.startedAt)}</td>
                  <td className="nhsuk-table__cell">
                    {u.actorName} <span className="app-code">{u.username}</span>
                    <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{u.role}</div>
                  </td>
                  <td className="nhsuk-table__cell app-nowrap">
                    {nhsNumberShown(u.nhsNumber) ?? 'Not known'}
                  </td>
                  <td className="nhsuk-table__cell app-break-words app-preserve-lines">{u.reason}</td>
                  <td className="nhsuk-table__cell">
                    {u.reviewOutcome === null ? (
                      <a href={`#review-${u.id}`}>
                        Awaiting review<span className="nhsuk-u-visually-hidden">: review this use</span>
                      </a>
                    ) : (
                      <>
                        <strong
                          className={`nhsuk-tag ${u.reviewOutcome === 'appropriate' ? 'nhsuk-tag--green' : 'nhsuk-tag--red'}`}
                        >
                          {OUTCOME_LABEL[u.reviewOutcome]}
                        </strong>
                        <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                          {u.reviewedBy}
                          {u.reviewedAt ? `, ${formatDateTime(u.reviewedAt)}` : ''}
                          {u.reviewNote ? `: ${u.reviewNote}` : ''}
                        </div>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {awaiting.map((u) => (
        <ReviewForm key={u.id} use={u} onReviewed={onReviewed} />
      ))}
    </>
  );
}

function ReviewForm({ use: u, onReviewed }: { use: Use; onReviewed: (message: string) => Promise<void> }) {
  const [outcome, setOutcome] = useState<'appropriate' | 'not-appropriate' | ''>('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const id = `review-${u.id}`;
  const outcomeError = problems.find((p) => p.fieldId === `${id}-outcome`)?.message;
  const started = formatDateTime(u.startedAt);

  async function submit() {
    if (outcome === '') {
      setProblems([{ fieldId: `${id}-outcome`, message: 'Choose whether it was appropriate' }]);
      return;
    }
    setProblems([]);
    try {
      await fetchJson(`/api/audit/break-glass/${encodeURIComponent(u.id)}/review`, noContent, undefined, {
        method: 'POST',
        body: { outcome, note },
      });
      await onReviewed(
        `You recorded ${u.actorName}’s break-glass use of ${started} as ${OUTCOME_LABEL[outcome].toLowerCase()}.`,
      );
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setProblems(
        formProblems(error, {
          outcome: { id: `${id}-outcome`, label: 'Review' },
          note: { id: `${id}-note`, label: 'Note' },
        }),
      );
    }
  }

  return (
    <section id={id} tabIndex={-1} className="nhsuk-u-margin-top-6" aria-labelledby={`${id}-heading`}>
      <h2 className="nhsuk-heading-m" id={`${id}-heading`}>
        Review: {u.actorName}, {started}
      </h2>
      <p className="nhsuk-body">
        NHS number {nhsNumberShown(u.nhsNumber) ?? 'not known'}. Reason given: “
        <span className="app-preserve-lines">{u.reason}</span>”
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <ErrorSummary problems={problems} />
        <div className={`nhsuk-form-group${outcomeError ? ' nhsuk-form-group--error' : ''}`}>
          <fieldset
            className="nhsuk-fieldset"
            aria-describedby={outcomeError ? `${id}-outcome-error` : undefined}
          >
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Was it appropriate?</legend>
            {outcomeError ? (
              <span className="nhsuk-error-message" id={`${id}-outcome-error`}>
                <span className="nhsuk-u-visually-hidden">Error:</span> {outcomeError}
              </span>
            ) : null}
            <div className="nhsuk-radios nhsuk-radios--inline">
              {(['appropriate', 'not-appropriate'] as const).map((o, i) => (
                <div className="nhsuk-radios__item" key={o}>
                  <input
                    className="nhsuk-radios__input"
                    id={i === 0 ? `${id}-outcome` : `${id}-outcome-${o}`}
                    name={`${id}-outcome`}
                    type="radio"
                    checked={outcome === o}
                    onChange={() => setOutcome(o)}
                  />
                  <label
                    className="nhsuk-label nhsuk-radios__label"
                    htmlFor={i === 0 ? `${id}-outcome` : `${id}-outcome-${o}`}
                  >
                    {OUTCOME_LABEL[o]}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <TextField
          id={`${id}-note`}
          label="Note (optional)"
          hint="What you found out, and anything you did about it"
          error={problems.find((p) => p.fieldId === `${id}-note`)?.message}
          rows={3}
          value={note}
          onChange={setNote}
        />
        <button type="submit" className="nhsuk-button">
          Record review
          <span className="nhsuk-u-visually-hidden">
            {' '}
            of {u.actorName}’s use, {started}
          </span>
        </button>
      </form>
    </section>
  );
}
