// A statistical process control (XmR) chart in the Making Data Count style, drawn as SVG from an
// `xmrChart()` result: the values joined by a line, the mean, the process limits (dashed), the target
// (if any), and each point coloured and shaped by what it shows (never colour alone). The variation and
// assurance icons sit with it in words, and the same figures are in a table below (the chart's text
// alternative).

import { useId } from 'react';
import {
  ASSURANCE_LABELS,
  describeRule,
  POINT_TYPE_LABELS,
  type SpcChart as SpcChartResult,
  type SpcPoint,
  type SpcPointType,
  VARIATION_LABELS,
} from '../../../src/stats/spc.ts';
import { AssuranceIcon, VariationIcon } from './spc-icons.tsx';
import { TableAlternative } from './table-alternative.tsx';

export interface SpcChartProps {
  chart: SpcChartResult;
  /** One label a point, in the same order, such as "April 2024". */
  periods: readonly string[];
  /** How a value is shown, such as `(v) => formatNumber(Math.round(v))`. */
  formatValue: (value: number) => string;
  /** What is measured, such as "Emergency admissions a month": the chart's name and the table's caption. */
  title: string;
  /** The value axis's label; the title when not given. */
  valueLabel?: string;
  /** The period axis's label and the table's first column; "Period" when not given. */
  periodLabel?: string;
}

const WIDTH = 800;
const HEIGHT = 380;
const MARGIN = { top: 20, right: 150, bottom: 64, left: 80 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
const MAX_PERIOD_LABELS = 6;

type Tone = 'common' | 'improvement' | 'concern' | 'neither';

const TONE: Record<SpcPointType, Tone> = {
  'common-cause': 'common',
  'special-cause-improvement': 'improvement',
  'special-cause-concern': 'concern',
  'special-cause-neither': 'neither',
};

/** What a point shows, in words, for its title and the table. */
export function pointWords(point: SpcPoint, runLength: 6 | 7): string {
  if (point.value === null) return 'No value';
  if (point.pointType === null) return 'Not judged: too few values';
  if (point.specialCause === null) return POINT_TYPE_LABELS[point.pointType];
  return `${POINT_TYPE_LABELS[point.pointType]}: ${describeRule(point.specialCause, runLength)}`;
}

/** A step of 1, 2, 2.5 or 5 × a power of 10 giving about `count` ticks, and the ticks from lo to hi. */
function niceTicks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  if ((ticks.at(-1) ?? lo) < hi) ticks.push(Number(((ticks.at(-1) ?? lo) + step).toPrecision(12)));
  return ticks;
}

/** A shape for each kind of point, so that the kind shows without colour. */
function Marker({ tone, x, y }: { tone: Tone; x: number; y: number }) {
  switch (tone) {
    case 'improvement':
      return <rect x={x - 5.5} y={y - 5.5} width="11" height="11" />;
    case 'concern':
      return <path d={`M${x} ${y - 7.5}L${x + 7.5} ${y}L${x} ${y + 7.5}L${x - 7.5} ${y}Z`} />;
    case 'neither':
      return <path d={`M${x} ${y - 7.5}L${x + 7} ${y + 5.5}L${x - 7} ${y + 5.5}Z`} />;
    case 'common':
      return <circle cx={x} cy={y} r="4.5" />;
  }
}

const LEGEND: Record<Tone, string> = {
  common: 'Common cause variation (circle)',
  improvement: 'Special cause – improvement (square)',
  concern: 'Special cause – concern (diamond)',
  neither: 'Special cause – neither improvement nor concern (triangle)',
};

