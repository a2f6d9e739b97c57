// The profiles: a placemat for the borough, each neighbourhood and each ward, the maps, and the outcomes
// framework, all as of the last refresh.
import { Link } from 'react-router';
import { profileIndex } from '../../../src/core/schemas/profile.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { areaTitle, longDate } from './format.ts';
import { profileHref } from './placemat-page.tsx';

export function ProfileListPage() {
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const index = useApi(placeId && `/api/places/${encodeURIComponent(placeId)}/profiles`, profileIndex);
  useStatusMessage(index.state === 'ready' ? 'Profiles loaded' : '');
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (index.state === 'loading') return <Loading what="the profiles" />;
  if (index.state === 'failed') {
    if (index.error.isNotFound) return <NotFoundPage what={index.error.message} />;
    return <ApiProblem error={index.error} />;
  }
  const { areas, referenceDate, peopleCounted, peopleOptedOut } = index.data;
  const borough = areas.find((a) => a.kind === 'borough');
  const neighbourhoods = areas.filter((a) => a.kind === 'neighbourhood');
  return (
    <>
      <PageHeading>Neighbourhood profiles</PageHeading>
      <p className="nhsuk-lede-text">
        Placemats for {borough?.name ?? 'the borough'}, its neighbourhoods and their wards, computed from the
        population Joined Up holds on {longDate(referenceDate)}.
      </p>
      <p className="nhsuk-body-s">
        {`About ${peopleCounted} residents are counted. About ${peopleOptedOut} residents who have opted out of sharing their data for planning are left out.`}
      </p>
      <ul className="nhsuk-list nhsuk-list--bullet">
        <li>
          <Link to="/outcomes">Outcomes framework</Link>: each indicator by month and quarter, special-cause
          change first
        </li>
        <li>
          <Link to="/maps">Maps</Link>: any figure for every ward or small area
        </li>
      </ul>
      {borough ? (
        <>
          <h2 className="nhsuk-heading-m">Borough</h2>
          <p>
            <Link to={profileHref(borough)}>{`${borough.name} placemat`}</Link>
          </p>
        </>
      ) : null}
      <h2 className="nhsuk-heading-m">Neighbourhoods and their wards</h2>
      {neighbourhoods.map((n) => (
        <div key={n.code}>
          <h3 className="nhsuk-heading-s">
            <Link to={profileHref(n)}>{`${areaTitle(n)} placemat`}</Link>
          </h3>
          <ul className="nhsuk-list app-ward-list">
            {areas
              .filter((w) => w.kind === 'ward' && w.parent === n.code)
              .map((w) => (
                <li key={w.code}>
                  <Link to={profileHref(w)}>{`${areaTitle(w)} placemat`}</Link>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </>
  );
}
