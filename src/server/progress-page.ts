// The page shown while Joined Up gets ready on its first start. Plain HTML (no script, so it passes the
// content security policy), refreshing itself every few seconds until the product opens.
import type { StartupState } from './startup.ts';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function progressPage(state: StartupState): string {
  const failed = state.phase === 'failed';
  const percent = state.progress === null ? null : Math.round(state.progress * 100);
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${failed ? '' : '<meta http-equiv="refresh" content="3">'}
<title>${failed ? 'Joined Up could not start' : 'Joined Up is getting ready'}</title>
</head>
<body>
<main>
<h1>${failed ? 'Joined Up could not start' : 'Joined Up is getting ready'}</h1>
${
  failed
    ? `<p>${escapeHtml(state.error ?? 'An unknown problem stopped it.')}</p><p>The terminal running Joined Up says more.</p>`
    : `<p>${escapeHtml(state.step)}${percent === null ? '' : ` (${percent}% done)`}.</p>
${percent === null ? '' : `<p><progress max="100" value="${percent}" aria-label="Loading progress">${percent}%</progress></p>`}
<p>This page checks again every few seconds and opens Joined Up when it is ready.</p>`
}
</main>
</body>
</html>
`;
}
