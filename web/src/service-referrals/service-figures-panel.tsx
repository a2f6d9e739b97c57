// A service's closed loop: how many people were referred to it, how many it accepted, declined and
// completed, its acceptance rate and the median days to first contact. Small counts are hidden by the
// server (1 to 7 come as null; others are rounded to the nearest 5), and the panel says so.
import { serviceFigures } from '../../../src/core/schemas/service-referral.ts';
import { useApi } from '../api/use-api.ts';
import { SummaryRow } from '../cases/case-parts.tsx';

const HIDDEN = 'Fewer than 8 (not shown, to protect privacy)';

const count = (n: number | null) => (n === null ? HIDDEN : String(n));

export function ServiceFiguresPanel({
  placeId,
  serviceId,
  serviceName,
}: {
  placeId: string;
  serviceId: string;
  serviceName: string;
}) {
  const figures = useApi(
    `/api/places/${encodeURIComponent(placeId)}/directory/services/${serviceId}/figures`,
    serviceFigures,
  );
  return (
    <section aria-labelledby="service-figures-heading">
      <h2 className="nhsuk-heading-l" id="service-figures-heading">
        How referrals to {serviceName} went
      </h2>
      {figures.state === 'failed' ? (
        <p className="nhsuk-body">The figures could not be loaded. {figures.error.message}</p>
      ) : figures.state !== 'ready' ? (
        <p className="nhsuk-body app-loading">Loading the figures…</p>
      ) : (
        <>
          <dl className="nhsuk-summary-list">
            <SummaryRow label="Referrals">{count(figures.data.referrals)}</SummaryRow>
            <SummaryRow label="Accepted">{count(figures.data.accepted)}</SummaryRow>
            <SummaryRow label="Declined">{count(figures.data.declined)}</SummaryRow>
            <SummaryRow label="Acceptance rate">
              {figures.data.acceptanceRate === null
                ? 'Not shown: too few referrals decided'
                : `${Math.round(figures.data.acceptanceRate * 100)}% of those decided`}
            </SummaryRow>
            <SummaryRow label="Time to first contact">
              {figures.data.medianDaysToFirstContact === null
                ? 'Not shown: too few referrals accepted'
                : `${figures.data.medianDaysToFirstContact} days (median, from sent to accepted)`}
            </SummaryRow>
            <SummaryRow label="Completed">{count(figures.data.completed)}</SummaryRow>
            <SummaryRow label="Not completed">{count(figures.data.notCompleted)}</SummaryRow>
          </dl>
          <p className="nhsuk-body-s">
            Counts from 1 to 7 are not shown and others are rounded to the nearest 5, so that no one can be
            recognised from them.
          </p>
        </>
      )}
    </section>
  );
}
