// Audit events as a table: when, who (and their role), what they did, why, and what happened.
import type { z } from 'zod';
import type { auditEvents } from '../../../src/core/schemas/access.ts';
import { formatDateTime } from '../components/format-time.ts';

const ACTIONS: Readonly<Record<string, string>> = {
  read: 'Opened the record',
  search: 'Searched',
  export: 'Exported',
  write: 'Recorded something',
  'break-glass': 'Broke glass',
  review: 'Reviewed',
  'sign-in': 'Signed in',
  'sign-out': 'Signed out',
};

/** Why the event's data was used, as the audit trail records it (the purpose), in words. */
const PURPOSES: Readonly<Record<string, string>> = {
  'direct-care': 'Direct care',
  account: 'Their own account',
  'break-glass': 'Emergency access (break glass)',
  export: 'Export',
  'identity-matching': 'Matching records to people',
  import: 'Importing data',
  'information-governance': 'Information governance',
  planning: 'Planning',
};

/** The purpose in words, with the relationship that allowed it when it says more. */
function why(purpose: string, relationship: string | null): string {
  const words = PURPOSES[purpose] ?? purpose;
  return relationship && relationship !== purpose ? `${words}: ${relationship}` : words;
}

const OUTCOMES: Readonly<Record<string, string>> = {
  allowed: 'Allowed',
  denied: 'Refused',
  failed: 'Failed',
};

export function AuditEventsTable({
  events,
  caption,
  captionId,
}: {
  events: z.infer<typeof auditEvents>['events'];
  caption: string;
  captionId: string;
}) {
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={captionId}>
        {caption}
      </caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">
            When
          </th>
          <th scope="col" className="nhsuk-table__header">
            Who
          </th>
          <th scope="col" className="nhsuk-table__header">
            What
          </th>
          <th scope="col" className="nhsuk-table__header">
            Why they could
          </th>
          <th scope="col" className="nhsuk-table__header">
            Outcome
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {events.map((e) => (
          <tr key={e.seq} className="nhsuk-table__row">
            <td className="nhsuk-table__cell">{formatDateTime(e.occurredAt)}</td>
            <td className="nhsuk-table__cell">
              {e.actorName}
              {e.username ? <span className="app-code"> {e.username}</span> : null}
              {e.role ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{e.role}</div> : null}
            </td>
            <td className="nhsuk-table__cell app-break-words">
              {ACTIONS[e.action] ?? e.action}
              <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                {e.what ?? <span className="app-code">{e.route}</span>}
              </div>
              {e.detail ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{e.detail}</div> : null}
            </td>
            <td className="nhsuk-table__cell">{why(e.purpose, e.relationship)}</td>
            <td className="nhsuk-table__cell">
              <strong
                className={`nhsuk-tag ${e.outcome === 'allowed' ? 'nhsuk-tag--grey' : 'nhsuk-tag--red'}`}
              >
                {OUTCOMES[e.outcome] ?? e.outcome}
              </strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
