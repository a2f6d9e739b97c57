// An age pyramid: males to the left, females to the right, oldest at the top, each bar a share of the
// area's residents; the same counts as a table for people who cannot see or use the chart.

import { useId } from 'react';
import type { PlacematBody } from '../../../src/core/schemas/profile.ts';
import { TableAlternative } from '../components/table-alternative.tsx';

const WIDTH = 640;
const LABEL = 64;
const BAR = 13;
const GAP = 3;

export function PopulationPyramid({
  pyramid,
  population,
  label,
}: {
  pyramid: PlacematBody['pyramid'];
  /** The area's residents as published: each band is a share of them. */
  population: number | null;
  label: string;
}) {
  const id = useId();
  const total = population ?? [...pyramid.female, ...pyramid.male].reduce((t, c) => t + (c.value ?? 0), 0);
  const share = (v: number | null) => (v === null || total === 0 ? 0 : v / total);
  const largest = Math.max(0.001, ...[...pyramid.female, ...pyramid.male].map((c) => share(c.value)));
  const half = (WIDTH - LABEL) / 2;
  const scale = (half - 40) / largest;
  const rows = pyramid.bands
    .map((band, i) => ({ band, female: pyramid.female[i], male: pyramid.male[i] }))
    .reverse();
  const height = rows.length * (BAR + GAP) + 24;
  const percent = (v: number | null) => (v === null ? '*' : `${(share(v) * 100).toFixed(1)}%`);

  return (
    <div className="app-pyramid">
      <svg
        className="app-pyramid__svg"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        focusable="false"
      >
        <title
          id={`${id}-title`}
        >{`${label}: a pyramid of the share of residents in each five-year age band, males left and females right. The same figures are in the table below.`}</title>
        <text x={half / 2} y={12} textAnchor="middle" className="app-pyramid__heading">
          Males
        </text>
        <text x={half + LABEL + half / 2} y={12} textAnchor="middle" className="app-pyramid__heading">
          Females
        </text>
        {rows.map((r, i) => {
          const y = 22 + i * (BAR + GAP);
          const m = share(r.male?.value ?? null) * scale;
          const f = share(r.female?.value ?? null) * scale;
          return (
            <g key={r.band}>
              <rect
                x={half - m}
                y={y}
                width={m}
                height={BAR}
                className="app-pyramid__bar app-pyramid__bar--male"
              />
              <text x={half - m - 4} y={y + BAR - 3} textAnchor="end" className="app-pyramid__value">
                {percent(r.male?.value ?? null)}
              </text>
              <text x={half + LABEL / 2} y={y + BAR - 3} textAnchor="middle" className="app-pyramid__band">
                {r.band}
              </text>
              <rect
                x={half + LABEL}
                y={y}
                width={f}
                height={BAR}
                className="app-pyramid__bar app-pyramid__bar--female"
              />
              <text x={half + LABEL + f + 4} y={y + BAR - 3} className="app-pyramid__value">
                {percent(r.female?.value ?? null)}
              </text>
            </g>
          );
        })}
      </svg>
      <TableAlternative
        what="pyramid"
        caption={label}
        tableClassName="nhsuk-table nhsuk-table--compact"
        className="app-print-hidden"
      >
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Age
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Males
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Females
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {[...rows].reverse().map((r) => (
            <tr className="nhsuk-table__row" key={r.band}>
              <th className="nhsuk-table__header" scope="row">
                {r.band}
              </th>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{`${r.male?.shown ?? '0'} (${percent(r.male?.value ?? null)})`}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{`${r.female?.shown ?? '0'} (${percent(r.female?.value ?? null)})`}</td>
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </div>
  );
}
