// One referral to a service: who it is for, the service, why, its status and history; for the receiving
// organisation, a form to move it on (received, accepted or declined, in progress, completed or not
// completed), a note required for declined and not completed; and the service's figures. The change is
// sent with the version read: if someone else changed it first, the page reloads and says so.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  SERVICE_REFERRAL_NEEDS_NOTE,
  SERVICE_REFERRAL_NEXT,
  SERVICE_REFERRAL_STATUS_LABELS,
  type ServiceReferralStatus,
  type ServiceReferralView,
  serviceReferral,
  serviceReferralIdParam,
  serviceReferralList,
} from '../../../src/core/schemas/service-referral.ts';
import { mayOpen } from '../access/pages.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { nhsNumberShown, SummaryRow } from '../cases/case-parts.tsx';
import { asApiError, caseProblems, errorsById } from '../cases/problems.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Radios } from '../components/radios.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { useReloadableApi } from '../components/use-reloadable-api.ts';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { useSignedIn } from '../session/session-context.tsx';
import { ServiceFiguresPanel } from './service-figures-panel.tsx';
import { ServiceReferralHistory, ServiceReferralStatusTag } from './service-referral-parts.tsx';

export function ServiceReferralPage() {
  const { referralId = '' } = useParams();
  const place = usePlace();
  const isId = serviceReferralIdParam.safeParse(referralId).success;
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const base = placeId ? `/api/places/${encodeURIComponent(placeId)}/service-referrals` : null;
  const { loaded, reload } = useReloadableApi(base && isId ? `${base}/${referralId}` : null, serviceReferral);
  // Only the receiving organisation moves a referral: it is the one whose inbox holds it.
  const inbox = useApi(base ? `${base}/inbox` : null, serviceReferralList);
  const notFound = <NotFoundPage what="There is no referral to a service you can see at this web address." />;
  if (!isId) return notFound;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (loaded.state === 'failed')
    return loaded.error.isNotFound ? notFound : <ApiProblem error={loaded.error} />;
  if (!placeId || loaded.state !== 'ready' || inbox.state === 'loading')
    return <Loading what="the referral" />;
  const isReceiver = inbox.state === 'ready' && inbox.data.referrals.some((r) => r.id === referralId);
  return <Referral placeId={placeId} referral={loaded.data} isReceiver={isReceiver} reload={reload} />;
}

function Referral({
  placeId,
  referral: r,
  isReceiver,
  reload,
}: {
  placeId: string;
  referral: ServiceReferralView;
  isReceiver: boolean;
  reload: () => Promise<void>;
}) {
  const { user } = useSignedIn();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [said, setSaid] = useState<string | null>(null);
  const title = `Referral for ${r.person.name} to ${r.service.name}`;
  useStatusMessage(`${title}: loaded`);
  const next = SERVICE_REFERRAL_NEXT[r.status];
  return (
    <>
      <ErrorSummary problems={problems} />
      {mayOpen(user.role, 'serviceReferrals') ? (
        <Link className="nhsuk-back-link" to="/service-referrals">
          Back to service referrals
        </Link>
      ) : null}
      {said ? <Notice>{said}</Notice> : null}
      <PageHeading>{title}</PageHeading>
      <dl className="nhsuk-summary-list">
        <SummaryRow label="Status">
          <ServiceReferralStatusTag status={r.status} />
        </SummaryRow>
        <SummaryRow label="Person">
          {r.person.name}
          <br />
          <span className="nhsuk-body-s">
            {r.person.nhsNumber ? `NHS number ${nhsNumberShown(r.person.nhsNumber)}` : 'No NHS number'}
          </span>
        </SummaryRow>
        <SummaryRow label="Service">
          <a href={`/directory/services/${r.service.id}`}>{r.service.name}</a>
          <br />
          <span className="nhsuk-body-s">{r.service.organisation}</span>
        </SummaryRow>
        <SummaryRow label="Reason">
          <span className="app-preserve-lines">{r.reason}</span>
        </SummaryRow>
        <SummaryRow label="Referred by">
          {r.referredBy}, {formatDateTime(r.referredAt)}
        </SummaryRow>
      </dl>

      {isReceiver && next.length > 0 ? (
        <MoveForm
          key={`${r.id}-${r.version}`}
          placeId={placeId}
          referral={r}
          next={next}
          problems={problems}
          setProblems={setProblems}
          onMoved={async (message) => {
            await reload();
            setSaid(message);
          }}
        />
      ) : null}
      {!isReceiver && next.length > 0 ? (
        <p className="nhsuk-body">
          {r.service.organisation} will update this referral as it goes. You will see each step here and on
          the person’s case.
        </p>
      ) : null}

      <h2 className="nhsuk-heading-l">What has happened</h2>
      <ServiceReferralHistory referral={r} />

      {/* Read again at each change of the referral, which changes the figures. */}
      <ServiceFiguresPanel
        key={r.version}
        placeId={placeId}
        serviceId={r.service.id}
        serviceName={r.service.name}
      />
    </>
  );
}

