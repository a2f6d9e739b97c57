// A map of areas (wards or LSOAs) shaded by the value of any indicator, drawn as SVG with d3-geo: the
// shown values are split into groups of about equal size (quintiles by default; the rule and colours are
// in src/core/choropleth-classes.ts), values not shown are hatched, the legend gives each group's range,
// and the same facts are in a table for people who cannot see or use the map.

import { useId, useMemo } from 'react';
import {
  type ChoroplethClass,
  classOf,
  quantileClasses,
  quantileName,
} from '../../../src/core/choropleth-classes.ts';
import { type BoundaryCollection, bordersBetween, MAP_WIDTH, projectBoundaries } from './map-drawing.ts';
import { TableAlternative } from './table-alternative.tsx';

export interface ChoroplethArea {
  /** The area's code, as in its boundary's `properties.code` (such as E05014163). */
  code: string;
  name: string;
  /** The area it is part of, such as its neighbourhood. */
  parentName?: string;
  /** The value that sets its shade: null when there is none, or when it is suppressed. */
  value: number | null;
  /** The value as published, such as "1,234.5", or "*" when suppressed. */
  shown: string;
  /** Hidden to protect privacy (small numbers): hatched, and kept out of the groups. */
  suppressed: boolean;
  /** The value in words, added to the shape's title and the table, such as "fewer than 8 admissions". */
  words?: string;
}

export interface ChoroplethMapProps {
  /** The areas' boundaries, each with `properties.code` (GET /api/places/:placeId/boundaries/wards or lsoas). */
  boundaries: BoundaryCollection<{ code: string; name?: string }>;
  /** The value of each area, matched to the boundaries by code. */
  areas: readonly ChoroplethArea[];
  /** The map's accessible name and the table's caption: "Map of emergency admissions in Bury's 17 wards". */
  label: string;
  /** The legend's title and the table's value column: "Emergency admissions per 100,000 (age-standardised)". */
  legendTitle: string;
  /** What one area is: "Ward" or "LSOA". */
  areaKindLabel: string;
  /** How many groups to shade (2 to 7): 5, quintiles, unless said otherwise. */
  classes?: number;
  /**
   * A boundary property, such as "neighbourhood": thick lines are drawn where it changes between
   * neighbouring areas, and the legend says "Thick lines are the borders of the neighbourhoods."
   * Without it, only the outer edge is drawn.
   */
  boundaryLines?: string;
  /** What `parentName` is, for the table's column and the shapes' titles: "Neighbourhood" unless said. */
  parentKindLabel?: string;
  /** The legend's words for hatched suppressed values. */
  suppressedLabel?: string;
}

type Status = { kind: 'shown'; group: ChoroplethClass } | { kind: 'suppressed' } | { kind: 'missing' };

interface Row {
  code: string;
  name: string;
  parentName: string | undefined;
  area: ChoroplethArea | undefined;
  status: Status;
  d: string;
}

