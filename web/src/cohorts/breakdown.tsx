// A cohort's residents by neighbourhood and deprivation quintile, as planning counts: people who opted
// out are left out, counts are rounded to 5 and 1 to 7 shown as "*" (so are totals over a hidden
// count). A stacked bar chart for a quick look, drawing only the counts that are shown, and the same
// figures as a table (the chart's text alternative).
import type { Breakdown, DisclosedCount } from '../../../src/core/schemas/cohort.ts';
import { ScrollTable } from '../components/scroll-table.tsx';

const QUINTILES = [1, 2, 3, 4, 5] as const;
const QUINTILE_LABEL = ['1 (most deprived)', '2', '3', '4', '5 (least deprived)'];
const HIDDEN: DisclosedCount = { shown: '*', value: null, isSuppressed: true };

/** The purpose label every planning count carries, with what it leaves out. */
export function PlanningNote({ note }: { note: string }) {
  return (
    <p className="nhsuk-body-s app-planning-note">
      <strong className="nhsuk-tag nhsuk-tag--blue">For planning</strong> {note}
    </p>
  );
}

/** What "*" means, said wherever a hidden count is on the page. */
export const HIDDEN_EXPLAINED =
  '* means the number is hidden to protect people’s privacy: it is between 1 and 7, or it is a total that includes such a number.';

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
    breakdown.cells.find((c) => c.neighbourhood === n && c.quintile === q)?.people ?? HIDDEN;
  const rows = neighbourhoods.map((n) => ({
    ...n,
    counts: QUINTILES.map((q) => cell(n.code, q)),
    total: breakdown.neighbourhoodTotals.find((t) => t.neighbourhood === n.code)?.people ?? HIDDEN,
  }));
  const drawn = (r: (typeof rows)[number]) => r.counts.reduce((t, c) => t + (c.value ?? 0), 0);
  const max = Math.max(1, ...rows.map(drawn));
  const anyHidden = breakdown.total.isSuppressed || breakdown.cells.some((c) => c.people.isSuppressed);
  const captionId = `${idPrefix}-caption`;
  const barHeight = 28;
  const labelWidth = 110;
  const width = 640;
  return (
    <>
      <PlanningNote note={breakdown.note} />
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
            const hasHidden = r.counts.some((c) => c.isSuppressed);
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
                  if (count.value === null) return null;
                  const w = (count.value / max) * (width - labelWidth - 110);
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
                  {hasHidden ? `${r.total.shown} (some hidden)` : r.total.shown}
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
          {anyHidden ? 'Hidden counts (*) are not drawn. ' : ''}The same figures are in the table below.
        </figcaption>
      </figure>
      <ScrollTable captionId={captionId}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
            People in the cohort by neighbourhood and deprivation quintile (planning counts)
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
                    {count.shown}
                  </td>
                ))}
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{r.total.shown}</td>
              </tr>
            ))}
            <tr className="nhsuk-table__row">
              <th scope="row" className="nhsuk-table__header">
                All neighbourhoods
              </th>
              {QUINTILES.map((q) => (
                <td key={q} className="nhsuk-table__cell nhsuk-table__cell--numeric app-total">
                  {(breakdown.quintileTotals.find((t) => t.quintile === q)?.people ?? HIDDEN).shown}
                </td>
              ))}
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric app-total">
                {breakdown.total.shown}
              </td>
            </tr>
          </tbody>
        </table>
      </ScrollTable>
      {anyHidden ? <p className="nhsuk-body-s">{HIDDEN_EXPLAINED}</p> : null}
    </>
  );
}
