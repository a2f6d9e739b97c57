// What a page shows while its data loads; the announcement goes through the app's live region.
import { useStatusMessage } from './status-message.tsx';

export function Loading({ what }: { what: string }) {
  useStatusMessage(`Loading ${what}`);
  return <p className="nhsuk-body app-loading">Loading {what}…</p>;
}
