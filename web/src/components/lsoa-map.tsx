// A map of LSOAs shaded by national IMD 2019 decile, drawn as SVG with d3-geo, with a visible legend and
// the same facts as a table for people who cannot see or use the map.

import { useId, useMemo } from 'react';
import { Link } from 'react-router';
import type { LsoaFeatureCollection } from '../../../src/core/schemas/place.ts';
import { DECILES, decileClass, decileWords } from './imd.ts';
import { bordersBetween, groupCentres, MAP_WIDTH, projectBoundaries } from './map-drawing.ts';
import { TableAlternative } from './table-alternative.tsx';

export interface LsoaMapProps {
  boundaries: LsoaFeatureCollection;
  /** Neighbourhood names by code, for titles, labels and the table. */
  neighbourhoodNames: Record<string, string>;
  /** The map's accessible name, such as "Map of Bury's 120 LSOAs shaded by IMD 2019 decile". */
  label: string;
  /** Show the neighbourhood column in the table (leave out on a single neighbourhood's page). */
  showNeighbourhood: boolean;
}

export function LsoaMap({ boundaries, neighbourhoodNames, label, showNeighbourhood }: LsoaMapProps) {
  const id = useId();
  const drawn = useMemo(() => drawMap(boundaries), [boundaries]);
  const nameOf = (code: string) => neighbourhoodNames[code] ?? code;
  const rows = [...boundaries.features].sort(
    (a, b) =>
      nameOf(a.properties.neighbourhood).localeCompare(nameOf(b.properties.neighbourhood)) ||
      a.properties.name.localeCompare(b.properties.name),
  );

  return (
    <div className="app-map">
      <figure className="app-map__figure">
        <svg
          className="app-map__svg"
          viewBox={`0 0 ${MAP_WIDTH} ${drawn.height}`}
          role="img"
          aria-labelledby={`${id}-label`}
          focusable="false"
        >
          <title id={`${id}-label`}>{label}</title>
          <g>
            {drawn.shapes.map((s) => (
              <path key={s.code} d={s.d} className={`app-map__lsoa ${decileClass(s.decile)}`}>
                <title>
                  {`${s.name}, ${s.ward} ward, ${nameOf(s.neighbourhood)} neighbourhood: IMD 2019 decile ${decileWords(s.decile)}`}
                </title>
              </path>
            ))}
          </g>
          <path d={drawn.neighbourhoodLines} className="app-map__boundary" />
          {showNeighbourhood
            ? drawn.labels.map((l) => (
                <text
                  key={l.code}
                  x={l.x}
                  y={l.y}
                  className="app-map__label"
                  textAnchor="middle"
                  dominantBaseline="middle"
                >
                  {nameOf(l.code)}
                </text>
              ))
            : null}
        </svg>
        <figcaption className="app-map__caption">
          <h3 className="nhsuk-heading-xs app-map__legend-title" id={`${id}-legend`}>
            IMD 2019 national decile
          </h3>
          <ul className="app-map__legend" aria-labelledby={`${id}-legend`}>
            {DECILES.map((d) => (
              <li key={d} className="app-map__legend-item">
                <span className={`app-map__swatch ${decileClass(d)}`} aria-hidden="true" />
                {decileWords(d)}
              </li>
            ))}
          </ul>
          {showNeighbourhood ? (
            <p className="nhsuk-body-s app-map__note">Thick lines are the borders of the neighbourhoods.</p>
          ) : null}
        </figcaption>
      </figure>

      <TableAlternative what="map" caption={label}>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              LSOA
            </th>
            <th className="nhsuk-table__header" scope="col">
              Ward
            </th>
            {showNeighbourhood ? (
              <th className="nhsuk-table__header" scope="col">
                Neighbourhood
              </th>
            ) : null}
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              IMD 2019 decile
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((f) => (
            <tr className="nhsuk-table__row" key={f.properties.code}>
              <th className="nhsuk-table__header" scope="row">
                {f.properties.name} <span className="app-code">{f.properties.code}</span>
              </th>
              <td className="nhsuk-table__cell">{f.properties.ward}</td>
              {showNeighbourhood ? (
                <td className="nhsuk-table__cell">
                  <Link to={`/neighbourhoods/${encodeURIComponent(f.properties.neighbourhood)}`}>
                    {nameOf(f.properties.neighbourhood)}
                  </Link>
                </td>
              ) : null}
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {decileWords(f.properties.imd2019Decile)}
              </td>
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </div>
  );
}

interface Drawn {
  height: number;
  shapes: { code: string; name: string; ward: string; neighbourhood: string; decile: number; d: string }[];
  neighbourhoodLines: string;
  labels: { code: string; x: number; y: number }[];
}

function drawMap(boundaries: LsoaFeatureCollection): Drawn {
  const projected = projectBoundaries(boundaries);
  if (!projected) return { height: 0, shapes: [], neighbourhoodLines: '', labels: [] };
  const shapes = projected.collection.features.map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    ward: f.properties.ward,
    neighbourhood: f.properties.neighbourhood,
    decile: f.properties.imd2019Decile,
    d: projected.path(f) ?? '',
  }));
  return {
    height: projected.height,
    shapes,
    // Borders between neighbourhoods, and the outer edge; each neighbourhood labelled at its centre.
    neighbourhoodLines: bordersBetween(projected, 'neighbourhood'),
    labels: groupCentres(projected, (p) => p.neighbourhood),
  };
}
