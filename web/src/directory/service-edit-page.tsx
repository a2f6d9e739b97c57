// Add a service to the directory, or change one: every field residents and referrers see, the needs it
// helps with and where it meets (from the directory's own lists), and when it is next due for review. An
// existing service also offers "record a check" (the details are right as they stand) and shows its
// history: who changed what, and when. The server's problems go in the error summary, each linked to its
// field; a save from an older version says so and offers the current one.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { addDays, formatDate, todayInEngland } from '../../../src/core/dates.ts';
import {
  type DirectoryChoices,
  directoryChoices,
  type EditableService,
  editableService,
  SERVICE_FIELD_LABELS,
  SERVICE_STATUS_LABELS,
  type ServiceField,
} from '../../../src/core/schemas/directory-edit.ts';
import { SERVICE_STATUSES, type ServiceStatus } from '../../../src/core/schemas/oruk.ts';
import { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useApi } from '../api/use-api.ts';
import { asApiError, caseProblems, errorsById } from '../cases/problems.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { DateInput, type DateParts, dateParts, isoDate } from '../components/date-input.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { formatDateTime } from '../components/format-time.ts';
import { Loading } from '../components/loading.tsx';
import { Notice, useNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Checkboxes, Radios } from '../components/radios.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { SelectField } from '../components/select-field.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { checkedWords, directoryApi, ServiceStatusTag } from './directory-words.tsx';

/** A new entry is next reviewed in a year, unless the editor says otherwise. */
const NEXT_REVIEW_DAYS = 365;

export function ServiceEditPage() {
  const { serviceId } = useParams();
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const api = placeId ? directoryApi(placeId) : null;
  const choices = useApi(api ? `${api}/choices` : null, directoryChoices);
  const service = useApi(api && serviceId ? `${api}/services/${serviceId}` : null, editableService);
  /** The service as the last save here left it, shown without asking the server again. */
  const [saved, setSaved] = useState<{ service: EditableService; notice: string } | null>(null);
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (choices.state === 'failed') return <ApiProblem error={choices.error} />;
  if (service.state === 'failed')
    return service.error.isNotFound ? (
      <NotFoundPage what="There is no service with this address in the directory." />
    ) : (
      <ApiProblem error={service.error} />
    );
  if (!api || choices.state === 'loading' || (serviceId && service.state === 'loading'))
    return <Loading what="the service" />;
  const loaded = serviceId && service.state === 'ready' ? service.data : null;
  const current = saved && saved.service.id === serviceId ? saved.service : loaded;
  return (
    <ServiceForm
      key={`${current?.id}:${current?.version}`}
      api={api}
      choices={choices.data}
      service={current}
      savedNotice={current && saved?.service === current ? saved.notice : null}
      onSaved={(s, notice) => setSaved({ service: s, notice })}
    />
  );
}

/** The form's state: text boxes hold text (ages too), so what was typed is sent and the server names what is wrong. */
interface Draft {
  organisationId: string;
  name: string;
  description: string;
  status: ServiceStatus | '';
  termIds: string[];
  minimumAge: string;
  maximumAge: string;
  eligibilityDescription: string;
  isBoroughWide: 'yes' | 'no';
  locationIds: string[];
  fees: string;
  url: string;
  email: string;
  reviewDate: DateParts;
  checked: boolean;
}

function draftOf(service: EditableService | null, today: string): Draft {
  const f = service?.fields;
  return {
    organisationId: f?.organisationId ?? '',
    name: f?.name ?? '',
    description: f?.description ?? '',
    status: f?.status ?? 'active',
    termIds: f?.termIds ?? [],
    minimumAge: f?.minimumAge?.toString() ?? '',
    maximumAge: f?.maximumAge?.toString() ?? '',
    eligibilityDescription: f?.eligibilityDescription ?? '',
    isBoroughWide: f?.isBoroughWide ? 'yes' : 'no',
    locationIds: f?.locationIds ?? [],
    fees: f?.fees ?? '',
    url: f?.url ?? '',
    email: f?.email ?? '',
    reviewDate: dateParts(f?.reviewDate ?? addDays(today, NEXT_REVIEW_DAYS)),
    checked: false,
  };
}

/** An age box: empty is no limit; a whole number is sent as one; anything else as typed, for the server to name. */
const ageOut = (typed: string) => {
  const t = typed.trim();
  if (!t) return null;
  return /^\d+$/.test(t) ? Number(t) : t;
};

