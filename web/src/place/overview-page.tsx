// The borough overview: its neighbourhoods side by side, their deprivation mix and a map of every LSOA.
import { useId } from 'react';
import { Link } from 'react-router';
import { lsoaFeatureCollection, type PlaceOverview } from '../../../src/core/schemas/place.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { DECILES, formatNumber, formatPercent } from '../components/imd.ts';
import { Loading } from '../components/loading.tsx';
import { LsoaMap } from '../components/lsoa-map.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from './place-context.tsx';

export function OverviewPage() {
  const place = usePlace();
  if (place.state === 'loading') return <Loading what="the borough overview" />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  return <Overview overview={place.data} />;
}

const mostDeprived20 = (byDecile: number[]) => (byDecile[0] ?? 0) + (byDecile[1] ?? 0);

function Overview({ overview }: { overview: PlaceOverview }) {
  const id = useId();
  const { place, neighbourhoods, totals } = overview;
  useStatusMessage(`${place.name} borough overview loaded`);
  const boundaries = useApi(
    `/api/places/${encodeURIComponent(place.id)}/boundaries/lsoas`,
    lsoaFeatureCollection,
  );
  const names = Object.fromEntries(neighbourhoods.map((n) => [n.code, n.name]));
  const totalDeprived = neighbourhoods.reduce(
    (sum, n) => sum + mostDeprived20(n.populationByImd2019Decile),
    0,
  );
  const totalMix = DECILES.map((_, i) =>
    neighbourhoods.reduce((sum, n) => sum + (n.lsoasByImd2019Decile[i] ?? 0), 0),
  );

  return (
    <>
      <PageHeading>{`${place.name} borough overview`}</PageHeading>
      <p className="nhsuk-lede-text">
        {place.name} is a {place.kind} in {place.region} with {neighbourhoods.length} neighbourhoods. Each
        neighbourhood has its own Integrated Neighbourhood Team.
      </p>
      <p className="nhsuk-body">
        Resident numbers are the Office for National Statistics (ONS) mid-2020 estimates for each small area
        (LSOA). The most deprived 20% means small areas in the 2 most deprived tenths (deciles 1 and 2) of
        England in the Index of Multiple Deprivation (IMD) 2019.
      </p>

      <h2 className="nhsuk-heading-l">Neighbourhoods</h2>
      <ScrollTable captionId={`${id}-neighbourhoods`}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={`${id}-neighbourhoods`}>
            {place.name}’s neighbourhoods
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Neighbourhood
              </th>
              <th className="nhsuk-table__header" scope="col">
                Towns
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Residents (ONS mid-2020)
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Wards
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                LSOAs
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                GP practices
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Residents in the most deprived 20%
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {neighbourhoods.map((n) => (
              <tr className="nhsuk-table__row" key={n.code}>
                <th className="nhsuk-table__header" scope="row">
                  <Link to={`/neighbourhoods/${encodeURIComponent(n.code)}`}>{n.name}</Link>
                </th>
                <td className="nhsuk-table__cell">{n.towns.replaceAll(';', ',')}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatNumber(n.population)}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n.wardCount}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n.lsoaCount}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n.practiceCount}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {formatPercent(mostDeprived20(n.populationByImd2019Decile), n.population)}
                </td>
              </tr>
            ))}
            <tr className="nhsuk-table__row app-total-row">
              <th className="nhsuk-table__header" scope="row">
                {place.name} (all)
              </th>
              <td className="app-total nhsuk-table__cell" />
              <td className="app-total nhsuk-table__cell nhsuk-table__cell--numeric">
                {formatNumber(totals.populationMid2020)}
              </td>
              <td className="app-total nhsuk-table__cell nhsuk-table__cell--numeric">{totals.wards}</td>
              <td className="app-total nhsuk-table__cell nhsuk-table__cell--numeric">{totals.lsoas}</td>
              <td className="app-total nhsuk-table__cell nhsuk-table__cell--numeric">{totals.practices}</td>
              <td className="app-total nhsuk-table__cell nhsuk-table__cell--numeric">
                {formatPercent(totalDeprived, totals.populationMid2020)}
              </td>
            </tr>
          </tbody>
        </table>
      </ScrollTable>

      <h2 className="nhsuk-heading-l">Deprivation mix</h2>
      <p className="nhsuk-body">
        How many small areas (LSOAs) each neighbourhood has in each national IMD 2019 decile. Decile 1 is the
        most deprived 10% of areas in England; decile 10 is the least deprived.
      </p>
      <ScrollTable captionId={`${id}-mix`}>
        <table className="nhsuk-table nhsuk-table--compact">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={`${id}-mix`}>
            LSOAs by national IMD 2019 decile
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Neighbourhood
              </th>
              {DECILES.map((d) => (
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col" key={d}>
                  <span className="nhsuk-u-visually-hidden">Decile </span>
                  {d}
                  {d === 1 ? <span className="app-decile-note"> most deprived</span> : null}
                  {d === 10 ? <span className="app-decile-note"> least deprived</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {neighbourhoods.map((n) => (
              <tr className="nhsuk-table__row" key={n.code}>
                <th className="nhsuk-table__header" scope="row">
                  <Link to={`/neighbourhoods/${encodeURIComponent(n.code)}`}>{n.name}</Link>
                </th>
                {n.lsoasByImd2019Decile.map((count, i) => (
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric" key={DECILES[i]}>
                    {count}
                  </td>
                ))}
              </tr>
            ))}
            <tr className="nhsuk-table__row app-total-row">
              <th className="nhsuk-table__header" scope="row">
                {place.name} (all)
              </th>
              {totalMix.map((count, i) => (
                <td className="app-total nhsuk-table__cell nhsuk-table__cell--numeric" key={DECILES[i]}>
                  {count}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </ScrollTable>

      <h2 className="nhsuk-heading-l">Map of deprivation</h2>
      <p className="nhsuk-body">
        Each shape is a small area (LSOA), shaded by its national IMD 2019 decile. Darker shapes are more
        deprived.
      </p>
      {boundaries.state === 'loading' ? <p className="nhsuk-body app-loading">Loading the map…</p> : null}
      {boundaries.state === 'failed' ? (
        <p className="nhsuk-body">
          The map could not be loaded: {boundaries.error.message}
          {boundaries.error.reference ? ` (reference ${boundaries.error.reference})` : ''}
        </p>
      ) : null}
      {boundaries.state === 'ready' ? (
        <LsoaMap
          boundaries={boundaries.data}
          neighbourhoodNames={names}
          label={`Map of ${place.name}’s ${boundaries.data.features.length} LSOAs shaded by national IMD 2019 decile, with neighbourhood borders`}
          showNeighbourhood
        />
      ) : null}
    </>
  );
}
