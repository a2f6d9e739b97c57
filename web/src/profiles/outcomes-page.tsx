// The outcomes dashboard: every indicator of the framework for the borough and each neighbourhood, with
// the Making Data Count variation and assurance icons; special-cause change first, concern before
// improvement, so a board reads what changed before what did not.

import { useId } from 'react';
import { Link } from 'react-router';
import { type DashboardBody, dashboard } from '../../../src/core/schemas/profile.ts';
import { ASSURANCE_LABELS, VARIATION_LABELS } from '../../../src/stats/spc.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { AssuranceIcon, VariationIcon } from '../components/spc-icons.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { formatValue, longDate } from './format.ts';
import { ProfileTable } from './profile-table.tsx';

type Row = DashboardBody['rows'][number];

const GROUPS: { title: string; test: (r: Row) => boolean }[] = [
  { title: 'Special cause: concern', test: (r) => r.variation.startsWith('concern') },
  { title: 'Special cause: improvement', test: (r) => r.variation.startsWith('improvement') },
  { title: 'Special cause: neither better nor worse', test: (r) => r.variation.startsWith('neither') },
  { title: 'Common cause: no significant change', test: (r) => r.variation === 'common-cause' },
  { title: 'Too few points for a chart', test: (r) => r.variation === 'none' },
];

export const indicatorHref = (r: {
  indicator: { id: string };
  area: { kind: string; code: string };
  period: string;
}) => `/outcomes/${r.indicator.id}/${r.area.kind}/${encodeURIComponent(r.area.code)}/${r.period}`;

export function OutcomesPage() {
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const loaded = useApi(placeId && `/api/places/${encodeURIComponent(placeId)}/outcomes`, dashboard);
  useStatusMessage(loaded.state === 'ready' ? 'Outcomes dashboard loaded' : '');
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (loaded.state === 'loading') return <Loading what="the outcomes dashboard" />;
  if (loaded.state === 'failed') {
    if (loaded.error.isNotFound) return <NotFoundPage what={loaded.error.message} />;
    return <ApiProblem error={loaded.error} />;
  }
  const { rows, referenceDate } = loaded.data;
  return (
    <>
      <PageHeading>Outcomes framework</PageHeading>
      <p className="nhsuk-lede-text">
        The partnership’s desired outcomes, measured every month or quarter up to {longDate(referenceDate)}{' '}
        for the borough and each neighbourhood.
      </p>
      <p className="nhsuk-body-s">
        Each indicator is plotted on a statistical process control chart in the NHS “Making Data Count” style.
        The icons say whether the latest point shows special-cause variation (a real change) or only the
        common-cause variation every process has, and, where there is a target, whether it will be met.
      </p>
      {GROUPS.map((g) => {
        const inGroup = rows.filter(g.test);
        return inGroup.length === 0 ? null : <Group key={g.title} title={g.title} rows={inGroup} />;
      })}
    </>
  );
}

function Group({ title, rows }: { title: string; rows: Row[] }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 className="nhsuk-heading-m" id={id}>
        {`${title} (${rows.length})`}
      </h2>
      <ProfileTable
        caption={title}
        columns={[
          { label: 'Indicator' },
          { label: 'Area' },
          { label: 'Latest', isNumeric: true },
          { label: 'Variation' },
          { label: 'Assurance' },
        ]}
      >
        {rows.map((r) => (
          <tr className="nhsuk-table__row" key={`${r.indicator.id}-${r.area.code}`}>
            <th className="nhsuk-table__header" scope="row">
              <Link to={indicatorHref(r)}>{`${r.indicator.name}: ${r.area.name}`}</Link>
              <span className="app-placemat__note">{r.indicator.outcome}</span>
            </th>
            <td className="nhsuk-table__cell">{r.area.name}</td>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
              {r.latest ? `${formatValue(r.latest.value, r.indicator.unit)} (${r.latest.label})` : 'No data'}
            </td>
            <td className="nhsuk-table__cell">
              <span className="app-outcomes__icon">
                <VariationIcon variation={r.variation} size={36} isDecorative />
                {VARIATION_LABELS[r.variation]}
              </span>
            </td>
            <td className="nhsuk-table__cell">
              <span className="app-outcomes__icon">
                <AssuranceIcon assurance={r.assurance} size={36} isDecorative />
                {ASSURANCE_LABELS[r.assurance]}
              </span>
            </td>
          </tr>
        ))}
      </ProfileTable>
    </section>
  );
}
