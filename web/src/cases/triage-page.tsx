// Triage one referral to the team: who the person is and why they were referred, then accept it (naming
// the lead professional from the team, and if known the first review date), which opens a case, or
// decline it with a reason the referrer can read. A referral already triaged shows what was decided.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { z } from 'zod';
import {
  type Organisation,
  REFERRAL_SOURCE_LABELS,
  type ReferralOut,
  referralIdParam,
  referralOut,
} from '../../../src/core/schemas/case.ts';
import { mayDo } from '../access/pages.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { DateInput, type DateParts, isoDate, NO_DATE } from '../components/date-input.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Radios } from '../components/radios.tsx';
import { SelectField } from '../components/select-field.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { PersonSummaryList, SummaryRow, UrgencyTag } from './case-parts.tsx';
import { asApiError, caseProblems, errorsById } from './problems.ts';
import { useOrganisation } from './team.ts';

export function TriagePage() {
  const { referralId = '' } = useParams();
  const place = usePlace();
  const isId = referralIdParam.safeParse(referralId).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const referral = useApi(
    placeId && isId ? `/api/places/${encodeURIComponent(placeId)}/referrals/${referralId}` : null,
    referralOut,
  );
  const org = useOrganisation();
  const notFound = <NotFoundPage what="There is no referral to your team at this web address." />;
  if (!isId) return notFound;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  for (const loaded of [referral, org])
    if (loaded.state === 'failed')
      return loaded.error.isNotFound ? notFound : <ApiProblem error={loaded.error} />;
  if (!placeId || referral.state !== 'ready' || org.state !== 'ready') return <Loading what="the referral" />;
  return <Triage placeId={placeId} referral={referral.data} org={org.data} />;
}

function Triage({
  placeId,
  referral: r,
  org,
}: {
  placeId: string;
  referral: ReferralOut;
  org: Organisation;
}) {
  const { user } = useSignedIn();
  const isAwaiting = r.status === 'awaiting-triage';
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const title = isAwaiting ? `Triage the referral for ${r.person.name}` : `Referral for ${r.person.name}`;
  useStatusMessage(`${title}: loaded`);
  return (
    <>
      <ErrorSummary problems={problems} />
      <Link className="nhsuk-back-link" to={`/referrals${isAwaiting ? '' : `?status=${r.status}`}`}>
        Back to referrals
      </Link>
      <PageHeading>{title}</PageHeading>
      <h2 className="nhsuk-heading-m">The person</h2>
      <PersonSummaryList person={r.person} />
      <h2 className="nhsuk-heading-m">The referral</h2>
      <dl className="nhsuk-summary-list">
        <SummaryRow label="To">{r.teamName}</SummaryRow>
        <SummaryRow label="Urgency">
          <UrgencyTag urgency={r.urgency} />
        </SummaryRow>
        <SummaryRow label="Reason">
          <span className="app-preserve-lines">{r.reason}</span>
        </SummaryRow>
        <SummaryRow label="Referred by">
          {r.referrer} ({REFERRAL_SOURCE_LABELS[r.source].toLowerCase()})
        </SummaryRow>
        <SummaryRow label="Received">{formatDateTime(r.createdAt)}</SummaryRow>
        {isAwaiting ? null : (
          <SummaryRow label="Decision">
            {r.status === 'accepted' ? 'Accepted' : `Declined: ${r.declineReason ?? ''}`}
            {r.triagedBy ? ` (${r.triagedBy}${r.triagedAt ? `, ${formatDateTime(r.triagedAt)}` : ''})` : ''}
          </SummaryRow>
        )}
      </dl>
      {r.status === 'accepted' && r.caseId ? (
        <p className="nhsuk-body">
          <Link to={`/cases/${r.caseId}`}>Open the case for {r.person.name}</Link>
        </p>
      ) : null}
      {isAwaiting && mayDo(user.role, 'triageReferrals') ? (
        <TriageForm placeId={placeId} referral={r} org={org} problems={problems} setProblems={setProblems} />
      ) : null}
      {isAwaiting && !mayDo(user.role, 'triageReferrals') ? (
        <p className="nhsuk-body">
          Your role does not triage referrals. The team’s lead or a care coordinator will decide.
        </p>
      ) : null}
    </>
  );
}

function TriageForm({
  placeId,
  referral: r,
  org,
  problems,
  setProblems,
}: {
  placeId: string;
  referral: ReferralOut;
  org: Organisation;
  problems: FormProblem[];
  setProblems: (problems: FormProblem[]) => void;
}) {
  const navigate = useNavigate();
  const [decision, setDecision] = useState<'accept' | 'decline' | ''>('');
  const [leadPractitionerId, setLead] = useState('');
  const [reviewDueOn, setReviewDueOn] = useState<DateParts>(NO_DATE);
  const [reason, setReason] = useState('');
  const errors = errorsById(problems);
  const practitioners = org.practitioners
    .filter((p) => p.teamId === r.teamId)
    .map((p) => ({ value: p.id, label: `${p.title}, ${p.agencyName}` }));

  async function submit() {
    setProblems([]);
    if (decision === '') {
      setProblems([{ fieldId: 'decision', message: 'Choose whether to accept or decline the referral' }]);
      return;
    }
    const review = isoDate(reviewDueOn);
    const body =
      decision === 'accept'
        ? { decision, leadPractitionerId, ...(review ? { reviewDueOn: review } : {}) }
        : { decision, reason };
    try {
      const { caseId } = await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/referrals/${r.id}/triage`,
        z.object({ caseId: z.string().nullable() }),
        undefined,
        { method: 'POST', body },
      );
      if (decision === 'accept' && caseId)
        navigate(`/cases/${caseId}`, {
          state: { notice: `Referral accepted. The case for ${r.person.name} is open.` },
        });
      else navigate('/referrals', { state: { notice: `Referral for ${r.person.name} declined.` } });
    } catch (e) {
      setProblems(
        caseProblems(asApiError(e), {
          decision: { id: 'decision', label: 'Decision' },
          leadPractitionerId: { id: 'lead-practitioner', label: 'Lead professional' },
          reviewDueOn: { id: 'review-due-on', label: 'First review' },
          reason: { id: 'decline-reason', label: 'Reason for declining' },
        }),
      );
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Radios
        id="decision"
        legend="Will the team take this referral?"
        error={errors.get('decision')}
        value={decision}
        onChange={setDecision}
        options={[
          {
            value: 'accept',
            label: 'Accept',
            hint: 'Opens a case with a lead professional',
            reveals: (
              <>
                <SelectField
                  id="lead-practitioner"
                  label="Lead professional"
                  hint="The member of the team who will coordinate the person’s care and support"
                  error={errors.get('lead-practitioner')}
                  value={leadPractitionerId}
                  onChange={setLead}
                  placeholder="Choose a lead professional"
                  options={practitioners}
                />
                <DateInput
                  id="review-due-on"
                  legend="First review (optional)"
                  hint="For example, 15 3 2027"
                  error={errors.get('review-due-on')}
                  value={reviewDueOn}
                  onChange={setReviewDueOn}
                />
              </>
            ),
          },
          {
            value: 'decline',
            label: 'Decline',
            hint: 'Say why, and where the person might get help instead',
            reveals: (
              <TextField
                id="decline-reason"
                label="Reason for declining"
                error={errors.get('decline-reason')}
                rows={3}
                value={reason}
                onChange={setReason}
              />
            ),
          },
        ]}
      />
      <button type="submit" className="nhsuk-button">
        Save decision
      </button>
    </form>
  );
}
