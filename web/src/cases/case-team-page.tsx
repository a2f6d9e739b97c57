// Who is involved in a case: the lead professional, the key workers from any of the team's agencies, and
// the next review date. Saved from the version the page was opened at; if someone else changed the case
// in between, nothing is overwritten and the page says so.
import { useState } from 'react';
import { z } from 'zod';
import type { CaseDetail, Organisation } from '../../../src/core/schemas/case.ts';
import { DateInput, dateParts, isoDate } from '../components/date-input.tsx';
import { Checkboxes } from '../components/radios.tsx';
import { SelectField } from '../components/select-field.tsx';
import { CaseForm } from './case-form.tsx';
import { CaseLoader } from './case-loader.tsx';

export function CaseTeamPage() {
  return (
    <CaseLoader what="who is involved">
      {({ placeId, detail, org }) => <TeamForm placeId={placeId} detail={detail} org={org} />}
    </CaseLoader>
  );
}

function TeamForm({ placeId, detail, org }: { placeId: string; detail: CaseDetail; org: Organisation }) {
  const c = detail.case;
  const [leadPractitionerId, setLead] = useState(c.leadPractitioner.id);
  const [keyWorkerIds, setKeyWorkers] = useState<string[]>(c.keyWorkers.map((k) => k.id));
  const [reviewDueOn, setReviewDueOn] = useState(dateParts(c.reviewDueOn));
  const inTeam = org.practitioners.filter((p) => p.teamId === c.teamId);
  const others = [...c.keyWorkers, c.leadPractitioner].filter((p) => !inTeam.some((t) => t.id === p.id));
  const choices = [...inTeam, ...others].map((p) => ({ value: p.id, label: `${p.title}, ${p.agencyName}` }));
  return (
    <CaseForm
      caseId={c.id}
      title={`Who is involved in the case for ${c.person.name}`}
      submitText="Save"
      url={`/api/places/${encodeURIComponent(placeId)}/cases/${c.id}`}
      method="PUT"
      kind="case"
      body={() => ({
        send: { version: c.version, leadPractitionerId, keyWorkerIds, reviewDueOn: isoDate(reviewDueOn) },
      })}
      response={z.object({ version: z.number() })}
      fields={{
        leadPractitionerId: { id: 'lead-practitioner', label: 'Lead professional' },
        keyWorkerIds: { id: 'key-workers', label: 'Key workers' },
        reviewDueOn: { id: 'review-due-on', label: 'Next review' },
      }}
      done={() => 'Who is involved has been saved.'}
    >
      {({ errors }) => (
        <>
          <SelectField
            id="lead-practitioner"
            label="Lead professional"
            hint="Coordinates the person’s care and support, and is their main contact"
            error={errors.get('lead-practitioner')}
            value={leadPractitionerId}
            onChange={setLead}
            options={choices}
          />
          <Checkboxes
            id="key-workers"
            legend="Key workers"
            hint="The professionals from other agencies who work closely with the person. Choose all that apply."
            error={errors.get('key-workers')}
            values={keyWorkerIds}
            onChange={setKeyWorkers}
            options={choices.filter((o) => o.value !== leadPractitionerId)}
          />
          <DateInput
            id="review-due-on"
            legend="Next review"
            hint="Leave empty if no review is planned yet. For example, 15 3 2027"
            error={errors.get('review-due-on')}
            value={reviewDueOn}
            onChange={setReviewDueOn}
          />
        </>
      )}
    </CaseForm>
  );
}