function bodyOf(d: Draft) {
  return {
    organisationId: d.organisationId,
    name: d.name,
    description: d.description,
    status: d.status,
    termIds: d.termIds,
    minimumAge: ageOut(d.minimumAge),
    maximumAge: ageOut(d.maximumAge),
    eligibilityDescription: d.eligibilityDescription.trim() || null,
    isBoroughWide: d.isBoroughWide === 'yes',
    locationIds: d.locationIds,
    fees: d.fees.trim() || null,
    url: d.url.trim() || null,
    email: d.email.trim() || null,
    reviewDate: isoDate(d.reviewDate) ?? '',
    checked: d.checked,
  };
}

/** Each API field, the id of its input and its label, for the error summary. */
const FIELDS = Object.fromEntries(
  (Object.keys(SERVICE_FIELD_LABELS) as ServiceField[]).map((f) => [
    f,
    { id: f, label: SERVICE_FIELD_LABELS[f] },
  ]),
) as Record<ServiceField | 'version', { id: string; label: string }>;
FIELDS.version = { id: 'save', label: 'Version' };

/** A need or location named by its place in the list ("termIds.2") is a problem with the list as a whole. */
function problemsOf(e: unknown): FormProblem[] {
  const error = asApiError(e);
  const problems = error.problems.map((p) => ({
    ...p,
    field: p.field?.replace(/^(termIds|locationIds)\.\d+$/, '$1') ?? null,
  }));
  return caseProblems(
    new ApiError(error.message, error.status, error.reference, error.fields, problems),
    FIELDS,
  );
}

type OnSaved = (service: EditableService, notice: string) => void;

