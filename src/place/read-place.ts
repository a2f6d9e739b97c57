// Use cases that read a place: the borough overview and one neighbourhood's page.
import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.ts';
import type { NeighbourhoodDetail, PlaceOverview } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import {
  findPlace,
  liveWellSites,
  lsoasOf,
  neighbourhoodSummaries,
  practicesOf,
  teamsOf,
  wardsOf,
} from './place.store.ts';
import { readThroughPlaceCache } from './place-cache.ts';

type Db = Kysely<Database>;

async function requirePlace(db: Db, placeId: string) {
  const place = await findPlace(db, placeId);
  if (!place) throw new AppError('not-found', `There is no place "${placeId}". Load its place pack first.`);
  return place;
}

export function getPlaceOverview(db: Db, placeId: string): Promise<PlaceOverview> {
  return readThroughPlaceCache(db, placeId, 'overview', () => readPlaceOverview(db, placeId));
}

export function getNeighbourhoodDetail(db: Db, placeId: string, code: string): Promise<NeighbourhoodDetail> {
  return readThroughPlaceCache(db, placeId, `neighbourhood:${code}`, () =>
    readNeighbourhoodDetail(db, placeId, code),
  );
}

async function readPlaceOverview(db: Db, placeId: string): Promise<PlaceOverview> {
  const place = await requirePlace(db, placeId);
  const neighbourhoods = await neighbourhoodSummaries(db, placeId);
  const sum = (pick: (n: (typeof neighbourhoods)[number]) => number) =>
    neighbourhoods.reduce((t, n) => t + pick(n), 0);
  return {
    place: { ...place, loadedAt: new Date(place.loadedAt).toISOString() },
    neighbourhoods,
    totals: {
      lsoas: sum((n) => n.lsoaCount),
      lsoasInImd2019Decile1: sum((n) => n.lsoasByImd2019Decile[0] ?? 0),
      wards: sum((n) => n.wardCount),
      practices: sum((n) => n.practiceCount),
      populationMid2020: sum((n) => n.population),
    },
  };
}

async function readNeighbourhoodDetail(db: Db, placeId: string, code: string): Promise<NeighbourhoodDetail> {
  const place = await requirePlace(db, placeId);
  const [neighbourhood] = await neighbourhoodSummaries(db, placeId, code);
  if (!neighbourhood) throw new AppError('not-found', `${place.name} has no neighbourhood "${code}".`);
  const [wards, lsoas, practices, teams, liveWell] = await Promise.all([
    wardsOf(db, placeId, code),
    lsoasOf(db, placeId, code),
    practicesOf(db, placeId, code),
    teamsOf(db, placeId, code),
    liveWellSites(db, placeId, code),
  ]);
  return {
    place: { id: place.id, name: place.name },
    neighbourhood,
    wards,
    lsoas,
    practices,
    teams,
    liveWell,
  };
}
