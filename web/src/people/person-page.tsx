// One resident: any safeguarding concern first, why the viewer may see the record, who they are and
// where they live, their data opt-outs, their risk scores with why in plain words, and their A&E
// attendances and emergency admissions in the last 12 months. Everything stored is shown as text.
import { type ReactNode, useId } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { formatDate } from '../../../src/core/dates.ts';
import {
  type PersonDetail,
  personDetail,
  personIdParam,
  type ScoreExplanation,
} from '../../../src/core/schemas/person.ts';
import { mayDo, mayOpen } from '../access/pages.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { Loading } from '../components/loading.tsx';
import { titleCaseOdsName } from '../components/ods-name.ts';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSession, useSignedIn } from '../session/session-context.tsx';

export function PersonPage() {
  const { personId = '' } = useParams();
  const place = usePlace();
  const isId = personIdParam.safeParse(personId).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const detail = useApi(
    placeId && isId
      ? `/api/places/${encodeURIComponent(placeId)}/people/${encodeURIComponent(personId)}`
      : null,
    personDetail,
  );

  if (!isId) return <UnknownPerson />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (detail.state === 'loading') return <Loading what="the person’s record" />;
  if (detail.state === 'failed') {
    if (detail.error.isNotFound) return <NoRecord />;
    return <ApiProblem error={detail.error} />;
  }
  return <Person detail={detail.data} />;
}

function UnknownPerson() {
  return <NotFoundPage what="There is no one with this web address in Joined Up. Check the address." />;
}

/** A person who does not exist and one the viewer may not see look the same, so nothing leaks. */
function NoRecord() {
  const { current } = useSession();
  const role = current.state === 'signed-in' ? current.session.user.role : '';
  useStatusMessage('There is no record you can see');
  return (
    <>
      <PageHeading>There is no record you can see</PageHeading>
      <p className="nhsuk-body">There is no record you can see for this person.</p>
      <p className="nhsuk-body">
        You can see a person’s record only when you have a care relationship with them: they are registered
        with your GP practice, or on one of your team’s worklists.
      </p>
      {mayOpen(role, 'findPerson') ? (
        <p className="nhsuk-body">
          You can <Link to="/people">find a person by their NHS number</Link>.
        </p>
      ) : null}
    </>
  );
}

/** How a relationship is named by the API, in words that finish "You can see this record because …". */
const BECAUSE: Readonly<Record<string, string>> = {
  'registered practice': 'they are registered with your GP practice.',
  worklist: 'they are on one of your team’s worklists.',
  'break-glass': 'you broke glass to see it. This is recorded and will be reviewed.',
};

/** NHS.UK tag colours, from the lowest level to the highest. */
const TAG_COLOURS = ['nhsuk-tag--grey', 'nhsuk-tag--yellow', 'nhsuk-tag--orange', 'nhsuk-tag--red'];

const MODEL_NAMES: Readonly<Record<string, string>> = {
  efi: 'Electronic Frailty Index',
  hfrs: 'Hospital Frailty Risk Score',
  charlson: 'Charlson Comorbidity Index',
  ltc: 'Long-term conditions',
  unplannedCare: 'Unplanned hospital care',
  core20plus5: 'Core20PLUS5',
  segment: 'Population segments',
};

const SEX = { female: 'Female', male: 'Male' } as const;

