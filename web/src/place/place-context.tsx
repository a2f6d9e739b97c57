// The place the pages show: the first place the server holds (today, Bury), with its overview. Loaded
// once by the layout, when someone is signed in, and shared by the header, the neighbourhood switcher and
// the pages.
import { createContext, type ReactNode, useContext } from 'react';
import { type PlaceOverview, placeList, placeOverview } from '../../../src/core/schemas/place.ts';
import type { ApiError } from '../api/api-error.ts';
import { type Loaded, useApi } from '../api/use-api.ts';

export type PlaceState = Loaded<PlaceOverview> | { state: 'none'; data?: undefined; error?: undefined };

const PlaceContext = createContext<PlaceState>({ state: 'loading' });

export function PlaceProvider({ children, enabled }: { children: ReactNode; enabled: boolean }) {
  const places = useApi(enabled ? '/api/places' : null, placeList);
  const placeId = places.state === 'ready' ? (places.data.places[0]?.id ?? null) : null;
  const overview = useApi(
    placeId === null ? null : `/api/places/${encodeURIComponent(placeId)}`,
    placeOverview,
  );
  let value: PlaceState;
  if (places.state === 'failed') value = { state: 'failed', error: places.error as ApiError };
  else if (places.state === 'ready' && placeId === null) value = { state: 'none' };
  else value = overview;
  return <PlaceContext value={value}>{children}</PlaceContext>;
}

export function usePlace(): PlaceState {
  return useContext(PlaceContext);
}
