// Refer the person of a case to a service in the directory: search the directory (words and a
// neighbourhood, the person's own first; only services their age allows), choose a service, say why, and
// send. The receiving organisation sees it in its inbox; the case page then shows how it goes. Problems,
// the server's included (a retired service, consent not recorded for a voluntary sector agency), go in
// the error summary, each linked to its field.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { z } from 'zod';
import type { CaseDetail } from '../../../src/core/schemas/case.ts';
import { orukPage, orukServiceListItem } from '../../../src/core/schemas/oruk.ts';
import { serviceReferral } from '../../../src/core/schemas/service-referral.ts';
import type { ApiError } from '../api/api-error.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { CaseLoader, caseHref } from '../cases/case-loader.tsx';
import { asApiError, caseProblems, errorsById } from '../cases/problems.ts';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Radios } from '../components/radios.tsx';
import { SelectField } from '../components/select-field.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { usePlace } from '../place/place-context.tsx';

export function ReferToServicePage() {
  return (
    <CaseLoader what="the referral form">
      {({ placeId, detail }) => <ReferToService key={detail.case.id} placeId={placeId} detail={detail} />}
    </CaseLoader>
  );
}

const servicePage = orukPage(orukServiceListItem);
type FoundService = z.infer<typeof orukServiceListItem>;

/** Who a service is for by age, as the directory's public pages say it. */
function ageWords(min: number | undefined, max: number | undefined): string {
  const from = min ?? 0;
  if (max === undefined) return from === 0 ? 'All ages' : `Aged ${from} and over`;
  return from === 0 ? `Aged up to ${max}` : `Aged ${from} to ${max}`;
}

function ReferToService({ placeId, detail }: { placeId: string; detail: CaseDetail }) {
  const c = detail.case;
  const person = c.person;
  const place = usePlace();
  const navigate = useNavigate();
  const neighbourhoods = place.state === 'ready' ? place.data.neighbourhoods : [];
  const [words, setWords] = useState('');
  const [neighbourhood, setNeighbourhood] = useState(person.neighbourhoodCode ?? '');
  const [found, setFound] = useState<{ total: number; services: FoundService[] } | null>(null);
  const [isSearching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<ApiError | null>(null);
  const [serviceId, setServiceId] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isSending, setSending] = useState(false);
  const errors = errorsById(problems);
  const title = `Refer ${person.name} to a service`;
  useStatusMessage(
    isSearching
      ? 'Searching the directory'
      : found
        ? `${found.total} ${found.total === 1 ? 'service' : 'services'} found`
        : `${title}: ready`,
  );

  async function search() {
    setSearching(true);
    setSearchError(null);
    const query = new URLSearchParams({ per_page: '20', age: String(person.age) });
    if (words.trim()) query.set('search', words.trim());
    if (neighbourhood) query.set('neighbourhood', neighbourhood);
    try {
      const page = await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/oruk/services?${query}`,
        servicePage,
      );
      setFound({ total: page.total_items, services: page.contents });
      if (!page.contents.some((s) => s.id === serviceId)) setServiceId('');
    } catch (e) {
      setSearchError(asApiError(e));
    } finally {
      setSearching(false);
    }
  }

  async function send() {
    const missing: FormProblem[] = [];
    if (!serviceId) missing.push({ fieldId: 'service', message: 'Choose a service to refer to' });
    if (!reason.trim()) missing.push({ fieldId: 'reason', message: 'Say why you are referring them' });
    setProblems(missing);
    if (missing.length > 0) return;
    setSending(true);
    try {
      const sent = await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/cases/${c.id}/service-referrals`,
        serviceReferral,
        undefined,
        { method: 'POST', body: { serviceId, reason } },
      );
      navigate(caseHref(c.id), {
        state: { notice: `Referral sent to ${sent.service.name} (${sent.service.organisation}).` },
      });
    } catch (e) {
      setProblems(
        caseProblems(asApiError(e), {
          serviceId: { id: 'service', label: 'Service' },
          reason: { id: 'reason', label: 'Reason for the referral' },
        }),
      );
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      <ErrorSummary problems={problems} />
      <Link className="nhsuk-back-link" to={caseHref(c.id)}>
        Back to the case
      </Link>
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-body">
        Find a service in the directory, such as a Live Well service, a voluntary or community group or a
        council service. The organisation that runs it gets your referral and says what happened.
      </p>
      <h2 className="nhsuk-heading-m">Find a service</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <TextField
          id="service-search"
          label="What are you looking for?"
          hint="For example, lunch club, befriending or debt advice. Leave it empty to see everything."
          value={words}
          onChange={setWords}
        />
        <SelectField
          id="service-neighbourhood"
          label="Where"
          hint="Services that meet in the neighbourhood, and those for people anywhere in the borough"
          value={neighbourhood}
          onChange={setNeighbourhood}
          placeholder="Anywhere"
          options={neighbourhoods.map((n) => ({ value: n.code, label: `${n.name} neighbourhood` }))}
        />
        <p className="nhsuk-body-s">Only services for someone aged {person.age} are shown.</p>
        <button type="submit" className="nhsuk-button nhsuk-button--secondary" disabled={isSearching}>
          Search the directory
        </button>
      </form>
      {searchError ? (
        <p className="nhsuk-body">The directory could not be searched. {searchError.message}</p>
      ) : null}
      {found ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <h2 className="nhsuk-heading-m">
            {found.total} {found.total === 1 ? 'service' : 'services'} found
          </h2>
          {found.total > found.services.length ? (
            <p className="nhsuk-body-s">
              The first {found.services.length} are shown. Add words to the search to find others.
            </p>
          ) : null}
          {found.services.length === 0 ? (
            <p className="nhsuk-body">No services match. Try other words, or anywhere.</p>
          ) : (
            <>
              <Radios
                id="service"
                legend="Choose a service"
                legendSize="s"
                error={errors.get('service')}
                value={serviceId}
                onChange={setServiceId}
                options={found.services.map((s) => ({
                  value: s.id,
                  label: s.name,
                  hint: [s.organization.name, ageWords(s.minimum_age, s.maximum_age), s.fees]
                    .filter(Boolean)
                    .join('. '),
                }))}
              />
              <TextField
                id="reason"
                label="Reason for the referral"
                hint="What matters to the person and what you hope the service can do. The service will read this."
                error={errors.get('reason')}
                rows={5}
                value={reason}
                onChange={setReason}
              />
              <button type="submit" className="nhsuk-button" disabled={isSending}>
                Send referral
              </button>
            </>
          )}
        </form>
      ) : null}
    </>
  );
}
