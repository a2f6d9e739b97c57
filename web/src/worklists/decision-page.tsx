// Record a decision about one person on a worklist: what the team will do, why, and when to look again.
// Earlier decisions are listed with who made them and when.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { formatDate } from '../../../src/core/dates.ts';
import {
  DECISION_LABELS,
  DECISIONS,
  decisionResult,
  type WorklistPersonDetail,
  worklistDetail,
  worklistPersonDetail,
} from '../../../src/core/schemas/cohort.ts';
import { mayDo } from '../access/pages.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { nhsNumberShown } from '../cases/case-parts.tsx';
import { FRAILTY_LABEL } from '../cohorts/members-table.tsx';
import { formProblems } from '../cohorts/problems.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';

export function DecisionPage() {
  const { worklistId = '', personId = '' } = useParams();
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const base = placeId ? `/api/places/${placeId}/worklists/${worklistId}` : null;
  const worklist = useApi(base, worklistDetail);
  const person = useApi(base ? `${base}/people/${personId}` : null, worklistPersonDetail);
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  for (const loaded of [worklist, person])
    if (loaded.state === 'failed')
      return loaded.error.isNotFound ? (
        <NotFoundPage what="That person is not on this worklist." />
      ) : (
        <ApiProblem error={loaded.error} />
      );
  if (!placeId || worklist.state !== 'ready' || person.state !== 'ready')
    return <Loading what="the decision form" />;
  return (
    <DecisionForm
      placeId={placeId}
      worklistId={worklistId}
      worklistName={worklist.data.worklist.name}
      detail={person.data}
    />
  );
}

