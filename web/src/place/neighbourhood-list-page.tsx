// The neighbourhoods of the place, each with a short summary and a link to its page.
import { Link } from 'react-router';
import { ApiProblem } from '../components/api-problem.tsx';
import { formatNumber } from '../components/imd.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from './place-context.tsx';

export function NeighbourhoodListPage() {
  const place = usePlace();
  if (place.state === 'loading') return <Loading what="the neighbourhoods" />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  return <List name={place.data.place.name} neighbourhoods={place.data.neighbourhoods} />;
}

function List({
  name,
  neighbourhoods,
}: {
  name: string;
  neighbourhoods: {
    code: string;
    name: string;
    towns: string;
    population: number;
    lsoaCount: number;
    practiceCount: number;
  }[];
}) {
  useStatusMessage(`Neighbourhoods in ${name} loaded`);
  return (
    <>
      <PageHeading>{`Neighbourhoods in ${name}`}</PageHeading>
      <p className="nhsuk-lede-text">
        {name} has {neighbourhoods.length} neighbourhoods. Each has its own Integrated Neighbourhood Team.
      </p>
      <ul className="nhsuk-grid-row nhsuk-card-group">
        {neighbourhoods.map((n) => (
          <li className="nhsuk-grid-column-one-third nhsuk-card-group__item" key={n.code}>
            <div className="nhsuk-card nhsuk-card--clickable">
              <div className="nhsuk-card__content">
                <h2 className="nhsuk-card__heading nhsuk-heading-m">
                  <Link className="nhsuk-card__link" to={`/neighbourhoods/${encodeURIComponent(n.code)}`}>
                    {n.name}
                  </Link>
                </h2>
                <p className="nhsuk-card__description">{n.towns.replaceAll(';', ',')}</p>
                <p className="nhsuk-body-s">
                  {formatNumber(n.population)} residents (ONS mid-2020), {n.lsoaCount} small areas,{' '}
                  {n.practiceCount} GP practices
                </p>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
