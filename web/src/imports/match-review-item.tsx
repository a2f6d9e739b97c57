// One open match review: the person in the import beside each person Joined Up knows who may be them
// (name, date of birth, sex, postcode and NHS number, each marked the same or different), how alike they
// are and why, and the decision: the same person as one of them, or a new person.
import { useState } from 'react';
import { z } from 'zod';
import { formatDate } from '../../../src/core/dates.ts';
import { formatNhsNumber } from '../../../src/core/nhs-number.ts';
import type { MatchReviewView } from '../../../src/core/schemas/exchange.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import type { FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Radios } from '../components/radios.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { formatCount, matchReviewsApi } from './import-words.tsx';

type Candidate = MatchReviewView['candidates'][number];
type Incoming = MatchReviewView['incoming'];

const decisionMade = z.object({ personId: z.string(), recordsWritten: z.number().int() });

export const fullName = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;

const BAND: Record<Candidate['band'], { words: string; tag: string }> = {
  match: { words: 'Very likely the same person', tag: 'nhsuk-tag--green' },
  review: { words: 'Possibly the same person', tag: 'nhsuk-tag--yellow' },
  'non-match': { words: 'Unlikely to be the same person', tag: 'nhsuk-tag--grey' },
};

const sexWords = (sex: string) => (sex ? sex.charAt(0).toUpperCase() + sex.slice(1) : 'Not recorded');
const dayWords = (date: string) => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? formatDate(date) : date);
const nhsWords = (n: string | null) => (n && /^\d{10}$/.test(n) ? formatNhsNumber(n) : (n ?? 'None'));
const sameText = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();
const samePostcode = (a: string, b: string) =>
  a.replaceAll(' ', '').toUpperCase() === b.replaceAll(' ', '').toUpperCase();

export function MatchReviewItem({
  placeId,
  review,
  error,
  onDecided,
  onProblems,
}: {
  placeId: string;
  review: MatchReviewView;
  error: string | undefined;
  onDecided: (words: string) => Promise<void>;
  /** Problems for the page's error summary; `isStale` when the list should be asked for again. */
  onProblems: (problems: FormProblem[], isStale: boolean) => void;
}) {
  const { incoming } = review;
  const name = fullName(incoming);
  const fieldId = `decision-${review.id}`;
  const [choice, setChoice] = useState('');
  const [isSaving, setSaving] = useState(false);

  async function submit() {
    if (choice === '') {
      onProblems(
        [{ fieldId, message: `Choose whether ${name} is the same person as someone known, or a new person` }],
        false,
      );
      return;
    }
    const candidate = review.candidates.find((c) => c.personId === choice);
    const body = candidate
      ? { decision: 'same-person' as const, personId: candidate.personId }
      : { decision: 'new-person' as const };
    setSaving(true);
    try {
      const made = await fetchJson(matchReviewsApi(placeId, `/${review.id}`), decisionMade, undefined, {
        method: 'POST',
        body,
      });
      const written =
        made.recordsWritten === 0
          ? 'No records were waiting.'
          : `${formatCount(made.recordsWritten)} ${made.recordsWritten === 1 ? 'record that was' : 'records that were'} waiting ${made.recordsWritten === 1 ? 'has' : 'have'} been added.`;
      await onDecided(
        candidate
          ? `${name} is recorded as the same person as ${fullName(candidate)}. ${written}`
          : `${name} is added as a new person. ${written}`,
      );
    } catch (e) {
      setSaving(false);
      const err = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      // Decided already (409) or gone (404): say so, and show the list as it is now.
      const isStale = err.isConflict || err.isNotFound;
      onProblems(
        err.problems.map((p) => ({
          fieldId: isStale ? null : fieldId,
          message: p.message.replace(/^body [^:]+: /, ''),
        })),
        isStale,
      );
    }
  }

  return (
    <section className="app-match-review" aria-labelledby={`${fieldId}-heading`}>
      <h2 className="nhsuk-heading-m" id={`${fieldId}-heading`}>
        {name}, born {dayWords(incoming.dateOfBirth)}
      </h2>
      <p className="nhsuk-body">
        In <span className="app-break-words">{review.fileName}</span>, imported{' '}
        {formatDateTime(review.createdAt)}, with no NHS number. They live in small area (LSOA){' '}
        <span className="app-code">{incoming.lsoa}</span> and are registered with GP practice{' '}
        <span className="app-code">{incoming.practice}</span>.{' '}
        {review.heldRecords === 0
          ? 'No other records came with them.'
          : `${formatCount(review.heldRecords)} ${review.heldRecords === 1 ? 'record waits' : 'records wait'} for this decision.`}
      </p>
      {review.candidates.map((c, i) => (
        <Comparison
          key={c.personId}
          id={`${fieldId}-${i + 1}`}
          incoming={incoming}
          candidate={c}
          heading={
            review.candidates.length === 1
              ? `Compared with ${fullName(c)}, known to Joined Up`
              : `Possible match ${i + 1}: ${fullName(c)}`
          }
        />
      ))}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!isSaving) void submit();
        }}
      >
        <Radios
          id={fieldId}
          legend={`Who is ${name}?`}
          legendSize="s"
          error={error}
          value={choice}
          onChange={setChoice}
          options={[
            ...review.candidates.map((c) => ({
              value: c.personId,
              label: `Same person as ${fullName(c)}`,
              hint: `Born ${dayWords(c.dateOfBirth)}${c.nhsNumber ? `, NHS number ${nhsWords(c.nhsNumber)}` : ''}. Their records are joined up.`,
            })),
            {
              value: 'new-person',
              label: 'A new person',
              hint: 'Not anyone Joined Up knows: they are added as someone new.',
            },
          ]}
        />
        <button className="nhsuk-button" type="submit" disabled={isSaving}>
          Confirm<span className="nhsuk-u-visually-hidden"> who {name} is</span>
        </button>
      </form>
    </section>
  );
}