function Person({ detail }: { detail: PersonDetail }) {
  const id = useId();
  const { person: p, risk, unplannedCare, safeguarding, optOuts } = detail;
  const name = `${p.givenName} ${p.familyName}`;
  const location = useLocation();
  const { user } = useSignedIn();
  const breakGlassUntil =
    detail.access.expiresAt ?? (location.state as { breakGlassUntil?: string } | null)?.breakGlassUntil;
  useStatusMessage(
    `Record of ${name} loaded${safeguarding.length > 0 ? ', with a safeguarding concern' : ''}`,
  );

  return (
    <>
      <PageHeading>{name}</PageHeading>
      {safeguarding.map((c) => (
        <div className="nhsuk-card nhsuk-card--warning" key={`${c.category}|${c.raisedOn}`}>
          <div className="nhsuk-card__content">
            <h2 className="nhsuk-card__heading">
              <span className="nhsuk-u-visually-hidden">Important: </span>Safeguarding concern: {c.category}
            </h2>
            <p className="nhsuk-body">Raised on {formatDate(c.raisedOn)}.</p>
            {c.detail === null ? (
              <p className="nhsuk-body">Contact {c.contact} for details.</p>
            ) : (
              <>
                <p className="nhsuk-body app-preserve-lines">{c.detail}</p>
                <p className="nhsuk-body">Contact: {c.contact}.</p>
              </>
            )}
          </div>
        </div>
      ))}
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>
          You can see this record because{' '}
          {BECAUSE[detail.access.relationship] ?? `of: ${detail.access.relationship}.`}
          {detail.access.relationship === 'break-glass' && breakGlassUntil
            ? ` You can see it until ${formatTimestamp(breakGlassUntil)}.`
            : ''}
        </p>
      </div>
      {p.dateOfDeath ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            {name} died on {formatDate(p.dateOfDeath)}.
          </p>
        </div>
      ) : null}

      <ul className="nhsuk-list">
        <li>
          <Link to={`/people/${encodeURIComponent(p.id)}/timeline`}>See their timeline</Link>
        </li>
        {mayDo(user.role, 'referPeople') ? (
          <li>
            <Link to={`/refer?personId=${encodeURIComponent(p.id)}`}>
              Refer to the INT
              <span className="nhsuk-u-visually-hidden"> (Integrated Neighbourhood Team)</span>
            </Link>
          </li>
        ) : null}
      </ul>

      <h2 className="nhsuk-heading-l">Details</h2>
      <dl className="nhsuk-summary-list">
        <SummaryRow label="NHS number">{p.nhsNumber ?? 'Not recorded'}</SummaryRow>
        <SummaryRow label="Date of birth">{formatDate(p.dateOfBirth)}</SummaryRow>
        <SummaryRow label="Age">{`${p.age} (on ${formatDate(p.ageOn)})`}</SummaryRow>
        {p.dateOfDeath ? <SummaryRow label="Date of death">{formatDate(p.dateOfDeath)}</SummaryRow> : null}
        <SummaryRow label="Sex">{SEX[p.sex]}</SummaryRow>
        <SummaryRow label="Ethnic category">{p.ethnicCategory.name}</SummaryRow>
        <SummaryRow label="Neighbourhood">
          {p.neighbourhood ? (
            <Link to={`/neighbourhoods/${encodeURIComponent(p.neighbourhood.code)}`}>
              {p.neighbourhood.name}
            </Link>
          ) : (
            'Not in one of the place’s neighbourhoods'
          )}
        </SummaryRow>
        <SummaryRow label="Ward">{p.ward ? <Named area={p.ward} /> : 'Not known'}</SummaryRow>
        <SummaryRow label="Small area (LSOA)">{p.lsoa ? <Named area={p.lsoa} /> : 'Not known'}</SummaryRow>
        <SummaryRow label="GP practice">
          {p.practice ? (
            <Named area={{ code: p.practice.code, name: titleCaseOdsName(p.practice.name) }} />
          ) : (
            'Not known'
          )}
        </SummaryRow>
        <SummaryRow label="Data opt-outs">
          <OptOuts optOuts={optOuts} />
        </SummaryRow>
      </dl>

      <h2 className="nhsuk-heading-l">Risk scores</h2>
      {risk ? (
        <>
          <p className="nhsuk-body">
            Scores worked out from {p.givenName}’s records up to {formatDate(risk.asOf)}. Open “Why this
            score” to see what counted.
          </p>
          {risk.explanations.map((e) => (
            <ScoreCard key={e.model} explanation={e} headingId={`${id}-${e.model}`} />
          ))}
        </>
      ) : (
        <p className="nhsuk-body">{detail.noRiskReason}</p>
      )}

      <h2 className="nhsuk-heading-l">Recent unplanned care</h2>
      {unplannedCare.events.length === 0 ? (
        <p className="nhsuk-body">
          No A&amp;E attendances or emergency admissions in the 12 months to {formatDate(unplannedCare.to)}.
        </p>
      ) : (
        <ScrollTable captionId={`${id}-unplanned`}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={`${id}-unplanned`}>
              A&amp;E attendances and emergency admissions in the 12 months to {formatDate(unplannedCare.to)},
              newest first
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Date
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Type of care
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Main diagnosis (ICD-10 code)
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {unplannedCare.events.map((e) => (
                <tr className="nhsuk-table__row" key={e.seq}>
                  <td className="nhsuk-table__cell app-nowrap">{formatDate(e.date)}</td>
                  <td className="nhsuk-table__cell">{e.kindLabel}</td>
                  <td className="nhsuk-table__cell">{e.primaryDiagnosis ?? 'Not recorded'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}

      {risk ? (
        <div className="nhsuk-u-margin-top-6">
          <p className="nhsuk-body-s nhsuk-u-secondary-text-colour nhsuk-u-margin-bottom-2">
            Scores as of {formatDate(risk.asOf)}, worked out on {formatTimestamp(risk.computedAt)}. Model
            versions:
          </p>
          <ul className="nhsuk-list nhsuk-body-s nhsuk-u-secondary-text-colour">
            {Object.entries(risk.modelVersions).map(([model, version]) => (
              <li key={model}>
                {MODEL_NAMES[model] ?? model}: <span className="app-code">{version}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

function ScoreCard({ explanation: e, headingId }: { explanation: ScoreExplanation; headingId: string }) {
  return (
    <section className="nhsuk-card" aria-labelledby={headingId}>
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-m" id={headingId}>
          {e.title}
        </h3>
        {e.band ? (
          <p className="nhsuk-body nhsuk-u-margin-bottom-3">
            <strong className={`nhsuk-tag ${TAG_COLOURS[e.band.level] ?? 'nhsuk-tag--grey'}`}>
              {e.band.label}
            </strong>
          </p>
        ) : null}
        <p className="nhsuk-body">{e.summary}</p>
        <details className="nhsuk-details nhsuk-u-margin-bottom-0">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              Why this score<span className="nhsuk-u-visually-hidden">: {e.title}</span>
            </span>
          </summary>
          <div className="nhsuk-details__text">
            {e.reasons.length > 0 ? (
              <ul className="nhsuk-list nhsuk-list--bullet">
                {e.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            ) : (
              <p className="nhsuk-body">Nothing in the records counted towards this.</p>
            )}
            <h4 className="nhsuk-heading-xs">How it works</h4>
            <ul className="nhsuk-list nhsuk-body-s">
              {e.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </div>
        </details>
      </div>
    </section>
  );
}

function OptOuts({ optOuts }: { optOuts: PersonDetail['optOuts'] }) {
  if (!optOuts.nationalDataOptOut && !optOuts.type1Objection)
    return <>None. Their data may be used for planning and research as well as for their care.</>;
  return (
    <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
      {optOuts.nationalDataOptOut ? (
        <li>
          National data opt-out: their data is not used for planning or research. Their care is not affected.
        </li>
      ) : null}
      {optOuts.type1Objection ? (
        <li>
          Type 1 objection: their GP record is not shared for anything other than their care. Their care is
          not affected.
        </li>
      ) : null}
    </ul>
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

function Named({ area }: { area: { code: string; name: string } }) {
  return (
    <>
      {area.name} <span className="app-code">{area.code}</span>
    </>
  );
}

const TIMESTAMP = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

/** '2026-12-03T08:08:54Z' → '3 December 2026 at 08:08' (UK time). */
function formatTimestamp(iso: string): string {
  return TIMESTAMP.format(new Date(iso));
}
