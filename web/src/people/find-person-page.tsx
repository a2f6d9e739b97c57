// Find a person by NHS number. Their record opens when the signed-in staff member has a care
// relationship with them; otherwise the page says so and offers break-glass for an emergency. The NHS
// number is never put in the page's address.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { personFound } from '../../../src/core/schemas/access.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { formProblems } from '../cohorts/problems.ts';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { NhsNumberField } from '../components/nhs-number-field.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { usePlace } from '../place/place-context.tsx';

export function FindPersonPage() {
  const place = usePlace();
  const navigate = useNavigate();
  const [nhsNumber, setNhsNumber] = useState('');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [notFound, setNotFound] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const errors = new Map(problems.map((p) => [p.fieldId ?? '', p.message]));
  useStatusMessage(
    notFound
      ? 'You have no care relationship with this person, or the NHS number is not in use.'
      : 'Find a person',
  );

  async function submit() {
    setProblems([]);
    setNotFound(null);
    if (nhsNumber.trim() === '') {
      setProblems([{ fieldId: 'nhs-number', message: 'Enter an NHS number' }]);
      return;
    }
    if (place.state !== 'ready') return;
    setBusy(true);
    try {
      const found = await fetchJson(
        `/api/places/${encodeURIComponent(place.data.place.id)}/people?nhsNumber=${encodeURIComponent(nhsNumber.trim())}`,
        personFound,
      );
      navigate(`/people/${found.personId}`);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('Something went wrong. Try again.', 0, null);
      if (error.isNotFound) setNotFound(nhsNumber.trim());
      else setProblems(formProblems(error, { nhsNumber: { id: 'nhs-number', label: 'NHS number' } }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary problems={problems} />
        <PageHeading>Find a person</PageHeading>
        <p className="nhsuk-body">
          Enter the person’s NHS number to open their record. You can see a record when they are registered
          with your GP practice or on one of your team’s worklists.
        </p>
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
            onChange={(v) => {
              setNhsNumber(v);
              setNotFound(null);
            }}
          />
          <button type="submit" className="nhsuk-button" disabled={isBusy}>
            Find
          </button>
        </form>
        {notFound ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>You have no care relationship with this person, or the NHS number is not in use.</p>
            <p>
              If you need to see this record now to keep the person safe or to care for them, you can break
              glass. It is recorded and reviewed.
            </p>
            <Link
              className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
              to="/people/break-glass"
              state={{ nhsNumber: notFound }}
            >
              Break glass
            </Link>
          </div>
        ) : null}
      </div>
    </div>
  );
}
