// Put a person forward for the meeting's agenda, by NHS number, with the reason: any member of the team
// may nominate; when the chair does it, the person goes on the agenda as added by the chair.
import { useState } from 'react';
import { z } from 'zod';
import { fetchJson } from '../api/fetch-json.ts';
import { asApiError, caseProblems, errorsById } from '../cases/problems.ts';
import type { FormProblem } from '../components/error-summary.tsx';
import { NhsNumberField } from '../components/nhs-number-field.tsx';
import { TextField } from '../components/text-field.tsx';

export function NominateForm({
  placeId,
  meetingId,
  isChair,
  problems,
  setProblems,
  onAdded,
}: {
  placeId: string;
  meetingId: string;
  isChair: boolean;
  problems: FormProblem[];
  setProblems: (problems: FormProblem[]) => void;
  /** Told the new agenda item's id once saved. */
  onAdded: (itemId: string) => Promise<void>;
}) {
  const [nhsNumber, setNhsNumber] = useState('');
  const [reason, setReason] = useState('');
  const [isSaving, setSaving] = useState(false);
  const errors = errorsById(problems);

  async function submit() {
    setProblems([]);
    setSaving(true);
    try {
      const { id } = await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/mdt-meetings/${meetingId}/agenda/items`,
        z.object({ id: z.string() }),
        undefined,
        { method: 'POST', body: { nhsNumber, reason } },
      );
      setNhsNumber('');
      setReason('');
      await onAdded(id);
    } catch (e) {
      setProblems(
        caseProblems(asApiError(e), {
          nhsNumber: { id: 'nhsNumber', label: 'NHS number' },
          reason: { id: 'nomination-reason', label: 'Why they should be discussed' },
        }),
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="app-print-hidden"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 className="nhsuk-heading-m">Nominate a person</h2>
      <p className="nhsuk-body">
        {isChair
          ? 'As the chair, the person goes straight onto the agenda.'
          : 'Put forward someone the team should discuss. The chair sees who nominated them and why.'}
      </p>
      <NhsNumberField
        id="nhsNumber"
        error={errors.get('nhsNumber')}
        value={nhsNumber}
        onChange={setNhsNumber}
      />
      <TextField
        id="nomination-reason"
        label="Why they should be discussed"
        error={errors.get('nomination-reason')}
        rows={3}
        value={reason}
        onChange={setReason}
      />
      <button type="submit" className="nhsuk-button nhsuk-button--secondary" disabled={isSaving}>
        Nominate
      </button>
    </form>
  );
}