function Comparison({
  id,
  heading,
  incoming,
  candidate: c,
}: {
  id: string;
  heading: string;
  incoming: Incoming;
  candidate: Candidate;
}) {
  const band = BAND[c.band];
  const rows: { label: string; theirs: string; known: string; isSame: boolean | null }[] = [
    {
      label: 'Name',
      theirs: fullName(incoming),
      known: fullName(c),
      isSame: sameText(incoming.givenName, c.givenName) && sameText(incoming.familyName, c.familyName),
    },
    {
      label: 'Date of birth',
      theirs: dayWords(incoming.dateOfBirth),
      known: dayWords(c.dateOfBirth),
      isSame: incoming.dateOfBirth === c.dateOfBirth,
    },
    { label: 'Sex', theirs: sexWords(incoming.sex), known: sexWords(c.sex), isSame: incoming.sex === c.sex },
    {
      label: 'Postcode',
      theirs: incoming.postcode ?? 'Not given',
      known: c.postcode ?? 'Not known',
      isSame: incoming.postcode && c.postcode ? samePostcode(incoming.postcode, c.postcode) : null,
    },
    { label: 'NHS number', theirs: 'None', known: nhsWords(c.nhsNumber), isSame: null },
  ];
  return (
    <div className="app-match-review__candidate">
      <h3 className="nhsuk-heading-s" id={`${id}-heading`}>
        {heading}
      </h3>
      <ScrollTable captionId={`${id}-caption`}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden" id={`${id}-caption`}>
            {fullName(incoming)} in the import beside {fullName(c)}, known to Joined Up
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                Detail
              </th>
              <th scope="col" className="nhsuk-table__header">
                In the import
              </th>
              <th scope="col" className="nhsuk-table__header">
                Known to Joined Up
              </th>
              <th scope="col" className="nhsuk-table__header">
                Same or different
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {rows.map((r) => (
              <tr key={r.label} className="nhsuk-table__row">
                <th scope="row" className="nhsuk-table__header">
                  {r.label}
                </th>
                <td className="nhsuk-table__cell">{r.theirs}</td>
                <td className="nhsuk-table__cell">{r.known}</td>
                <td className="nhsuk-table__cell">
                  {r.isSame === null ? (
                    'Cannot compare'
                  ) : r.isSame ? (
                    'Same'
                  ) : (
                    <strong className="nhsuk-tag nhsuk-tag--orange">Different</strong>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <p className="nhsuk-body">
        <strong className={`nhsuk-tag ${band.tag}`}>{band.words}</strong>
      </p>
      <p className="nhsuk-body">
        <span className="nhsuk-u-font-weight-bold">Why: </span>
        {c.explanation}
      </p>
    </div>
  );
}