export function SpcChart({
  chart,
  periods,
  formatValue,
  title,
  valueLabel,
  periodLabel = 'Period',
}: SpcChartProps) {
  const id = useId();
  const { runLength, minimumPoints, polarity, target } = chart.options;
  const points = chart.points;
  const observed = points.flatMap((p, i) =>
    p.value === null ? [] : [{ point: p, index: i, value: p.value }],
  );
  const periodOf = (i: number) => periods[i] ?? `${i + 1}`;
  const show = (value: number | null, otherwise: string) => (value === null ? otherwise : formatValue(value));

  // Scales: the value axis covers every value, the mean, the limits and the target.
  const span = [
    ...observed.map((o) => o.value),
    chart.mean,
    chart.lowerProcessLimit,
    chart.upperProcessLimit,
    target,
  ].filter((v): v is number => v !== null);
  let lo = span.length > 0 ? Math.min(...span) : 0;
  let hi = span.length > 0 ? Math.max(...span) : 1;
  if (hi - lo < 1e-9) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const ticks = niceTicks(lo, hi, 5);
  const yMin = ticks[0] ?? lo;
  const yMax = ticks.at(-1) ?? hi;
  const y = (v: number) => MARGIN.top + PLOT_HEIGHT - ((v - yMin) / (yMax - yMin)) * PLOT_HEIGHT;
  const x = (i: number) =>
    MARGIN.left + (points.length <= 1 ? PLOT_WIDTH / 2 : (i * PLOT_WIDTH) / (points.length - 1));

  // The line breaks at a missing value.
  let line = '';
  let drawing = false;
  points.forEach((p, i) => {
    if (p.value === null) {
      drawing = false;
      return;
    }
    line += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)} ${y(p.value).toFixed(1)}`;
    drawing = true;
  });

  const every = Math.max(1, Math.ceil(points.length / MAX_PERIOD_LABELS));
  const labelled = points.map((_, i) => i).filter((i) => i % every === 0);

  // Horizontal lines, labelled at the right; labels are nudged apart so they do not overlap.
  const lines = [
    {
      key: 'upper',
      value: chart.upperProcessLimit,
      label: 'Upper process limit',
      className: 'app-spc-chart__limit',
    },
    { key: 'mean', value: chart.mean, label: 'Mean', className: 'app-spc-chart__mean' },
    {
      key: 'lower',
      value: chart.lowerProcessLimit,
      label: 'Lower process limit',
      className: 'app-spc-chart__limit',
    },
    { key: 'target', value: target, label: 'Target', className: 'app-spc-chart__target' },
  ].flatMap((l) => (l.value === null ? [] : [{ ...l, value: l.value, y: y(l.value) }]));
  const labelY = new Map<string, number>();
  let last = Number.NEGATIVE_INFINITY;
  for (const l of [...lines].sort((a, b) => a.y - b.y)) {
    const at = Math.max(l.y + 5, last + 16);
    labelY.set(l.key, at);
    last = at;
  }

  const first = observed[0];
  const latest = observed.at(-1);
  const name =
    first && latest
      ? `${title}: chart of ${observed.length} values, ${periodOf(first.index)} to ${periodOf(latest.index)}`
      : `${title}: no values yet`;
  const summary = chart.enoughPoints
    ? [
        `Mean ${show(chart.mean, '')}; process limits ${show(chart.lowerProcessLimit, '')} to ${show(chart.upperProcessLimit, '')}.`,
        `Latest point: ${VARIATION_LABELS[chart.variation]}.`,
        chart.assurance === 'none' ? '' : `Target ${show(target, '')}: ${ASSURANCE_LABELS[chart.assurance]}.`,
      ]
        .filter(Boolean)
        .join(' ')
    : `Fewer than ${minimumPoints} values, so no process limits are shown.`;
  const tones: Tone[] = !chart.enoughPoints
    ? ['common']
    : polarity === 'neither'
      ? ['common', 'neither']
      : ['common', 'improvement', 'concern'];

  return (
    <div className="app-spc-chart">
      <figure className="app-spc-chart__figure">
        <svg
          className="app-spc-chart__svg"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-labelledby={`${id}-name`}
          aria-describedby={`${id}-summary`}
          focusable="false"
        >
          <title id={`${id}-name`}>{name}</title>
          <desc id={`${id}-summary`}>{summary}</desc>

          <g className="app-spc-chart__axis">
            {ticks.map((t) => (
              <g key={t}>
                <line
                  x1={MARGIN.left}
                  x2={MARGIN.left + PLOT_WIDTH}
                  y1={y(t)}
                  y2={y(t)}
                  className="app-spc-chart__grid"
                />
                <text x={MARGIN.left - 8} y={y(t) + 5} textAnchor="end" className="app-spc-chart__text">
                  {formatValue(t)}
                </text>
              </g>
            ))}
            <line
              x1={MARGIN.left}
              x2={MARGIN.left + PLOT_WIDTH}
              y1={MARGIN.top + PLOT_HEIGHT}
              y2={MARGIN.top + PLOT_HEIGHT}
              className="app-spc-chart__baseline"
            />
            {labelled.map((i) => (
              <text
                key={i}
                x={x(i)}
                y={MARGIN.top + PLOT_HEIGHT + 22}
                textAnchor="middle"
                className="app-spc-chart__text"
              >
                {periodOf(i)}
              </text>
            ))}
            <text
              x={MARGIN.left + PLOT_WIDTH / 2}
              y={HEIGHT - 12}
              textAnchor="middle"
              className="app-spc-chart__text app-spc-chart__axis-label"
            >
              {periodLabel}
            </text>
            <text
              transform={`translate(18 ${MARGIN.top + PLOT_HEIGHT / 2}) rotate(-90)`}
              textAnchor="middle"
              className="app-spc-chart__text app-spc-chart__axis-label"
            >
              {valueLabel ?? title}
            </text>
          </g>

          {lines.map((l) => (
            <g key={l.key}>
              <line
                x1={MARGIN.left}
                x2={MARGIN.left + PLOT_WIDTH}
                y1={l.y}
                y2={l.y}
                className={l.className}
              />
              <text x={MARGIN.left + PLOT_WIDTH + 8} y={labelY.get(l.key)} className="app-spc-chart__text">
                {l.label}
              </text>
            </g>
          ))}

          <path d={line} className="app-spc-chart__series" />
          {observed.map(({ point, index, value }) => {
            const tone = point.pointType === null ? 'common' : TONE[point.pointType];
            return (
              <g key={index} className={`app-spc-chart__point app-spc-chart__point--${tone}`}>
                <title>{`${periodOf(index)}: ${formatValue(value)}. ${pointWords(point, runLength)}`}</title>
                <Marker tone={tone} x={x(index)} y={y(value)} />
              </g>
            );
          })}
        </svg>

        <figcaption className="app-spc-chart__caption">
          {chart.enoughPoints ? (
            <ul className="app-spc-chart__icons">
              <li className="app-spc-chart__icon-item">
                <VariationIcon variation={chart.variation} size={40} isDecorative />
                <span>
                  <strong>Latest point:</strong> {VARIATION_LABELS[chart.variation]}
                </span>
              </li>
              {chart.assurance === 'none' ? null : (
                <li className="app-spc-chart__icon-item">
                  <AssuranceIcon assurance={chart.assurance} size={40} isDecorative />
                  <span>
                    <strong>Target {show(target, '')}:</strong> {ASSURANCE_LABELS[chart.assurance]}
                  </span>
                </li>
              )}
            </ul>
          ) : (
            <p className="nhsuk-body-s">
              There are fewer than {minimumPoints} values, so process limits, special causes and icons are not
              shown yet.
            </p>
          )}
          <ul className="app-spc-chart__legend">
            {tones.map((tone) => (
              <li key={tone} className="app-spc-chart__legend-item">
                <svg
                  className={`app-spc-chart__point app-spc-chart__point--${tone}`}
                  viewBox="0 0 20 20"
                  width="20"
                  height="20"
                  aria-hidden="true"
                  focusable="false"
                >
                  <Marker tone={tone} x={10} y={10} />
                </svg>
                {chart.enoughPoints ? LEGEND[tone] : 'Value (too few values to judge)'}
              </li>
            ))}
            {chart.enoughPoints ? (
              <li className="app-spc-chart__legend-item">
                <svg viewBox="0 0 28 20" width="28" height="20" aria-hidden="true" focusable="false">
                  <line x1="0" x2="28" y1="10" y2="10" className="app-spc-chart__limit" />
                </svg>
                Process limits (dashed)
              </li>
            ) : null}
            {target === null ? null : (
              <li className="app-spc-chart__legend-item">
                <svg viewBox="0 0 28 20" width="28" height="20" aria-hidden="true" focusable="false">
                  <line x1="0" x2="28" y1="10" y2="10" className="app-spc-chart__target" />
                </svg>
                Target (dotted)
              </li>
            )}
          </ul>
        </figcaption>
      </figure>

      <TableAlternative what="chart" caption={title}>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              {periodLabel}
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Value
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Mean
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Lower process limit
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Upper process limit
            </th>
            <th className="nhsuk-table__header" scope="col">
              What the point shows
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {points.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: points are fixed positions in the series
            <tr className="nhsuk-table__row" key={i}>
              <th className="nhsuk-table__header" scope="row">
                {periodOf(i)}
              </th>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{show(p.value, 'No value')}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{show(p.mean, 'Not shown')}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {show(p.lowerProcessLimit, 'Not shown')}
              </td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {show(p.upperProcessLimit, 'Not shown')}
              </td>
              <td className="nhsuk-table__cell">{pointWords(p, runLength)}</td>
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </div>
  );
}
