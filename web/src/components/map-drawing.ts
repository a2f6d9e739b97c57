// Drawing area boundaries as SVG paths with d3-geo, shared by the maps (lsoa-map, choropleth-map): a
// Mercator projection fitted to the map's width, borders between groups of areas from the shared edges
// of a topology, and the area-weighted centre of each group for its label.
import rewind from '@turf/rewind';
import { type GeoPath, geoMercator, geoPath } from 'd3-geo';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { mesh } from 'topojson-client';
import { topology } from 'topojson-server';
import type { GeometryObject } from 'topojson-specification';

/** The width of every map's viewBox; its height follows from the shape of the place. */
export const MAP_WIDTH = 800;

/** The properties of one area's boundary, such as its code, name and neighbourhood. */
export type AreaProperties = Record<string, unknown>;

/** Boundaries as the API sends them (GeoJSON in WGS84), with whatever properties each kind of area has. */
export interface BoundaryCollection<P extends AreaProperties> {
  type: 'FeatureCollection';
  features: readonly {
    type: 'Feature';
    properties: P;
    geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] };
  }[];
}

export interface Projected<P extends AreaProperties> {
  /** The features, wound as d3-geo wants them. */
  collection: FeatureCollection<Polygon | MultiPolygon, P>;
  /** Draws a feature (or lines) as an SVG path's `d`. */
  path: GeoPath;
  /** The viewBox height for {@link MAP_WIDTH}. */
  height: number;
}

/** Fit a projection to the boundaries, with a small margin top and bottom. Null when there are none. */
export function projectBoundaries<P extends AreaProperties>(
  boundaries: BoundaryCollection<P>,
  width = MAP_WIDTH,
): Projected<P> | null {
  // GeoJSON (RFC 7946) winds outer rings anticlockwise; d3-geo wants them clockwise, or it fills the globe.
  const collection = rewind(structuredClone(boundaries) as FeatureCollection<Polygon | MultiPolygon, P>, {
    reverse: true,
    mutate: true,
  }) as FeatureCollection<Polygon | MultiPolygon, P>;
  if (collection.features.length === 0) return null;

  const projection = geoMercator().fitWidth(width, collection);
  const path = geoPath(projection);
  const [[, y0], [, y1]] = path.bounds(collection);
  const margin = 4;
  projection.translate([projection.translate()[0], projection.translate()[1] - y0 + margin]);
  const height = Math.ceil(y1 - y0 + margin * 2);
  return { collection, path, height };
}

/**
 * The borders between areas whose `property` differs (such as their neighbourhood), and the outer
 * edge of them all, as one SVG path, from the shared arcs of a topology. Without a property, the outer
 * edge alone.
 */
export function bordersBetween<P extends AreaProperties>(projected: Projected<P>, property?: string): string {
  const topo = topology({ areas: projected.collection });
  const areas = topo.objects.areas as GeometryObject<P>;
  const lines = mesh(topo, areas, (a, b) => {
    const pa = a.properties as Record<string, unknown> | undefined;
    const pb = b.properties as Record<string, unknown> | undefined;
    return a === b || (property !== undefined && pa?.[property] !== pb?.[property]);
  });
  return projected.path(lines) ?? '';
}

/** The centre of each group of areas (by `groupOf`), weighted by the areas' size on the map. */
export function groupCentres<P extends AreaProperties>(
  projected: Projected<P>,
  groupOf: (properties: P) => string,
): { code: string; x: number; y: number }[] {
  const { collection, path } = projected;
  const sums = new Map<string, { x: number; y: number; area: number }>();
  for (const f of collection.features) {
    const area = path.area(f);
    const [cx, cy] = path.centroid(f);
    const group = groupOf(f.properties);
    const s = sums.get(group) ?? { x: 0, y: 0, area: 0 };
    s.x += cx * area;
    s.y += cy * area;
    s.area += area;
    sums.set(group, s);
  }
  return [...sums].map(([code, s]) => ({ code, x: s.x / s.area, y: s.y / s.area }));
}
