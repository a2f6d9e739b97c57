// One indicator for one area: its definition from the catalogue and its statistical process control
// chart by month or by quarter, with links to the same indicator for the other areas.
import { Link, useParams } from 'react-router';
import {
  areaCodeParam,
  figureIdParam,
  type IndicatorSeriesBody,
  indicatorSeries,
  seriesPeriodParam,
} from '../../../src/core/schemas/profile.ts';
import type { SpcChart as SpcChartResult } from '../../../src/stats/spc.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { SpcChart } from '../components/spc-chart.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { areaTitle, formatValue } from './format.ts';

export function IndicatorPage() {
  const { indicatorId = '', areaKind = '', code = '', period = '' } = useParams();
  const place = usePlace();
  const isValid =
    figureIdParam.safeParse(indicatorId).success &&
    (areaKind === 'borough' || areaKind === 'neighbourhood') &&
    areaCodeParam.safeParse(code).success &&
    seriesPeriodParam.safeParse(period).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const url =
    placeId && isValid
      ? `/api/places/${encodeURIComponent(placeId)}/outcomes/${indicatorId}/${areaKind}/${encodeURIComponent(code)}/${period}`
      : null;
  const loaded = useApi(url, indicatorSeries);
  if (!isValid)
    return <NotFoundPage what="There is no such indicator. Choose one from the outcomes framework." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (loaded.state === 'loading') return <Loading what="the indicator" />;
  if (loaded.state === 'failed') {
    if (loaded.error.isNotFound) return <NotFoundPage what={loaded.error.message} />;
    return <ApiProblem error={loaded.error} />;
  }
  const areas =
    place.state === 'ready'
      ? [
          { kind: 'borough', code: place.data.place.id, name: place.data.place.name },
          ...place.data.neighbourhoods.map((n) => ({
            kind: 'neighbourhood',
            code: n.code,
            name: `${n.name} neighbourhood`,
          })),
        ]
      : [];
  return <Indicator body={loaded.data} areas={areas} />;
}

function Indicator({
  body,
  areas,
}: {
  body: IndicatorSeriesBody;
  areas: { kind: string; code: string; name: string }[];
}) {
  const { indicator: i, area, period } = body;
  const title = `${i.name}: ${areaTitle(area)}`;
  useStatusMessage(`${title} loaded`);
  const other = period === 'month' ? 'quarter' : 'month';
  const hasOther = i.periods.includes(other);
  const href = (a: { kind: string; code: string }, p: string) =>
    `/outcomes/${i.id}/${a.kind}/${encodeURIComponent(a.code)}/${p}`;
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-lede-text">{`${i.outcome}. ${period === 'month' ? 'By month' : 'By quarter'}, ${i.unit}.`}</p>
      <SpcChart
        chart={body.chart as unknown as SpcChartResult}
        periods={body.points.map((p) => p.label)}
        formatValue={(v) => formatValue(v, i.unit === '%' || i.unit.startsWith('%') ? '%' : '').trim()}
        title={`${i.name}, ${areaTitle(area)}, ${i.unit}, ${period === 'month' ? 'by month' : 'by quarter'}`}
        valueLabel={i.unit}
        periodLabel={period === 'month' ? 'Month' : 'Quarter'}
      />
      {hasOther ? (
        <p>
          <Link to={href(area, other)}>{`See it by ${other}`}</Link>
        </p>
      ) : null}
      <h2 className="nhsuk-heading-m">About this indicator</h2>
      <dl className="nhsuk-summary-list">
        <Row label="Numerator">{i.numerator.label}</Row>
        <Row label="Denominator">{i.denominator.label}</Row>
        <Row label="Unit">{i.unit}</Row>
        <Row label="Source">{i.source}</Row>
        <Row label="Better is">
          {i.polarity === 'lower-is-better'
            ? 'Lower'
            : i.polarity === 'higher-is-better'
              ? 'Higher'
              : 'Neither'}
        </Row>
        <Row label="Target">{i.target === null ? 'None agreed' : formatValue(i.target, i.unit)}</Row>
      </dl>
      <p className="nhsuk-body-s">
        Counts of 1 to 7 are not shown, nor any value that would let one be worked out; such a point is left
        out of the chart. The chart needs at least 13 months, or 12 quarters, for its limits and icons.
      </p>
      <h2 className="nhsuk-heading-m">The same indicator elsewhere</h2>
      <ul className="nhsuk-list">
        {areas
          .filter((a) => a.code !== area.code)
          .map((a) => (
            <li key={a.code}>
              <Link to={href(a, period)}>{a.name}</Link>
            </li>
          ))}
      </ul>
      <p>
        <Link to="/outcomes">Back to the outcomes framework</Link>
      </p>
    </>
  );
}

function Row({ label, children }: { label: string; children: string }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}
