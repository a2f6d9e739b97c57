// Dates as whole days since 1970-01-01 (UTC) while generating, and as 'YYYY-MM-DD' strings outside:
// date-only values never become Date objects in the data, so they never shift with time zones. Pure.
// Generation converts millions of dates, so calendar fields and strings are looked up, not rebuilt.

const MS_PER_DAY = 86_400_000;
const FIRST = Date.UTC(1880, 0, 1) / MS_PER_DAY;
const LAST = Date.UTC(2130, 11, 31) / MS_PER_DAY;
const SPAN = LAST - FIRST + 1;
const YEAR = new Int16Array(SPAN);
const MONTH = new Int8Array(SPAN);
const DATE = new Int8Array(SPAN);
const ISO: (string | undefined)[] = new Array(SPAN);
{
  const d = new Date(FIRST * MS_PER_DAY);
  for (let i = 0; i < SPAN; i++) {
    YEAR[i] = d.getUTCFullYear();
    MONTH[i] = d.getUTCMonth();
    DATE[i] = d.getUTCDate();
    d.setUTCDate(d.getUTCDate() + 1);
  }
}

const inRange = (day: number) => day >= FIRST && day <= LAST;

export function dayOf(isoDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`not a date: ${isoDate}`);
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
  if (isoDateOf(day) !== isoDate) throw new Error(`not a date: ${isoDate}`);
  return day;
}

export function isoDateOf(day: number): string {
  if (!inRange(day)) return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
  const i = day - FIRST;
  let s = ISO[i];
  if (s === undefined) {
    const mm = (MONTH[i] as number) + 1;
    const dd = DATE[i] as number;
    s = `${YEAR[i]}-${mm < 10 ? '0' : ''}${mm}-${dd < 10 ? '0' : ''}${dd}`;
    ISO[i] = s;
  }
  return s;
}

/** Whole years between a date of birth and a date (both as days). */
export function ageOn(dobDay: number, day: number): number {
  if (!inRange(dobDay) || !inRange(day)) {
    const dob = new Date(dobDay * MS_PER_DAY);
    const on = new Date(day * MS_PER_DAY);
    const before =
      on.getUTCMonth() < dob.getUTCMonth() ||
      (on.getUTCMonth() === dob.getUTCMonth() && on.getUTCDate() < dob.getUTCDate());
    return on.getUTCFullYear() - dob.getUTCFullYear() - (before ? 1 : 0);
  }
  const b = dobDay - FIRST;
  const o = day - FIRST;
  const before =
    (MONTH[o] as number) < (MONTH[b] as number) ||
    (MONTH[o] === MONTH[b] && (DATE[o] as number) < (DATE[b] as number));
  return (YEAR[o] as number) - (YEAR[b] as number) - (before ? 1 : 0);
}

/** The day a person born on `dobDay` turns `age` (29 February birthdays fall on 1 March in other years). */
export function birthdayDay(dobDay: number, age: number): number {
  if (!inRange(dobDay)) {
    const dob = new Date(dobDay * MS_PER_DAY);
    return Date.UTC(dob.getUTCFullYear() + age, dob.getUTCMonth(), dob.getUTCDate()) / MS_PER_DAY;
  }
  const b = dobDay - FIRST;
  return Date.UTC((YEAR[b] as number) + age, MONTH[b] as number, DATE[b] as number) / MS_PER_DAY;
}

export const YEAR_DAYS = 365.2425;
