// Times as staff read them: UK time, day month year and hour:minute.
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

/** '2026-12-03T08:08:54Z' → '3 December 2026 at 08:08' (UK time). */
export function formatDateTime(iso: string): string {
  return DATE_TIME.format(new Date(iso));
}
