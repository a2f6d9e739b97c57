// Break glass: see one person's record without a care relationship, in an emergency, with a stated
// reason and the staff member's own password again, to confirm it is them. Access lasts an hour, is
// recorded, and the information governance officer reviews every use.
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { breakGlassStarted } from '../../../src/core/schemas/access.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { formProblems } from '../cohorts/problems.ts';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { NhsNumberField } from '../components/nhs-number-field.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useOrganisationSignIn } from '../session/sign-in-page.tsx';

/** The server's own minimum (src/access/break-glass.routes.ts), checked here first to save a round trip. */
const MIN_REASON_LENGTH = 10;

/** What was typed, kept in this tab (never in an address) while the organisation asks for the sign-in. */
const KEPT = 'joinedup.break-glass';
interface KeptForm {
  nhsNumber: string;
  reason: string;
}

function keepForm(form: KeptForm): void {
  sessionStorage.setItem(KEPT, JSON.stringify(form));
}

/** The form kept before signing in again (the page removes it once shown). */
function keptForm(): KeptForm {
  const kept = sessionStorage.getItem(KEPT);
  try {
    const form = JSON.parse(kept ?? '{}') as Partial<KeptForm>;
    return {
      nhsNumber: typeof form.nhsNumber === 'string' ? form.nhsNumber : '',
      reason: typeof form.reason === 'string' ? form.reason : '',
    };
  } catch {
    return { nhsNumber: '', reason: '' };
  }
}

export function BreakGlassPage() {
  const place = usePlace();
  const navigate = useNavigate();
  const location = useLocation();
  // From find a person, or kept in this tab while signing in again through the organisation.
  const [kept] = useState(keptForm);
  useEffect(() => sessionStorage.removeItem(KEPT), []);
  const given = (location.state as { nhsNumber?: string } | null)?.nhsNumber ?? kept.nhsNumber;
  const [nhsNumber, setNhsNumber] = useState(given);
  const [reason, setReason] = useState(kept.reason);
  const [password, setPassword] = useState('');
  const oidc = useOrganisationSignIn();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isBusy, setBusy] = useState(false);
  const errors = new Map(problems.map((p) => [p.fieldId ?? '', p.message]));
  useStatusMessage('Break glass');

  async function submit() {
    const missing: FormProblem[] = [];
    if (nhsNumber.trim() === '') missing.push({ fieldId: 'nhs-number', message: 'Enter an NHS number' });
    if (reason.trim().length < MIN_REASON_LENGTH)
      missing.push({
        fieldId: 'break-glass-reason',
        message: `Say why you need to see this record now (at least ${MIN_REASON_LENGTH} characters)`,
      });
    setProblems(missing);
    if (missing.length > 0 || place.state !== 'ready') return;
    setBusy(true);
    try {
      const started = await fetchJson(
        `/api/places/${encodeURIComponent(place.data.place.id)}/break-glass`,
        breakGlassStarted,
        undefined,
        {
          method: 'POST',
          body: {
            nhsNumber: nhsNumber.trim(),
            reason: reason.trim(),
            ...(password === '' ? {} : { password }),
          },
        },
      );
      navigate(`/people/${started.personId}`, { state: { breakGlassUntil: started.expiresAt } });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      setProblems(
        formProblems(error, {
          nhsNumber: { id: 'nhs-number', label: 'NHS number' },
          reason: { id: 'break-glass-reason', label: 'Reason' },
          password: { id: 'break-glass-password', label: 'Your password' },
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary problems={problems} />
        <Link className="nhsuk-back-link" to="/people">
          Back to find a person
        </Link>
        <PageHeading>Break glass to see a record</PageHeading>
        <div className="nhsuk-card nhsuk-card--warning">
          <div className="nhsuk-card__content">
            <h2 className="nhsuk-card__heading">
              <span className="nhsuk-u-visually-hidden">Important: </span>This is recorded and reviewed
            </h2>
            <p className="nhsuk-body">
              Only break glass when you need this person’s record now, to keep them safe or to care for them,
              and you have no other way to see it.
            </p>
            <p className="nhsuk-body">
              You will see the record for 60 minutes. Your name, the time and your reason are recorded, and
              the information governance officer reviews every use.
            </p>
          </div>
        </div>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <NhsNumberField
            id="nhs-number"
            error={errors.get('nhs-number')}
            value={nhsNumber}
            onChange={setNhsNumber}
          />
          <TextField
            id="break-glass-reason"
            label="Why do you need to see this record now?"
            hint="For example: seen in A&E unconscious, need to know medicines and who to contact."
            error={errors.get('break-glass-reason')}
            rows={4}
            value={reason}
            onChange={setReason}
          />
          <TextField
            id="break-glass-password"
            label="Your password"
            hint="To confirm it is you"
            error={errors.get('break-glass-password')}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
          />
          {oidc ? (
            <p className="nhsuk-body">
              If you sign in only through your organisation’s account and have no password here,{' '}
              <a
                href={`${oidc.start}?reauthenticate=1&returnTo=${encodeURIComponent('/people/break-glass')}`}
                onClick={() => keepForm({ nhsNumber, reason })}
              >
                sign in with it again
              </a>{' '}
              first and leave the password empty: you can then break glass for 15 minutes.
            </p>
          ) : null}
          <button type="submit" className="nhsuk-button nhsuk-button--warning" disabled={isBusy}>
            Break glass and see the record
          </button>
        </form>
      </div>
    </div>
  );
}
