// The audit trail as a whole: whether its hash chain is intact (every event unchanged, none missing),
// and a download of all of it.
import type { z } from 'zod';
import { chainCheck } from '../../../src/core/schemas/access.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { formatNumber } from '../components/imd.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';

export function AuditTrailPage() {
  const check = useApi('/api/audit/verify', chainCheck);
  if (check.state === 'failed') return <ApiProblem error={check.error} />;
  if (check.state === 'loading') return <Loading what="the audit trail check" />;
  return <AuditTrail check={check.data} />;
}

function AuditTrail({ check }: { check: z.infer<typeof chainCheck> }) {
  useStatusMessage(check.intact ? 'The audit trail is intact' : 'The audit trail has problems');
  return (
    <>
      <PageHeading>Audit trail</PageHeading>
      <p className="nhsuk-body">
        Every access to people’s records is recorded as an event. Each event carries a fingerprint of the one
        before it, so a changed or missing event shows up when the chain is checked.
      </p>
      <h2 className="nhsuk-heading-m">Check of the chain</h2>
      {check.intact ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            The audit trail is intact: all {formatNumber(check.events)} events are unchanged and none are
            missing.
          </p>
        </div>
      ) : (
        <div className="nhsuk-card nhsuk-card--warning">
          <div className="nhsuk-card__content">
            <h3 className="nhsuk-card__heading">
              <span className="nhsuk-u-visually-hidden">Important: </span>The audit trail has been changed
            </h3>
            <p className="nhsuk-body">
              {formatNumber(check.problems.length)} of {formatNumber(check.events)} events failed the check.
              Tell your Caldicott guardian and keep a copy of the download below.
            </p>
            <ul className="nhsuk-list nhsuk-list--bullet">
              {check.problems.slice(0, 50).map((p) => (
                <li key={`${p.seq}|${p.problem}`}>
                  Event {p.seq}: {p.problem}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <h2 className="nhsuk-heading-m">Download</h2>
      <p className="nhsuk-body">
        <a href="/api/audit/events.csv" download>
          Download the audit trail (CSV)
        </a>
        , newest first, up to 50,000 events. The download is recorded too.
      </p>
    </>
  );
}