function ServiceForm({
  api,
  choices,
  service,
  savedNotice,
  onSaved,
}: {
  api: string;
  choices: DirectoryChoices;
  service: EditableService | null;
  savedNotice: string | null;
  onSaved: OnSaved;
}) {
  const navigate = useNavigate();
  const navigationNotice = useNotice();
  const notice = savedNotice ?? navigationNotice;
  const today = todayInEngland();
  const [draft, setDraft] = useState(() => draftOf(service, today));
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isSaving, setSaving] = useState(false);
  const errors = errorsById(problems);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const title = service ? `Change ${service.fields.name}` : 'Add a service';
  useStatusMessage(`${title}: ready`);

  async function save() {
    setSaving(true);
    try {
      const saved = await fetchJson(
        service ? `${api}/services/${service.id}` : `${api}/services`,
        editableService,
        undefined,
        {
          method: service ? 'PUT' : 'POST',
          body: service ? { ...bodyOf(draft), version: service.version } : bodyOf(draft),
        },
      );
      if (service)
        onSaved(
          saved,
          saved.version === service.version ? 'Nothing had changed, so nothing was saved.' : 'Changes saved.',
        );
      else
        navigate(`/services/${saved.id}`, {
          state: { notice: `${saved.fields.name} added to the directory.` },
        });
    } catch (e) {
      setProblems(problemsOf(e));
    } finally {
      setSaving(false);
    }
  }

  const locationOptions = choices.locations.map((l) => ({
    value: l.id,
    label: l.name,
    hint: `${l.town}, ${l.neighbourhood} neighbourhood`,
  }));
  return (
    <>
      <ErrorSummary problems={problems} />
      {notice ? <Notice>{notice}</Notice> : null}
      <Link className="nhsuk-back-link" to="/services">
        Back to the directory
      </Link>
      <PageHeading>{title}</PageHeading>
      {service ? <ServiceSummary service={service} /> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <SelectField
          id="organisationId"
          label={SERVICE_FIELD_LABELS.organisationId}
          hint="Who runs it. Referrals go to this organisation."
          error={errors.get('organisationId')}
          value={draft.organisationId}
          onChange={set('organisationId')}
          placeholder="Choose an organisation"
          options={choices.organisations.map((o) => ({ value: o.id, label: o.name }))}
        />
        <TextField
          id="name"
          label={SERVICE_FIELD_LABELS.name}
          error={errors.get('name')}
          value={draft.name}
          onChange={set('name')}
        />
        <TextField
          id="description"
          label={SERVICE_FIELD_LABELS.description}
          hint="In plain words, as a resident would read it"
          error={errors.get('description')}
          rows={5}
          value={draft.description}
          onChange={set('description')}
        />
        <Radios
          id="status"
          legend={SERVICE_FIELD_LABELS.status}
          legendSize="s"
          hint="A retired service stays on record but is no longer found or referred to"
          error={errors.get('status')}
          value={draft.status}
          onChange={set('status')}
          options={SERVICE_STATUSES.map((s) => ({ value: s, label: SERVICE_STATUS_LABELS[s] }))}
        />
        {service?.hasOpenReferrals && draft.status !== 'active' ? (
          <div className="nhsuk-warning-callout">
            <h3 className="nhsuk-warning-callout__label">
              <span className="nhsuk-u-visually-hidden">Important: </span>People are still referred to it
            </h3>
            <p>
              Referrals already made stay with{' '}
              {choices.organisations.find((o) => o.id === draft.organisationId)?.name ?? 'the organisation'}{' '}
              to finish. No new referral can be made while it is not running.
            </p>
          </div>
        ) : null}
        {choices.taxonomies.map((t, i) => (
          <Checkboxes
            key={t.id}
            id={i === 0 ? 'termIds' : `needs-${t.id}`}
            legend={`${SERVICE_FIELD_LABELS.termIds}: ${t.name}`}
            error={i === 0 ? errors.get('termIds') : undefined}
            values={draft.termIds}
            onChange={set('termIds')}
            options={t.terms.map((term) => ({ value: term.id, label: term.name }))}
          />
        ))}
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Ages</legend>
          <div className="nhsuk-hint">Leave a box empty for no limit</div>
          <TextField
            id="minimumAge"
            label={SERVICE_FIELD_LABELS.minimumAge}
            error={errors.get('minimumAge')}
            inputMode="numeric"
            inputClassName="nhsuk-input--width-3"
            value={draft.minimumAge}
            onChange={set('minimumAge')}
          />
          <TextField
            id="maximumAge"
            label={SERVICE_FIELD_LABELS.maximumAge}
            error={errors.get('maximumAge')}
            inputMode="numeric"
            inputClassName="nhsuk-input--width-3"
            value={draft.maximumAge}
            onChange={set('maximumAge')}
          />
        </fieldset>
        <TextField
          id="eligibilityDescription"
          label={SERVICE_FIELD_LABELS.eligibilityDescription}
          hint="For example, carers of someone living with dementia, or people who live in Radcliffe"
          error={errors.get('eligibilityDescription')}
          rows={2}
          value={draft.eligibilityDescription}
          onChange={set('eligibilityDescription')}
        />
        <Radios
          id="isBoroughWide"
          legend={SERVICE_FIELD_LABELS.isBoroughWide}
          legendSize="s"
          hint="A phone line or home visits serve everyone, wherever the service itself meets"
          error={errors.get('isBoroughWide')}
          value={draft.isBoroughWide}
          onChange={set('isBoroughWide')}
          options={[
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
          ]}
          isInline
        />
        <Checkboxes
          id="locationIds"
          legend={SERVICE_FIELD_LABELS.locationIds}
          hint="Choose at least one, unless it serves the whole borough"
          error={errors.get('locationIds')}
          values={draft.locationIds}
          onChange={set('locationIds')}
          options={locationOptions}
        />
        <TextField
          id="fees"
          label={SERVICE_FIELD_LABELS.fees}
          hint="For example, Free, or £3.50 a session"
          error={errors.get('fees')}
          value={draft.fees}
          onChange={set('fees')}
        />
        <TextField
          id="url"
          label={SERVICE_FIELD_LABELS.url}
          hint="Starting https://"
          error={errors.get('url')}
          value={draft.url}
          onChange={set('url')}
        />
        <TextField
          id="email"
          label={SERVICE_FIELD_LABELS.email}
          error={errors.get('email')}
          value={draft.email}
          onChange={set('email')}
        />
        <DateInput
          id="reviewDate"
          legend={SERVICE_FIELD_LABELS.reviewDate}
          hint={`When someone should next check the entry with the service, within two years. For example, ${formatDateHint(today)}`}
          error={errors.get('reviewDate')}
          value={draft.reviewDate}
          onChange={set('reviewDate')}
        />
        {service ? (
          <Checkboxes
            id="checked"
            legend="Checked with the service"
            values={draft.checked ? ['yes'] : []}
            onChange={(v) => set('checked')(v.includes('yes'))}
            options={[{ value: 'yes', label: 'I have checked these details with the service today' }]}
          />
        ) : null}
        <button id="save" type="submit" className="nhsuk-button" disabled={isSaving}>
          {service ? 'Save changes' : 'Add the service'}
        </button>
      </form>
      {service ? <RecordCheck api={api} service={service} today={today} onSaved={onSaved} /> : null}
      {service ? <History service={service} /> : null}
    </>
  );
}

