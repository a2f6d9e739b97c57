// One neighbourhood: who lives there, its wards, small areas, GP practices, its Integrated Neighbourhood
// Team and its Live Well sites, with a map of its small areas.
import { type ReactNode, useId } from 'react';
import { Link, useParams } from 'react-router';
import {
  lsoaFeatureCollection,
  type NeighbourhoodDetail,
  neighbourhoodCodeParam,
  neighbourhoodDetail,
} from '../../../src/core/schemas/place.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { DECILES, decileWords, formatNumber, formatPercent } from '../components/imd.ts';
import { Loading } from '../components/loading.tsx';
import { LsoaMap } from '../components/lsoa-map.tsx';
import { titleCaseOdsName } from '../components/ods-name.ts';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from './place-context.tsx';

export function NeighbourhoodPage() {
  const { code = '' } = useParams();
  const place = usePlace();
  // The place's overview lists its neighbourhoods, so an unknown code needs no call to the API.
  const isKnown =
    neighbourhoodCodeParam.safeParse(code).success &&
    (place.state !== 'ready' || place.data.neighbourhoods.some((n) => n.code === code));
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const base = placeId && isKnown ? `/api/places/${encodeURIComponent(placeId)}` : null;
  const detail = useApi(base && `${base}/neighbourhoods/${encodeURIComponent(code)}`, neighbourhoodDetail);

  if (!isKnown) return <UnknownNeighbourhood code={code} />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (detail.state === 'loading') return <Loading what="the neighbourhood" />;
  if (detail.state === 'failed') {
    if (detail.error.isNotFound) return <UnknownNeighbourhood code={code} />;
    return <ApiProblem error={detail.error} />;
  }
  return (
    <Neighbourhood
      detail={detail.data}
      boundariesUrl={`${base}/boundaries/lsoas?neighbourhood=${encodeURIComponent(code)}`}
    />
  );
}

function UnknownNeighbourhood({ code }: { code: string }) {
  return (
    <NotFoundPage what={`There is no neighbourhood called “${code}”. Choose one from the list above.`} />
  );
}

