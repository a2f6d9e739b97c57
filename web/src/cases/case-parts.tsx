// Small pieces the case management pages share: who the person is, tags for urgency, action status and
// lateness (colour is never the only sign: each tag says it in words), and dates as staff read them.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../../src/core/dates.ts';
import { formatNhsNumber } from '../../../src/core/nhs-number.ts';
import { ACTION_STATUS_LABELS, type ActionOut, type PersonSummary } from '../../../src/core/schemas/case.ts';
import { FRAILTY_LABEL } from '../cohorts/members-table.tsx';

const HOSPITAL_FRAILTY_LABEL: Record<string, string> = {
  low: 'Low',
  intermediate: 'Intermediate',
  high: 'High',
};

/** An NHS number as it is read aloud and printed, "999 000 0018"; null when not known. */
export const nhsNumberShown = (n: string | null) => (n && /^\d{10}$/.test(n) ? formatNhsNumber(n) : n);

/** A date ('YYYY-MM-DD') in words, or what to say when there is none. */
export const dayOrNone = (date: string | null, none = 'Not set') => (date ? formatDate(date) : none);

export function SummaryRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

/** Who the person is: NHS number, date of birth and age, frailty, and a link to their record. */
export function PersonSummaryList({
  person,
  linkRecord = true,
}: {
  person: PersonSummary;
  linkRecord?: boolean;
}) {
  return (
    <dl className="nhsuk-summary-list">
      <SummaryRow label="NHS number">{nhsNumberShown(person.nhsNumber) ?? 'Not recorded'}</SummaryRow>
      <SummaryRow label="Date of birth">
        {formatDate(person.dateOfBirth)} (aged {person.age})
      </SummaryRow>
      <SummaryRow label="Frailty">
        {person.efiBand ? (FRAILTY_LABEL[person.efiBand] ?? person.efiBand) : 'Not scored'}
        {person.hfrsBand
          ? `; hospital frailty risk ${(HOSPITAL_FRAILTY_LABEL[person.hfrsBand] ?? person.hfrsBand).toLowerCase()}`
          : ''}
      </SummaryRow>
      {linkRecord ? (
        <SummaryRow label="Record">
          <Link to={`/people/${person.id}`}>
            See their record<span className="nhsuk-u-visually-hidden">: {person.name}</span>
          </Link>
        </SummaryRow>
      ) : null}
    </dl>
  );
}

export function UrgencyTag({ urgency }: { urgency: 'routine' | 'urgent' }) {
  return urgency === 'urgent' ? (
    <strong className="nhsuk-tag nhsuk-tag--red">Urgent</strong>
  ) : (
    <strong className="nhsuk-tag nhsuk-tag--grey">Routine</strong>
  );
}

const STATUS_TAG: Record<ActionOut['status'], string> = {
  'to-do': 'nhsuk-tag--grey',
  'in-progress': 'nhsuk-tag--blue',
  done: 'nhsuk-tag--green',
  cancelled: 'nhsuk-tag--white',
};

export function ActionStatusTag({ status }: { status: ActionOut['status'] }) {
  return <strong className={`nhsuk-tag ${STATUS_TAG[status]}`}>{ACTION_STATUS_LABELS[status]}</strong>;
}

/** A due date, and when it has passed, a red "Overdue" tag with the words. */
export function DueDate({ dueOn, overdue }: { dueOn: string; overdue: boolean }) {
  return (
    <>
      <span className="app-nowrap">{formatDate(dueOn)}</span>
      {overdue ? (
        <>
          <br />
          <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>
        </>
      ) : null}
    </>
  );
}

/** The review date of a case: the date, and a red tag saying it is overdue once it has passed. */
export function ReviewDue({ reviewDueOn, today }: { reviewDueOn: string | null; today: string }) {
  if (!reviewDueOn) return <>Not set</>;
  const isOverdue = reviewDueOn < today;
  return (
    <>
      <span className="app-nowrap">{formatDate(reviewDueOn)}</span>
      {isOverdue ? (
        <>
          <br />
          <strong className="nhsuk-tag nhsuk-tag--red">Review overdue</strong>
        </>
      ) : null}
    </>
  );
}
