// Record consent to share a case: given, declined or withdrawn; by the person, someone who may decide for
// them, or a best interests decision; with which agencies; and for what. Health and social care share
// for the person's care without it; other agencies see the case only while consent names them.
import { useState } from 'react';
import { z } from 'zod';
import type { CaseDetail, Organisation } from '../../../src/core/schemas/case.ts';
import type { FormProblem } from '../components/error-summary.tsx';
import { Checkboxes, Radios } from '../components/radios.tsx';
import { TextField } from '../components/text-field.tsx';
import { CaseForm } from './case-form.tsx';
import { CaseLoader } from './case-loader.tsx';
import { GIVEN_BY_LABELS } from './labels.ts';

export function ConsentPage() {
  return (
    <CaseLoader what="the consent form">
      {({ placeId, detail, org }) => <ConsentForm placeId={placeId} detail={detail} org={org} />}
    </CaseLoader>
  );
}

type Status = 'given' | 'declined' | 'withdrawn';
type GivenBy = 'person' | 'representative' | 'best-interests-decision';

function ConsentForm({ placeId, detail, org }: { placeId: string; detail: CaseDetail; org: Organisation }) {
  const c = detail.case;
  const [status, setStatus] = useState<Status | ''>('');
  const [givenBy, setGivenBy] = useState<GivenBy | ''>('');
  const [agencies, setAgencies] = useState<string[]>(c.consent.agencies.map((a) => a.id));
  const [purpose, setPurpose] = useState('');
  // The team's own agencies first (its GP practice among them), then every other agency but GP practices.
  const teamAgencies = new Set(org.practitioners.filter((p) => p.teamId === c.teamId).map((p) => p.agencyId));
  const choices = [
    ...org.agencies.filter((a) => teamAgencies.has(a.id)),
    ...org.agencies.filter((a) => !teamAgencies.has(a.id) && a.kind !== 'gp-practice'),
  ].map((a) => ({ value: a.id, label: a.name }));
  return (
    <CaseForm
      caseId={c.id}
      title={`Record consent to share for ${c.person.name}`}
      intro={
        <p className="nhsuk-body">
          Health and social care staff share the case for the person’s care without recorded consent. Staff of
          other agencies see it only while the person’s consent names their agency.
        </p>
      }
      submitText="Save consent"
      url={`/api/places/${encodeURIComponent(placeId)}/cases/${c.id}/consent`}
      method="POST"
      body={() => {
        const problems: FormProblem[] = [];
        if (status === '')
          problems.push({ fieldId: 'consent-status', message: 'Choose what the person decided' });
        if (givenBy === '') problems.push({ fieldId: 'given-by', message: 'Choose who made the decision' });
        if (status === '' || givenBy === '') return { problems };
        return { send: { status, givenBy, agencies: status === 'given' ? agencies : [], purpose } };
      }}
      response={z.object({ version: z.number() })}
      fields={{
        status: { id: 'consent-status', label: 'Decision' },
        givenBy: { id: 'given-by', label: 'Who decided' },
        agencies: { id: 'agencies', label: 'Agencies' },
        purpose: { id: 'purpose', label: 'What it is for' },
      }}
      done={() => 'Consent to share has been recorded.'}
    >
      {({ errors }) => (
        <>
          <Radios
            id="consent-status"
            legend="What did the person decide?"
            legendSize="s"
            error={errors.get('consent-status')}
            value={status}
            onChange={setStatus}
            options={[
              {
                value: 'given',
                label: 'They agree to share',
                reveals: (
                  <Checkboxes
                    id="agencies"
                    legend="With which agencies?"
                    hint="Choose all that apply"
                    error={errors.get('agencies')}
                    values={agencies}
                    onChange={setAgencies}
                    options={choices}
                  />
                ),
              },
              { value: 'declined', label: 'They do not agree to share' },
              { value: 'withdrawn', label: 'They withdraw consent they gave before' },
            ]}
          />
          <Radios
            id="given-by"
            legend="Who made the decision?"
            legendSize="s"
            error={errors.get('given-by')}
            value={givenBy}
            onChange={setGivenBy}
            options={(['person', 'representative', 'best-interests-decision'] as const).map((v) => ({
              value: v,
              label: GIVEN_BY_LABELS[v] ?? v,
            }))}
          />
          <TextField
            id="purpose"
            label="What is it for?"
            hint="For example, to plan support at home with the voluntary sector link worker"
            error={errors.get('purpose')}
            rows={3}
            value={purpose}
            onChange={setPurpose}
          />
        </>
      )}
    </CaseForm>
  );
}
