// The directory in words, as the public pages say it to residents: who a service is for (ages), when it
// is open (RFC 5545 schedules as "Monday to Friday, 9am to 5pm"), what it costs, and when a Live Well
// centre opens. Times follow the NHS content style: 9am, 5:30pm, midday. Pure.
import type { DirectoryCostOption, DirectorySchedule } from './directory.ts';

const DAY_NAMES: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const WEEK = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const ORDINALS: Record<string, string> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '5': 'fifth',
  '-1': 'last',
};

/** 'a', 'a and b', 'a, b and c'. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Who a service is for by age: "Aged 60 and over", "Aged 11 to 18", "Aged up to 4", "All ages". */
export function ageWords(minimumAge: number | null, maximumAge: number | null): string {
  const min = minimumAge ?? 0;
  if (maximumAge === null) return min === 0 ? 'All ages' : `Aged ${min} and over`;
  return min === 0 ? `Aged up to ${maximumAge}` : `Aged ${min} to ${maximumAge}`;
}

/** '09:00' → '9am', '17:30' → '5:30pm', '12:00' → 'midday', '00:00' → 'midnight'. */
export function clockWords(hhmm: string): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  if (m === 0 && h === 12) return 'midday';
  if (m === 0 && (h === 0 || h === 24)) return 'midnight';
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  return `${hour12}${m === 0 ? '' : `:${String(m).padStart(2, '0')}`}${h < 12 ? 'am' : 'pm'}`;
}

/** Weekdays in order; a run of three or more days in a row becomes "Monday to Friday". */
function weekdayWords(days: readonly string[]): string {
  const order = [...new Set(days)]
    .filter((d) => WEEK.includes(d))
    .sort((a, b) => WEEK.indexOf(a) - WEEK.indexOf(b));
  const runs: string[][] = [];
  for (const day of order) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last !== undefined && WEEK.indexOf(day) === WEEK.indexOf(last) + 1) run.push(day);
    else runs.push([day]);
  }
  const parts = runs.flatMap((run) => {
    const first = run[0] ?? '';
    const last = run[run.length - 1] ?? '';
    return run.length >= 3
      ? [`${DAY_NAMES[first]} to ${DAY_NAMES[last]}`]
      : run.map((d) => DAY_NAMES[d] ?? d);
  });
  return listWords(parts);
}

/** A monthly day: '1TH' → 'first Thursday', '-1FR' → 'last Friday'. */
function monthlyDayWords(byday: string): string {
  const match = /^(-?\d)?([A-Z]{2})$/.exec(byday);
  if (!match) return byday;
  const day = DAY_NAMES[match[2] ?? ''] ?? byday;
  const ordinal = match[1] ? ORDINALS[match[1]] : undefined;
  return ordinal ? `${ordinal} ${day}` : day;
}

/** When a schedule is open: "Monday to Friday, 9am to 5pm", "Every other Tuesday, 10am to midday",
 * "First Thursday of the month, 2pm to 4pm". */
export function scheduleWords(
  s: Pick<DirectorySchedule, 'freq' | 'interval' | 'byday' | 'opensAt' | 'closesAt'>,
): string {
  const times = `${clockWords(s.opensAt)} to ${clockWords(s.closesAt)}`;
  if (s.freq === 'MONTHLY') {
    const days = listWords(s.byday.map(monthlyDayWords));
    const every = s.interval > 1 ? `every ${s.interval} months` : 'of the month';
    return `${capitalise(days)} ${every}, ${times}`;
  }
  const days = weekdayWords(s.byday);
  if (s.interval === 2) return `Every other ${days}, ${times}`;
  if (s.interval > 2) return `Every ${s.interval} weeks on ${days}, ${times}`;
  return `${days}, ${times}`;
}

/** An amount of money: 3.5 → '£3.50', 2 → '£2'. */
export function moneyWords(amount: number): string {
  return Number.isInteger(amount) ? `£${amount}` : `£${amount.toFixed(2)}`;
}

/** One price: "Adults: £3.50 a session". */
export function costOptionWords(
  c: Pick<DirectoryCostOption, 'option' | 'amount' | 'amountDescription'>,
): string {
  const price = [c.amount === null ? null : moneyWords(c.amount), c.amountDescription]
    .filter((p): p is string => Boolean(p))
    .join(' ');
  return c.option ? `${c.option}${price ? `: ${price}` : ''}` : price;
}

/** When a Live Well site opens: '2027', or '2026 to 2030' for a programme over several years. */
export function rolloutWords(year: number, endYear: number | null): string {
  return endYear !== null && endYear !== year ? `${year} to ${endYear}` : String(year);
}

/** What a Live Well site is, from the pack's kind. */
export function liveWellKindWords(kind: string): string {
  const words: Record<string, string> = {
    centre: 'Live Well centre',
    hub: 'Live Well hub',
    network: 'Live Well network of community venues',
    programme: 'Live Well programme',
  };
  return words[kind] ?? `Live Well ${kind}`;
}
