// Dates and times in England (Europe/London), whatever the browser's own time zone: the team's meetings
// and huddles happen in England, so a meeting typed as "10:00" is 10:00 there, in summer or winter.

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function partsInEngland(at: Date) {
  const parts = Object.fromEntries(PARTS.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** '2026-12-03T09:30:00Z' → '2026-12-03', the day it is in England. */
export function dateInEngland(at: string | Date): string {
  const p = partsInEngland(typeof at === 'string' ? new Date(at) : at);
  return `${p.year}-${two(p.month)}-${two(p.day)}`;
}

/** '2026-07-03T09:30:00Z' → '10:30', the time it is in England. */
export function timeInEngland(at: string | Date): string {
  const p = partsInEngland(typeof at === 'string' ? new Date(at) : at);
  return `${two(p.hour)}:${two(p.minute)}`;
}

/** Minutes England is ahead of UTC at this instant (0 or 60). */
function offsetAt(at: Date): number {
  const p = partsInEngland(at);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return Math.round((wall - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** A time typed as "14:30", "9:05" or "14.30" → '14:30'; null when it is not a time of day. */
export function parseTime(typed: string): string | null {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(typed.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour < 24 && minute < 60 ? `${two(hour)}:${two(minute)}` : null;
}

/**
 * A date ('YYYY-MM-DD') and time ('HH:MM') in England as an ISO date and time with its offset:
 * ('2026-07-03', '10:00') → '2026-07-03T10:00:00+01:00'. Null when the date is not a real one.
 */
export function englandDateTime(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const wall = Date.UTC(year, month - 1, day, Number(t[1]), Number(t[2]));
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return null;
  // The offset at the guessed instant, then again at the instant it gives (right across the clock change).
  let offset = offsetAt(new Date(wall));
  offset = offsetAt(new Date(wall - offset * 60_000));
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${date}T${time}:00${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