function DecisionForm({
  placeId,
  worklistId,
  worklistName,
  detail,
}: {
  placeId: string;
  worklistId: string;
  worklistName: string;
  detail: WorklistPersonDetail;
}) {
  const navigate = useNavigate();
  const { person, decisions } = detail;
  const { role } = useSignedIn().user;
  const mayDecide = mayDo(role, 'recordDecisions');
  const mayRefer = mayDo(role, 'referPeople');
  const referHref = `/refer?${new URLSearchParams({ personId: person.personId, worklistId })}`;
  const [decision, setDecision] = useState<string>('');
  const [reason, setReason] = useState('');
  const [day, setDay] = useState('');
  const [month, setMonth] = useState('');
  const [year, setYear] = useState('');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  useStatusMessage(`Decision about ${person.name}: ready`);
  const errors = new Map(problems.map((p) => [p.fieldId ?? '', p.message]));
  const group = (id: string) => `nhsuk-form-group${errors.has(id) ? ' nhsuk-form-group--error' : ''}`;
  const message = (id: string) =>
    errors.has(id) ? (
      <span className="nhsuk-error-message" id={`${id}-error`}>
        <span className="nhsuk-u-visually-hidden">Error:</span> {errors.get(id)}
      </span>
    ) : null;
  const title = `Decision about ${person.name}`;

  async function submit() {
    setProblems([]);
    const pad = (v: string, n: number) => v.trim().padStart(n, '0');
    const reviewDate = day || month || year ? `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` : '';
    try {
      const saved = await fetchJson(
        `/api/places/${placeId}/worklists/${worklistId}/decisions`,
        decisionResult,
        undefined,
        {
          method: 'POST',
          body: { personId: person.personId, decision, reason, reviewDate },
        },
      );
      navigate(`/worklists/${worklistId}`, {
        state: {
          notice: `Decision about ${person.name} saved: ${DECISION_LABELS[decision as keyof typeof DECISION_LABELS]}.${referralNote(saved.referral)}`,
        },
      });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setProblems(
        formProblems(error, {
          decision: { id: 'decision', label: 'Decision' },
          reason: { id: 'decision-reason', label: 'Reason' },
          reviewDate: { id: 'review-date-day', label: 'Review date' },
        }),
      );
    }
  }

  return (
    <>
      <ErrorSummary problems={problems} />
      <Link className="nhsuk-back-link" to={`/worklists/${worklistId}`}>
        Back to {worklistName}
      </Link>
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-body">
        NHS number {nhsNumberShown(person.nhsNumber) ?? 'not known'}, aged {person.age}.{' '}
        {FRAILTY_LABEL[person.efiBand] ?? person.efiBand} ({person.efiDeficits} of 36 deficits), hospital
        frailty score {person.hfrsScore.toFixed(1)}, {person.emergency12m} emergency{' '}
        {person.emergency12m === 1 ? 'admission' : 'admissions'} in 12 months.{' '}
        <Link to={`/people/${person.personId}`}>Why these scores</Link>
      </p>
      {person.nomination ? (
        <p className="nhsuk-body">
          Nominated by {person.nomination.nominatedBy}: “{person.nomination.reason}”
        </p>
      ) : null}
      {mayDecide ? null : (
        <p className="nhsuk-body">
          Your role does not record decisions about people on worklists. Talk to the team’s lead practitioner.
        </p>
      )}
      <form
        hidden={!mayDecide}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className={group('decision')}>
          <fieldset
            className="nhsuk-fieldset"
            aria-describedby={errors.has('decision') ? 'decision-error' : undefined}
          >
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
              What will the team do?
            </legend>
            {message('decision')}
            <div className="nhsuk-radios">
              {DECISIONS.map((d, i) => (
                <div className="nhsuk-radios__item" key={d}>
                  <input
                    className="nhsuk-radios__input"
                    id={i === 0 ? 'decision' : `decision-${d}`}
                    name="decision"
                    type="radio"
                    value={d}
                    checked={decision === d}
                    onChange={() => setDecision(d)}
                  />
                  <label
                    className="nhsuk-label nhsuk-radios__label"
                    htmlFor={i === 0 ? 'decision' : `decision-${d}`}
                  >
                    {DECISION_LABELS[d]}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <TextField
          id="decision-reason"
          label="Reason"
          error={errors.get('decision-reason')}
          rows={3}
          value={reason}
          onChange={setReason}
        />
        <div className={group('review-date-day')}>
          <fieldset className="nhsuk-fieldset" aria-describedby="review-date-hint">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Review date</legend>
            <div className="nhsuk-hint" id="review-date-hint">
              When to look at this person again. They leave the list until then. For example, 15 3 2027
            </div>
            {message('review-date-day')}
            <div className="nhsuk-date-input">
              {(
                [
                  ['day', 'Day', day, setDay, 2],
                  ['month', 'Month', month, setMonth, 2],
                  ['year', 'Year', year, setYear, 4],
                ] as const
              ).map(([part, label, value, setValue, width]) => (
                <div className="nhsuk-date-input__item" key={part}>
                  <div className="nhsuk-form-group">
                    <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`review-date-${part}`}>
                      {label}
                    </label>
                    <input
                      className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}`}
                      id={`review-date-${part}`}
                      inputMode="numeric"
                      value={value}
                      onChange={(e) => setValue(e.target.value)}
                    />
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <button type="submit" className="nhsuk-button">
          Save decision
        </button>
      </form>
      {mayRefer ? (
        <p className="nhsuk-body">
          “Add to caseload” refers {person.name} to your team. To give the team more detail, or to refer them
          to another team, <Link to={referHref}>refer them to an INT</Link>.
        </p>
      ) : null}
      <h2 className="nhsuk-heading-m">Earlier decisions</h2>
      {decisions.length === 0 ? (
        <p className="nhsuk-body">None yet.</p>
      ) : (
        <ul className="nhsuk-list">
          {decisions.map((d) => (
            <li key={d.id} className="nhsuk-u-margin-bottom-3">
              <strong>{DECISION_LABELS[d.decision]}</strong>, review {formatDate(d.reviewDate)}. “{d.reason}”{' '}
              {d.decidedBy},{' '}
              {new Date(d.decidedAt).toLocaleString('en-GB', {
                dateStyle: 'long',
                timeStyle: 'short',
                timeZone: 'Europe/London',
              })}
              .
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

const REFERRAL_NOTES = {
  referred: 'Referred to the',
  'already-referred': 'Already waiting for triage by the',
  'already-open': 'Already on the caseload of the',
} as const;

/** What "add to caseload" did about the referral, as a sentence for the notice. */
function referralNote(referral: { status: keyof typeof REFERRAL_NOTES; teamName: string } | null): string {
  return referral ? ` ${REFERRAL_NOTES[referral.status]} ${referral.teamName}.` : '';
}