/** An example date for the hint, a year ahead: "15 3 2027". */
function formatDateHint(today: string): string {
  const { day, month, year } = dateParts(addDays(today, NEXT_REVIEW_DAYS));
  return `${day} ${month} ${year}`;
}

function ServiceSummary({ service }: { service: EditableService }) {
  return (
    <dl className="nhsuk-summary-list">
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Status</dt>
        <dd className="nhsuk-summary-list__value">
          <ServiceStatusTag status={service.fields.status} />
        </dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Last checked</dt>
        <dd className="nhsuk-summary-list__value">
          {checkedWords(service.lastChecked, service.lastCheckedBy)}
        </dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Next review</dt>
        <dd className="nhsuk-summary-list__value">{formatDate(service.fields.reviewDate)}</dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Kept by</dt>
        <dd className="nhsuk-summary-list__value">
          {service.fromPlacePack
            ? 'The place pack: loading a new pack updates it, until it is first saved here'
            : 'The directory’s editors: loading a new place pack leaves it as it is'}
        </dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Public page</dt>
        <dd className="nhsuk-summary-list__value">
          <a href={`/directory/services/${service.id}`}>See it as residents do</a>
        </dd>
      </div>
    </dl>
  );
}

/** The details are right as they stand: stamp today's check and set the next review, in one click. */
function RecordCheck({
  api,
  service,
  today,
  onSaved,
}: {
  api: string;
  service: EditableService;
  today: string;
  onSaved: OnSaved;
}) {
  const [next, setNext] = useState(() => dateParts(addDays(today, NEXT_REVIEW_DAYS)));
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isSaving, setSaving] = useState(false);
  const errors = errorsById(problems);

  async function record() {
    setSaving(true);
    try {
      const saved = await fetchJson(`${api}/services/${service.id}/checked`, editableService, undefined, {
        method: 'POST',
        body: { version: service.version, reviewDate: isoDate(next) ?? '' },
      });
      onSaved(saved, `Check recorded. The next review is on ${formatDate(saved.fields.reviewDate)}.`);
    } catch (e) {
      setProblems(
        problemsOf(e).map((p) => (p.fieldId === 'reviewDate' ? { ...p, fieldId: 'nextReview' } : p)),
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
        void record();
      }}
    >
      <h2 className="nhsuk-heading-m">Record a check</h2>
      <p className="nhsuk-body">
        If the details above are right as they stand, record that you checked them today.
      </p>
      <ErrorSummary problems={problems} />
      <DateInput
        id="nextReview"
        legend="Next review"
        error={errors.get('nextReview')}
        value={next}
        onChange={setNext}
      />
      <button type="submit" className="nhsuk-button nhsuk-button--secondary" disabled={isSaving}>
        Record the check
      </button>
    </form>
  );
}

const KIND_WORDS = { created: 'Added', changed: 'Changed', checked: 'Checked' } as const;

function History({ service }: { service: EditableService }) {
  const captionId = 'history-caption';
  if (service.changes.length === 0)
    return (
      <>
        <h2 className="nhsuk-heading-m">History</h2>
        <p className="nhsuk-body">It has not been changed here since it came from the place pack.</p>
      </>
    );
  return (
    <ScrollTable captionId={captionId}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
          History, newest first
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              When
            </th>
            <th scope="col" className="nhsuk-table__header">
              Who
            </th>
            <th scope="col" className="nhsuk-table__header">
              What
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {service.changes.map((c) => (
            <tr key={c.version} className="nhsuk-table__row">
              <td className="nhsuk-table__cell">{formatDateTime(c.at)}</td>
              <td className="nhsuk-table__cell">{c.by}</td>
              <td className="nhsuk-table__cell">
                {KIND_WORDS[c.kind]}
                {c.fields.length > 0 ? `: ${c.fields.join(', ')}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
