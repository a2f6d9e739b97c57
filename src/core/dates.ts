// Date-only values ('YYYY-MM-DD') as people read them, worked on as strings so that no time zone can move
// a day. Pure; shared by the API's explanations and the web pages.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** '2021-03-12' → '12 March 2021' (the NHS style: no leading zero, month in full). */
export function formatDate(date: string): string {
  const match = DATE.exec(date);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || month === undefined) throw new Error(`not a 'YYYY-MM-DD' date: '${date}'`);
  return `${Number(match[3])} ${month} ${match[1]}`;
}

/** Age in whole years on a date: the birthday counts on the day itself (29 February on 1 March). */
export function ageOn(dateOfBirth: string, date: string): number {
  const birth = DATE.exec(dateOfBirth);
  const on = DATE.exec(date);
  if (!birth || !on) throw new Error(`not 'YYYY-MM-DD' dates: '${dateOfBirth}', '${date}'`);
  const years = Number(on[1]) - Number(birth[1]);
  const hasHadBirthday = `${on[2]}-${on[3]}` >= `${birth[2]}-${birth[3]}`;
  return hasHadBirthday ? years : years - 1;
}

/** Today's date in England, as YYYY-MM-DD. */
export function todayInEngland(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

/** A date some days later (or earlier, for a negative number): '2024-02-28' + 2 → '2024-03-01'. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