export function ChoroplethMap({
  boundaries,
  areas,
  label,
  legendTitle,
  areaKindLabel,
  classes = 5,
  boundaryLines,
  parentKindLabel = 'Neighbourhood',
  suppressedLabel = 'Not shown: fewer than 8 events',
}: ChoroplethMapProps) {
  const id = useId();
  const suppressedFill = `url(#${id}-suppressed)`;
  const missingFill = `url(#${id}-missing)`;
  const projected = useMemo(() => projectBoundaries(boundaries), [boundaries]);
  const lines = useMemo(
    () => (projected ? bordersBetween(projected, boundaryLines) : ''),
    [projected, boundaryLines],
  );
  const { rows, groups } = useMemo(() => {
    const byCode = new Map(areas.map((a) => [a.code, a]));
    const drawn = (projected?.collection.features ?? []).map((f) => ({
      feature: f,
      area: byCode.get(f.properties.code),
    }));
    const isShown = (a: ChoroplethArea | undefined): a is ChoroplethArea & { value: number } =>
      a !== undefined && !a.suppressed && a.value !== null && Number.isFinite(a.value);
    const classing = quantileClasses(
      drawn.flatMap(({ area }) => (isShown(area) ? [area.value] : [])),
      classes,
    );
    const rows: Row[] = drawn.map(({ feature, area }) => {
      const status: Status = isShown(area)
        ? {
            kind: 'shown',
            group: classing.classes[classOf(area.value, classing.breaks) - 1] as ChoroplethClass,
          }
        : area?.suppressed
          ? { kind: 'suppressed' }
          : { kind: 'missing' };
      return {
        code: feature.properties.code,
        name: area?.name ?? feature.properties.name ?? feature.properties.code,
        parentName: area?.parentName,
        area,
        status,
        d: projected?.path(feature) ?? '',
      };
    });
    return { rows, groups: classing };
  }, [projected, areas, classes]);

  const kind = inSentence(areaKindLabel);
  const kinds = plural(kind);
  const parentKind = inSentence(parentKindLabel);
  const hasParent = rows.some((r) => r.parentName !== undefined);
  const count = (which: Status['kind']) => rows.filter((r) => r.status.kind === which).length;
  const suppressedCount = count('suppressed');
  const missingCount = count('missing');
  const howMany = (n: number) => `${n.toLocaleString('en-GB')} ${n === 1 ? kind : kinds}`;

  const fillOf = (s: Status) =>
    s.kind === 'shown' ? s.group.colour : s.kind === 'suppressed' ? suppressedFill : missingFill;
  const valueWords = (r: Row) => {
    if (r.status.kind === 'missing') return 'no data';
    const shown = r.area?.shown ?? '';
    const words = r.area?.words ?? (r.status.kind === 'suppressed' ? inSentence(suppressedLabel) : undefined);
    return words ? `${shown} (${words})` : shown;
  };
  const groupWords = (s: Status) =>
    s.kind === 'shown'
      ? `${s.group.label} (group ${s.group.index} of ${groups.classes.length})`
      : s.kind === 'suppressed'
        ? suppressedLabel
        : 'No data';

  // By parent then name, as the deprivation map's table; areas with no parent given come last.
  const tableRows = [...rows].sort(
    (a, b) =>
      Number(a.parentName === undefined) - Number(b.parentName === undefined) ||
      (a.parentName ?? '').localeCompare(b.parentName ?? '') ||
      a.name.localeCompare(b.name),
  );

  return (
    <div className="app-map app-choropleth">
      <figure className="app-map__figure">
        <svg
          className="app-map__svg"
          viewBox={`0 0 ${MAP_WIDTH} ${projected?.height ?? 0}`}
          role="img"
          aria-labelledby={`${id}-label`}
          focusable="false"
        >
          <title id={`${id}-label`}>{label}</title>
          <defs>
            <Hatch id={`${id}-suppressed`} d="M4 0V8" />
            <Hatch id={`${id}-missing`} d="M4 0V8M0 4H8" />
          </defs>
          <g>
            {rows.map((r) => (
              <path key={r.code} d={r.d} fill={fillOf(r.status)} className="app-choropleth__area">
                <title>
                  {`${r.name}${r.parentName ? `, ${r.parentName} ${parentKind}` : ''}: ${valueWords(r)}`}
                </title>
              </path>
            ))}
          </g>
          <path
            d={lines}
            className={boundaryLines ? 'app-map__boundary' : 'app-map__boundary app-choropleth__outline'}
          />
        </svg>
        <figcaption className="app-map__caption">
          <h3 className="nhsuk-heading-xs app-map__legend-title" id={`${id}-legend`}>
            {legendTitle}
          </h3>
          <p className="nhsuk-body-s app-choropleth__rule">
            {ruleWords(groups.classes.length, classes, kind, kinds)}
          </p>
          <ul className="app-choropleth__legend" aria-labelledby={`${id}-legend`}>
            {groups.classes.map((g) => (
              <li key={g.index} className="app-map__legend-item">
                <Swatch fill={g.colour} />
                <span>
                  {g.label} <span className="app-choropleth__count">({howMany(g.size)})</span>
                </span>
              </li>
            ))}
            {suppressedCount > 0 ? (
              <li className="app-map__legend-item">
                <Swatch fill={suppressedFill} />
                <span>
                  {suppressedLabel}{' '}
                  <span className="app-choropleth__count">({howMany(suppressedCount)})</span>
                </span>
              </li>
            ) : null}
            {missingCount > 0 ? (
              <li className="app-map__legend-item">
                <Swatch fill={missingFill} />
                <span>
                  No data <span className="app-choropleth__count">({howMany(missingCount)})</span>
                </span>
              </li>
            ) : null}
          </ul>
          {boundaryLines ? (
            <p className="nhsuk-body-s app-map__note">
              Thick lines are the borders of the {plural(inSentence(boundaryLines))}.
            </p>
          ) : null}
        </figcaption>
      </figure>

      <TableAlternative what="map" caption={label}>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              {areaKindLabel}
            </th>
            {hasParent ? (
              <th className="nhsuk-table__header" scope="col">
                {parentKindLabel}
              </th>
            ) : null}
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              {legendTitle}
            </th>
            <th className="nhsuk-table__header" scope="col">
              Group on the map
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {tableRows.map((r) => (
            <tr className="nhsuk-table__row" key={r.code}>
              <th className="nhsuk-table__header" scope="row">
                {r.name} <span className="app-code">{r.code}</span>
              </th>
              {hasParent ? <td className="nhsuk-table__cell">{r.parentName ?? ''}</td> : null}
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {r.status.kind === 'missing' && !r.area?.shown ? 'No data' : r.area?.shown}
                {r.area?.words ? <span className="app-choropleth__words">{r.area.words}</span> : null}
              </td>
              <td className="nhsuk-table__cell">
                <Swatch fill={fillOf(r.status)} small />
                {groupWords(r.status)}
              </td>
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </div>
  );
}

/** A tile of grey lines on white, turned 45°: single lines for suppressed values, crossed for no data. */
function Hatch({ id, d }: { id: string; d: string }) {
  return (
    <pattern id={id} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="8" height="8" className="app-choropleth__hatch-ground" />
      <path d={d} className="app-choropleth__hatch" />
    </pattern>
  );
}

/** A legend key or table key: a square filled as the shapes are (the hatches are the map's own patterns). */
function Swatch({ fill, small = false }: { fill: string; small?: boolean }) {
  return (
    <svg
      className={small ? 'app-choropleth__key' : 'app-map__swatch app-choropleth__swatch'}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="24" height="24" fill={fill} />
    </svg>
  );
}

/** The classing rule in plain words, for the legend. */
function ruleWords(made: number, requested: number, kind: string, kinds: string): string {
  if (made === 0) return 'There are no values to shade.';
  if (made === 1) return `Every ${kind} shaded has the same value.`;
  const darker = 'Darker shades are higher values.';
  if (made === requested)
    return `Shaded in ${quantileName(requested)}: ${made} groups with about the same number of ${kinds} in each. ${darker}`;
  return `Shaded in ${made} groups with about the same number of ${kinds} in each (not ${requested}, as some ${kinds} have the same value). ${darker}`;
}

/** "Ward" → "ward"; an abbreviation such as "LSOA" stays as it is. */
function inSentence(word: string): string {
  return word === word.toUpperCase() ? word : word.charAt(0).toLowerCase() + word.slice(1);
}

function plural(word: string): string {
  return `${word}s`;
}
