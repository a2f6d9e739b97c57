// Every page of one case (the case itself, its plan, people, consent, reviews, contacts, closing and
// history) loads the case and the place's organisation the same way, and says the same when there is no
// case the viewer may see at the address: a case that does not exist and one they may not see look alike.
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import {
  type CaseDetail,
  caseDetail,
  caseIdParam,
  type Organisation,
} from '../../../src/core/schemas/case.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useOrganisation } from './team.ts';

export interface LoadedCase {
  placeId: string;
  detail: CaseDetail;
  org: Organisation;
}

export function CaseLoader({
  what,
  children,
}: {
  what: string;
  children: (loaded: LoadedCase) => ReactNode;
}) {
  const { caseId = '' } = useParams();
  const place = usePlace();
  const isId = caseIdParam.safeParse(caseId).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const detail = useApi(
    placeId && isId ? `/api/places/${encodeURIComponent(placeId)}/cases/${caseId}` : null,
    caseDetail,
  );
  const org = useOrganisation();
  const notFound = (
    <NotFoundPage what="There is no case you can see at this web address. You can see a case when you work in its team or on the case. Staff of agencies outside health and social care see it only when the person has agreed to share it with their agency." />
  );
  if (!isId) return notFound;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  for (const loaded of [detail, org])
    if (loaded.state === 'failed')
      return loaded.error.isNotFound ? notFound : <ApiProblem error={loaded.error} />;
  if (!placeId || detail.state !== 'ready' || org.state !== 'ready') return <Loading what={what} />;
  return children({ placeId, detail: detail.data, org: org.data });
}

/** The address of a case's page, or one of its pages ("plan", "close", …). */
export const caseHref = (caseId: string, page?: string) => `/cases/${caseId}${page ? `/${page}` : ''}`;
