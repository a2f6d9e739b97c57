/**
 * Date-only arithmetic on 'YYYY-MM-DD' strings, compared as strings (never Date objects, so no
 * time zone can move a day). Used by the scorers' look-back windows.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function assertDate(value: string, field: string): void {
  if (!DATE.test(value)) throw new Error(`${field} must be a 'YYYY-MM-DD' date, got '${value}'`);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The same calendar date `years` earlier; 29 February becomes 28 February in a common year. */
export function yearsBefore(date: string, years: number): string {
  const match = DATE.exec(date);
  if (!match) throw new Error(`not a 'YYYY-MM-DD' date: '${date}'`);
  const year = Number(match[1]) - years;
  const monthDay = `${match[2]}-${match[3]}`;
  const day = monthDay === '02-29' && !isLeapYear(year) ? '02-28' : monthDay;
  return `${String(year).padStart(4, '0')}-${day}`;
}

/**
 * True when `date` is in the window of `years` up to and including `indexDate`:
 * after the same date `years` earlier (that day itself is outside) and on or before the index date.
 */
export function isInLookBack(date: string, indexDate: string, years: number): boolean {
  return date > yearsBefore(indexDate, years) && date <= indexDate;
}

/**
 * The same day `months` earlier; a day the earlier month lacks becomes its last day
 * (31 May less 3 months is 28 or 29 February).
 */
export function monthsBefore(date: string, months: number): string {
  const match = DATE.exec(date);
  if (!match) throw new Error(`not a 'YYYY-MM-DD' date: '${date}'`);
  const index = Number(match[1]) * 12 + (Number(match[2]) - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
  const day = Math.min(Number(match[3]), days);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
