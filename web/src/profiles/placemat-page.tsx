// A placemat: the one-page profile of the borough, a neighbourhood or a ward. Every figure with its 95%
// interval and its comparison with the borough in colour and words; the age pyramid with a table; life
// expectancy and the inequality gap. Prints on A4 and downloads as PDF, CSV and JSON.

import { type ReactNode, useId } from 'react';
import { Link, useParams } from 'react-router';
import {
  areaCodeParam,
  areaKindParam,
  type PlacematBody,
  type ProfileFigure,
  placemat,
} from '../../../src/core/schemas/profile.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { areaTitle, comparisonTag, formatInterval, formatValue, longDate } from './format.ts';
import { PopulationPyramid } from './population-pyramid.tsx';
import { ProfileTable } from './profile-table.tsx';

const SECTIONS: { group: ProfileFigure['group']; title: string; intro?: string }[] = [
  { group: 'population', title: 'Age' },
  {
    group: 'deprivation',
    title: 'Deprivation',
    intro: 'Residents by the national deprivation quintile of the small area they live in.',
  },
  {
    group: 'conditions',
    title: 'Long-term conditions',
    intro:
      'Recorded prevalence: residents with the condition on their GP record, as a share of all residents.',
  },
  {
    group: 'segments',
    title: 'Risk segments',
    intro: 'Every resident falls in one segment (Bridges to Health).',
  },
  { group: 'activity', title: 'Hospital and care activity' },
  { group: 'deaths', title: 'Deaths' },
];

export function PlacematPage() {
  const { areaKind = '', code = '' } = useParams();
  const place = usePlace();
  const isValid = areaKindParam.safeParse(areaKind).success && areaCodeParam.safeParse(code).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const url =
    placeId && isValid
      ? `/api/places/${encodeURIComponent(placeId)}/profiles/${areaKind}/${encodeURIComponent(code)}`
      : null;
  const loaded = useApi(url, placemat);
  if (!isValid) return <NotFoundPage what="There is no such area. Choose one from the list of profiles." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (loaded.state === 'loading') return <Loading what="the placemat" />;
  if (loaded.state === 'failed') {
    if (loaded.error.isNotFound) return <NotFoundPage what={loaded.error.message} />;
    return <ApiProblem error={loaded.error} />;
  }
  return (
    <Placemat
      body={loaded.data}
      url={url ?? ''}
      boroughName={place.state === 'ready' ? place.data.place.name : ''}
    />
  );
}