function Neighbourhood({ detail, boundariesUrl }: { detail: NeighbourhoodDetail; boundariesUrl: string }) {
  const id = useId();
  const { place, neighbourhood: n, wards, lsoas, practices, teams, liveWell } = detail;
  useStatusMessage(`${n.name} neighbourhood loaded`);
  const boundaries = useApi(boundariesUrl, lsoaFeatureCollection);
  const deprived = (n.populationByImd2019Decile[0] ?? 0) + (n.populationByImd2019Decile[1] ?? 0);
  const hasDerived =
    wards.some((w) => w.assignment !== 'sourced') || practices.some((p) => p.assignment !== 'sourced');

  return (
    <>
      <PageHeading>{`${n.name} neighbourhood`}</PageHeading>
      <p className="nhsuk-lede-text">
        {n.name} is one of the neighbourhoods of {place.name}. It covers {n.towns.replaceAll(';', ',')}.
      </p>

      <h2 className="nhsuk-heading-l">Summary</h2>
      <dl className="nhsuk-summary-list">
        <SummaryRow label="Towns">{n.towns.replaceAll(';', ',')}</SummaryRow>
        <SummaryRow label="Residents (ONS mid-2020 estimate)">{formatNumber(n.population)}</SummaryRow>
        <SummaryRow label="Households (Census 2021)">{formatNumber(n.households)}</SummaryRow>
        <SummaryRow label="Wards">{String(n.wardCount)}</SummaryRow>
        <SummaryRow label="Small areas (LSOAs)">{String(n.lsoaCount)}</SummaryRow>
        <SummaryRow label="GP practices">{String(n.practiceCount)}</SummaryRow>
        <SummaryRow label="Residents in the most deprived 20% of England (IMD 2019)">
          {`${formatNumber(deprived)} (${formatPercent(deprived, n.population)})`}
        </SummaryRow>
        <SummaryRow label="Average IMD 2025 score, weighted by residents">
          {`${n.imd2025ScoreWeighted.toFixed(1)} (higher means more deprived)`}
        </SummaryRow>
      </dl>

      <ScrollTable captionId={`${id}-mix`}>
        <table className="nhsuk-table nhsuk-table--compact">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={`${id}-mix`}>
            Deprivation mix: small areas and residents by national IMD 2019 decile
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                IMD 2019 decile
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                LSOAs
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Residents (ONS mid-2020)
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {DECILES.map((d, i) => (
              <tr className="nhsuk-table__row" key={d}>
                <th className="nhsuk-table__header" scope="row">
                  {decileWords(d)}
                </th>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {n.lsoasByImd2019Decile[i] ?? 0}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {formatNumber(n.populationByImd2019Decile[i] ?? 0)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>

      <h2 className="nhsuk-heading-l">Wards</h2>
      {hasDerived ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Which wards and practices belong to {n.name} is a working assignment, not an official boundary.
            “Sourced” means a published source names it; “derived” means Joined Up worked it out, for the
            reason given.
          </p>
        </div>
      ) : null}
      <ScrollTable captionId={`${id}-wards`}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={`${id}-wards`}>
            Wards in {n.name}
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Ward
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Residents
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                LSOAs
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                LSOAs in the most deprived 20%
              </th>
              <th className="nhsuk-table__header" scope="col">
                How it was assigned
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {wards.map((w) => (
              <tr className="nhsuk-table__row" key={w.code}>
                <th className="nhsuk-table__header" scope="row">
                  {w.name} <span className="app-code">{w.code}</span>
                </th>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatNumber(w.population)}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{w.lsoaCount}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{w.lsoasInMostDeprived20}</td>
                <td className="nhsuk-table__cell">
                  <Assignment assignment={w.assignment} evidence={w.evidence} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>

      <h2 className="nhsuk-heading-l">Small areas (LSOAs)</h2>
      <p className="nhsuk-body">
        Lower layer super output areas (LSOAs) are small areas of about 1,500 residents. Decile 1 is the most
        deprived 10% of areas in England. The IMD 2025 score is higher for more deprived areas.
      </p>
      <ScrollTable captionId={`${id}-lsoas`}>
        <table className="nhsuk-table nhsuk-table--compact">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={`${id}-lsoas`}>
            Small areas in {n.name}, most deprived first
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                LSOA
              </th>
              <th className="nhsuk-table__header" scope="col">
                Ward
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Residents
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                IMD 2019 decile
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                IMD 2025 decile
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                IMD 2025 score
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {lsoas.map((l) => (
              <tr className="nhsuk-table__row" key={l.code}>
                <th className="nhsuk-table__header" scope="row">
                  {l.name} <span className="app-code">{l.code}</span>
                </th>
                <td className="nhsuk-table__cell">{l.wardName}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {formatNumber(l.populationMid2020)}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{l.imd2019Decile}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{l.imd2025Decile}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{l.imd2025Score.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>

      <h2 className="nhsuk-heading-l">Map of {n.name}</h2>
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
          neighbourhoodNames={{ [n.code]: n.name }}
          label={`Map of the ${boundaries.data.features.length} LSOAs in ${n.name} shaded by national IMD 2019 decile`}
          showNeighbourhood={false}
        />
      ) : null}

      <h2 className="nhsuk-heading-l">GP practices</h2>
      <ScrollTable captionId={`${id}-practices`}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={`${id}-practices`}>
            GP practices in {n.name}
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Practice
              </th>
              <th className="nhsuk-table__header" scope="col">
                ODS code
              </th>
              <th className="nhsuk-table__header" scope="col">
                Primary care network (PCN)
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Patients registered (2021)
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {practices.map((p) => (
              <tr className="nhsuk-table__row" key={p.odsCode}>
                <th className="nhsuk-table__header" scope="row">
                  {titleCaseOdsName(p.name)}{' '}
                  {p.isOpen ? null : <strong className="nhsuk-tag nhsuk-tag--grey">Closed</strong>}{' '}
                  <span className="app-code">{p.postcode}</span>
                </th>
                <td className="nhsuk-table__cell">{p.odsCode}</td>
                <td className="nhsuk-table__cell">
                  {titleCaseOdsName(p.pcnName)} <span className="app-code">{p.pcnCode}</span>
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {formatNumber(p.listSize2021)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>

      <h2 className="nhsuk-heading-l">Integrated Neighbourhood Team</h2>
      {teams.length === 0 ? <p className="nhsuk-body">No team has been set up for {n.name} yet.</p> : null}
      {teams.map((t) => (
        <section key={t.id} aria-labelledby={`${id}-team-${t.id}`}>
          <h3 className="nhsuk-heading-m" id={`${id}-team-${t.id}`}>
            {t.name}
          </h3>
          <p className="nhsuk-body">The team’s roles. People are not named here.</p>
          <dl className="nhsuk-summary-list">
            {t.roles.map((r) => (
              <SummaryRow key={r.role} label={r.title}>
                {r.responsibility}
              </SummaryRow>
            ))}
          </dl>
        </section>
      ))}

      <h2 className="nhsuk-heading-l">Live Well</h2>
      {liveWell.length === 0 ? (
        <p className="nhsuk-body">There are no Live Well sites in {n.name} yet.</p>
      ) : null}
      {liveWell.length > 0 ? (
        <ul className="nhsuk-list app-live-well">
          {liveWell.map((s) => (
            <li key={s.id} className="app-live-well__item">
              <h3 className="nhsuk-heading-s app-live-well__name">{s.name}</h3>
              <p className="nhsuk-body-s app-live-well__meta">
                {s.town} · {s.kind} · {rollout(s.rolloutYear, s.rolloutYearEnd)}
              </p>
              <p className="nhsuk-body">{s.summary}</p>
            </li>
          ))}
        </ul>
      ) : null}

      <p className="nhsuk-body">
        <Link to="/">Back to the {place.name} borough overview</Link>
      </p>
    </>
  );
}

function SummaryRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

function Assignment({ assignment, evidence }: { assignment: string; evidence: string }) {
  const isSourced = assignment === 'sourced';
  const reason = evidence.replace(/^(sourced|derived):\s*/i, '');
  return (
    <>
      <strong className={`nhsuk-tag ${isSourced ? 'nhsuk-tag--green' : 'nhsuk-tag--yellow'}`}>
        {isSourced ? 'Sourced' : 'Derived'}
      </strong>
      <span className="app-evidence">{reason}</span>
    </>
  );
}

function rollout(start: number, end: number | null): string {
  if (end === null) return `from ${start}`;
  return `${start} to ${end}`;
}