const MOVE_HINTS: Partial<Record<ServiceReferralStatus, string>> = {
  received: 'You have seen the referral and will look at it',
  accepted: 'The service will work with the person',
  declined: 'Say why, and where the person might get help instead',
  'in-progress': 'The service is working with the person',
  completed: 'The person got what they were referred for',
  'not-completed': 'Say why it did not happen or ended early',
};

function MoveForm({
  placeId,
  referral: r,
  next,
  problems,
  setProblems,
  onMoved,
}: {
  placeId: string;
  referral: ServiceReferralView;
  next: readonly ServiceReferralStatus[];
  problems: FormProblem[];
  setProblems: (problems: FormProblem[]) => void;
  onMoved: (message: string) => Promise<void>;
}) {
  const [status, setStatus] = useState<ServiceReferralStatus | ''>(next.length === 1 ? (next[0] ?? '') : '');
  const [note, setNote] = useState('');
  const [isSaving, setSaving] = useState(false);
  const errors = errorsById(problems);
  const needsNote = status !== '' && SERVICE_REFERRAL_NEEDS_NOTE.includes(status);

  async function submit() {
    const missing: FormProblem[] = [];
    if (status === '') missing.push({ fieldId: 'status', message: 'Choose what has happened' });
    else if (SERVICE_REFERRAL_NEEDS_NOTE.includes(status) && !note.trim())
      missing.push({
        fieldId: 'note',
        message: `Say why the referral is ${SERVICE_REFERRAL_STATUS_LABELS[status].toLowerCase()}`,
      });
    setProblems(missing);
    if (status === '' || missing.length > 0) return;
    setSaving(true);
    try {
      const moved = await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/service-referrals/${r.id}/status`,
        serviceReferral,
        undefined,
        { method: 'POST', body: { status, version: r.version, ...(note.trim() ? { note } : {}) } },
      );
      await onMoved(`The referral is now ${SERVICE_REFERRAL_STATUS_LABELS[moved.status].toLowerCase()}.`);
    } catch (e) {
      const error = asApiError(e);
      if (error.isConflict) {
        await onMoved('The referral has been reloaded.');
        setProblems([
          {
            fieldId: null,
            message:
              'Someone else changed this referral while you were looking at it. It has been reloaded: check its status, then choose again.',
          },
        ]);
      } else
        setProblems(
          caseProblems(error, {
            status: { id: 'status', label: 'What has happened' },
            note: { id: 'note', label: 'Note' },
            version: { id: 'status', label: 'Version' },
          }),
        );
    } finally {
      setSaving(false);
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
      <h2 className="nhsuk-heading-l">Update the referral</h2>
      <Radios
        id="status"
        legend="What has happened?"
        legendSize="s"
        error={errors.get('status')}
        value={status}
        onChange={setStatus}
        options={next.map((s) => ({
          value: s,
          label: SERVICE_REFERRAL_STATUS_LABELS[s],
          hint: MOVE_HINTS[s],
        }))}
      />
      <TextField
        id="note"
        label={needsNote ? 'Why' : 'Note (optional)'}
        hint={needsNote ? 'The person who referred them will read this' : 'Anything the referrer should know'}
        error={errors.get('note')}
        rows={3}
        value={note}
        onChange={setNote}
      />
      <button type="submit" className="nhsuk-button" disabled={isSaving}>
        Save
      </button>
    </form>
  );
}
