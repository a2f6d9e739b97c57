// Teams as the case management pages need them: the place's Integrated Neighbourhood Teams (to refer a
// person to one) and the signed-in member of staff's own (whose referrals and caseload they work on).
import { type Organisation, organisation } from '../../../src/core/schemas/case.ts';
import { type Loaded, useApi } from '../api/use-api.ts';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';

export interface TeamRef {
  id: string;
  name: string;
}

/** The place's Integrated Neighbourhood Teams, by name. */
export function teamsOf(org: Organisation): TeamRef[] {
  return org.teams.map(({ id, name }) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The place's agencies and practitioners, loaded once per page. */
export function useOrganisation(): Loaded<Organisation> {
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  return useApi(placeId ? `/api/places/${encodeURIComponent(placeId)}/organisation` : null, organisation);
}

/**
 * The signed-in member of staff's team for case management, as the session names it: the one their
 * account is in, or for GP practice staff the Integrated Neighbourhood Team of their practice's
 * neighbourhood. `team` is null for staff in no team.
 */
export function useMyTeam(): Loaded<TeamRef | null> {
  const { careTeam } = useSignedIn().user;
  return { state: 'ready', data: careTeam };
}
