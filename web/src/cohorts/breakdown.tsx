// A cohort's residents by neighbourhood and deprivation quintile: a stacked bar chart for a quick look,
// and the same figures as a table (the chart's text alternative).
import type { Breakdown } from '../../../src/core/schemas/cohort.ts';
import { formatNumber } from '../components/imd.ts';
import { ScrollTable } from '../components/scroll-table.tsx';

const QUINTILES = [1, 2, 3, 4, 5] as const;
const QUINTILE_LABEL = ['1 (most deprived)', '2', '3', '4', '5 (least deprived)'];

export function BreakdownView({
  breakdown,
  neighbourhoods,
  idPrefix,
}: {
  breakdown: Breakdown;
  neighbourhoods: { code: string; name: string }[];
  idPrefix: string;
}) {
  const cell = (n: string, q: number) =>
    breakdown.cells.find((c) => c.neighbourhood === n && c.quintile === q)?.people ?? 0;
  const rows = neighbourhoods.map((n) => ({
    ...n,
    counts: QUINTILES.map((q) => cell(n.code, q)),
    total: QUINTILES.reduce((t, q) => t + cell(n.code, q), 0),
  }));
  const max = Math.max(1, ...rows.map((r) => r.total));
  const captionId = `${idPrefix}-caption`;
  const barHeight = 28;
  const labelWidth = 110;
  const width = 640;
  return (
    <>
      <figure className="app-breakdown">
        <svg
          className="app-breakdown__chart"
          viewBox={`0 0 ${width} ${rows.length * (barHeight + 10) + 10}`}
          aria-hidden="true"
          focusable="false"
        >
          {rows.map((r, i) => {
            let x = labelWidth;
            const y = 10 + i * (barHeight + 10);
            return (
              <g key={r.code}>
                <text
                  x={labelWidth - 8}
                  y={y + barHeight / 2 + 5}
                  textAnchor="end"
                  className="app-breakdown__label"
                >
                  {r.name}
                </text>
                {r.counts.map((count, q) => {
                  const w = (count / max) * (width - labelWidth - 70);
                  const rect = (
                    <rect
                      // biome-ignore lint/suspicious/noArrayIndexKey: quintiles are fixed positions
                      key={q}
                      x={x}
                      y={y}
                      width={w}
                      height={barHeight}
                      className={`app-quintile-fill-${q + 1}`}
                    />
                  );
                  x += w;
                  return rect;
                })}
                <text x={x + 6} y={y + barHeight / 2 + 5} className="app-breakdown__label">
                  {formatNumber(r.total)}
                </text>
              </g>
            );
          })}
        </svg>
        <figcaption className="nhsuk-body-s">
          <span className="app-breakdown__legend">
            Deprivation quintile (IMD 2019):{' '}
            {QUINTILE_LABEL.map((label, q) => (
              <span key={label} className="app-breakdown__legend-item">
                <span className={`app-breakdown__swatch app-quintile-fill-${q + 1}`} /> {label}
              </span>
            ))}
          </span>
          <br />
          The same figures are in the table below.
        </figcaption>
      </figure>
      <ScrollTable captionId={captionId}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
            People in the cohort by neighbourhood and deprivation quintile
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                Neighbourhood
              </th>
              {QUINTILE_LABEL.map((label) => (
                <th key={label} scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                  Quintile {label}
                </th>
              ))}
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                Total
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {rows.map((r) => (
              <tr key={r.code} className="nhsuk-table__row">
                <th scope="row" className="nhsuk-table__header">
                  {r.name}
                </th>
                {r.counts.map((count, q) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: quintiles are fixed positions
                  <td key={q} className="nhsuk-table__cell nhsuk-table__cell--numeric">
                    {formatNumber(count)}
                  </td>
                ))}
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatNumber(r.total)}</td>
              </tr>
            ))}
            <tr className="nhsuk-table__row">
              <th scope="row" className="nhsuk-table__header">
                All neighbourhoods
              </th>
              {QUINTILES.map((q) => (
                <td key={q} className="nhsuk-table__cell nhsuk-table__cell--numeric app-total">
                  {formatNumber(rows.reduce((t, r) => t + (r.counts[q - 1] ?? 0), 0))}
                </td>
              ))}
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric app-total">
                {formatNumber(breakdown.total)}
              </td>
            </tr>
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}