function Placemat({ body, url, boroughName }: { body: PlacematBody; url: string; boroughName: string }) {
  const title = `${areaTitle(body.area)} placemat`;
  useStatusMessage(`${title} loaded`);
  const isBorough = body.area.kind === 'borough';
  return (
    <article className="app-placemat">
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-lede-text">
        {`Residents on ${longDate(body.referenceDate)}: `}
        <strong>{body.population.shown}</strong>
        {body.parent ? (
          <>
            {'. Part of '}
            <Link to={profileHref(body.parent)}>{areaTitle(body.parent)}</Link>
          </>
        ) : null}
        .
      </p>
      <p className="nhsuk-body-s">
        {`Activity and deaths are for the year from ${longDate(nextDay(body.yearFrom))} to ${longDate(body.referenceDate)}; life expectancy pools the three years from ${longDate(nextDay(body.lifeFrom))}. `}
        Counts of 1 to 7 are shown as *, and any figure that would let one be worked out is hidden too; other
        counts are rounded to the nearest 5. People who have opted out of sharing their data for planning are
        not counted. Intervals are 95% confidence intervals.
        {isBorough ? null : ` Each figure is compared with ${boroughName}.`}
      </p>
      <div className="app-placemat__actions app-print-hidden">
        <a className="nhsuk-link" href={`${url}/download/pdf`} download>
          Download as PDF
        </a>
        <a className="nhsuk-link" href={`${url}/download/csv`} download>
          Download as CSV
        </a>
        <a className="nhsuk-link" href={`${url}/download/json`} download>
          Download as JSON
        </a>
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary app-placemat__print"
          onClick={() => window.print()}
        >
          Print
        </button>
      </div>

      <section className="app-placemat__section">
        <h2 className="nhsuk-heading-m" id="pyramid">
          Population
        </h2>
        <PopulationPyramid
          pyramid={body.pyramid}
          population={body.population.value}
          label={`Residents of ${areaTitle(body.area)} by age and sex`}
        />
      </section>

      {SECTIONS.map((s) => {
        const figures = body.figures.filter((f) => f.group === s.group);
        if (figures.length === 0) return null;
        return (
          <FigureSection
            key={s.group}
            title={s.title}
            intro={s.intro}
            figures={figures}
            isBorough={isBorough}
          />
        );
      })}

      <LifeExpectancy body={body} isBorough={isBorough} />
      <Inequality body={body} boroughName={boroughName} />

      {body.children.length > 0 ? (
        <section className="app-placemat__section app-print-hidden">
          <h2 className="nhsuk-heading-m" id="within">
            {body.area.kind === 'borough' ? 'Neighbourhood placemats' : 'Ward placemats'}
          </h2>
          <ul className="nhsuk-list">
            {body.children.map((c) => (
              <li key={c.code}>
                <Link to={profileHref(c)}>{`${areaTitle(c)} placemat`}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

export const profileHref = (a: { kind: string; code: string }) =>
  `/profiles/${a.kind}/${encodeURIComponent(a.code)}`;
const nextDay = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function FigureSection({
  title,
  intro,
  figures,
  isBorough,
}: {
  title: string;
  intro?: string;
  figures: ProfileFigure[];
  isBorough: boolean;
}) {
  const id = useId();
  return (
    <section className="app-placemat__section">
      <h2 className="nhsuk-heading-m" id={id}>
        {title}
      </h2>
      {intro ? <p className="nhsuk-body-s">{intro}</p> : null}
      <ProfileTable
        caption={title}
        columns={[
          { label: 'Indicator' },
          { label: 'Count', isNumeric: true },
          { label: 'Value', isNumeric: true },
          { label: '95% interval', isNumeric: true },
          !isBorough && { label: 'Compared with the borough' },
        ]}
        className="nhsuk-table nhsuk-table--compact app-placemat__table"
      >
        {figures.map((f) => (
          <FigureRow key={f.id} figure={f} isBorough={isBorough} />
        ))}
      </ProfileTable>
    </section>
  );
}

function FigureRow({ figure: f, isBorough }: { figure: ProfileFigure; isBorough: boolean }) {
  const tag = comparisonTag(f.comparison);
  return (
    <tr className="nhsuk-table__row">
      <th className="nhsuk-table__header app-placemat__indicator" scope="row">
        {f.label}
        {f.note ? <span className="app-placemat__note">{f.note}</span> : null}
      </th>
      <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{f.count}</td>
      <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatValue(f.value, f.unit)}</td>
      <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
        {formatInterval(f.lower, f.upper, f.unit)}
      </td>
      {isBorough ? null : (
        <td className="nhsuk-table__cell">
          <strong className={tag.className}>{tag.words}</strong>
        </td>
      )}
    </tr>
  );
}

const SEX_WORDS = { female: 'Females', male: 'Males', persons: 'Everyone' } as const;

function LifeExpectancy({ body, isBorough }: { body: PlacematBody; isBorough: boolean }) {
  const id = useId();
  return (
    <section className="app-placemat__section">
      <h2 className="nhsuk-heading-m" id={id}>
        Life expectancy
      </h2>
      <p className="nhsuk-body-s">
        Years a person would live on average at today’s death rates (Chiang II abridged life table, three
        years pooled).
      </p>
      <ProfileTable
        caption="Life expectancy at birth and at 65"
        columns={[
          { label: 'Life expectancy' },
          { label: 'Years', isNumeric: true },
          { label: '95% interval', isNumeric: true },
          !isBorough && { label: 'Gap with the borough', isNumeric: true },
          !isBorough && { label: 'Compared with the borough' },
        ]}
        className="nhsuk-table nhsuk-table--compact app-placemat__table"
      >
        {body.lifeExpectancy.map((le) => {
          const tag = comparisonTag(le.comparison);
          return (
            <tr className="nhsuk-table__row" key={`${le.sex}-${le.age}`}>
              <th className="nhsuk-table__header app-placemat__indicator" scope="row">
                {`${SEX_WORDS[le.sex]}, ${le.age === 0 ? 'at birth' : 'at 65'}`}
                {le.note ? <span className="app-placemat__note">{le.note}</span> : null}
              </th>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{years(le.value)}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {le.lower === null || le.upper === null ? '–' : `${years(le.lower)} to ${years(le.upper)}`}
              </td>
              {isBorough ? null : (
                <>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{gapWords(le.gap)}</td>
                  <td className="nhsuk-table__cell">
                    <strong className={tag.className}>{tag.words}</strong>
                  </td>
                </>
              )}
            </tr>
          );
        })}
      </ProfileTable>
    </section>
  );
}

const years = (v: number | null) => (v === null ? '–' : v.toFixed(1));
function gapWords(gap: number | null): string {
  if (gap === null) return '–';
  if (Math.abs(gap) < 0.05) return 'the same';
  return `${Math.abs(gap).toFixed(1)} years ${gap > 0 ? 'longer' : 'shorter'}`;
}

function Inequality({ body, boroughName }: { body: PlacematBody; boroughName: string }): ReactNode {
  const id = useId();
  return (
    <section className="app-placemat__section">
      <h2 className="nhsuk-heading-m" id={id}>
        The inequality gap
      </h2>
      <p className="nhsuk-body-s">
        {`The slope index of inequality in ${boroughName}: the gap in life expectancy between the most and the least deprived ends of the borough, across its small areas ranked into ten groups by deprivation.`}
      </p>
      <ProfileTable
        caption="Slope index of inequality in life expectancy"
        columns={[
          { label: 'Gap in life expectancy' },
          { label: 'Years', isNumeric: true },
          { label: '95% interval', isNumeric: true },
        ]}
        className="nhsuk-table nhsuk-table--compact app-placemat__table"
      >
        {body.inequality.map((g) => (
          <tr className="nhsuk-table__row" key={`${g.sex}-${g.age}`}>
            <th className="nhsuk-table__header" scope="row">
              {`${SEX_WORDS[g.sex]}, ${g.age === 0 ? 'at birth' : 'at 65'}`}
            </th>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{years(g.sii)}</td>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
              {g.lower === null || g.upper === null ? '–' : `${years(g.lower)} to ${years(g.upper)}`}
            </td>
          </tr>
        ))}
      </ProfileTable>
    </section>
  );
}
