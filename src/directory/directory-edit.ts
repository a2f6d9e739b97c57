// Keeping the directory up to date, the rules without the database: when a service is due for review,
// which of its fields a save changed (for its history), and what a review date may be. Pure.
import { addDays } from '../core/dates.ts';
import { fieldError } from '../core/errors.ts';
import {
  DUE_SOON_DAYS,
  type ReviewState,
  SERVICE_FIELD_LABELS,
  type ServiceField,
  type ServiceInput,
} from '../core/schemas/directory-edit.ts';

export type ServiceFields = Omit<ServiceInput, 'checked'>;

/** Overdue from the review date itself; due soon within DUE_SOON_DAYS of it. */
export function reviewState(reviewDate: string, today: string): ReviewState {
  if (reviewDate <= today) return 'overdue';
  if (reviewDate <= addDays(today, DUE_SOON_DAYS)) return 'due-soon';
  return 'not-due';
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** The fields a save changes, in the form's order. Needs and locations compare as lists (order matters: it is shown). */
export function changedFields(before: ServiceFields, after: ServiceFields): ServiceField[] {
  return (Object.keys(SERVICE_FIELD_LABELS) as ServiceField[]).filter((field) => {
    const a = before[field];
    const b = after[field];
    return Array.isArray(a) && Array.isArray(b) ? !sameList(a, b) : a !== b;
  });
}

/** The furthest ahead a review may be set (two years, as for worklist decisions): entries are checked at least that often. */
export const REVIEW_HORIZON_DAYS = 731;

/**
 * A review date must be today or later and at most two years ahead. On a save that leaves an overdue
 * date as it was (`unchanged`), it stands: the editor may correct a detail without reviewing the entry.
 */
export function checkReviewDate(reviewDate: string, today: string, unchanged = false): void {
  if (unchanged) return;
  if (reviewDate < today)
    throw fieldError(
      'business-rule',
      'reviewDate',
      'must be today or later: it is when the entry is next due for review',
    );
  const latest = addDays(today, REVIEW_HORIZON_DAYS);
  if (reviewDate > latest)
    throw fieldError(
      'business-rule',
      'reviewDate',
      `must be within two years (by ${latest}): entries are checked at least that often`,
    );
}
