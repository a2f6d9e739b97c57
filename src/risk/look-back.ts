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
