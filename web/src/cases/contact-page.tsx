// Record a contact with the person: when (in England), how (a home visit, a call, a message…) and a note.
// Contacts appear on the person's timeline.
import { useState } from 'react';
import { z } from 'zod';
import { type CaseDetail, CONTACT_MODE_LABELS, CONTACT_MODES } from '../../../src/core/schemas/case.ts';
import { DateInput, dateParts, isoDate } from '../components/date-input.tsx';
import { englandDateTime, parseTime } from '../components/england-time.ts';
import type { FormProblem } from '../components/error-summary.tsx';
import { Radios } from '../components/radios.tsx';
import { TextField } from '../components/text-field.tsx';
import { CaseForm } from './case-form.tsx';
import { CaseLoader } from './case-loader.tsx';

export function ContactPage() {
  return (
    <CaseLoader what="the contact form">
      {({ placeId, detail }) => <ContactForm placeId={placeId} detail={detail} />}
    </CaseLoader>
  );
}

type Mode = (typeof CONTACT_MODES)[number];

/** The contact's date and time ("14:30") in England, as the API takes it; null when either is not real. */
function contactAt(date: string | null, time: string): string | null {
  const hhmm = parseTime(time);
  return date && hhmm ? englandDateTime(date, hhmm) : null;
}

function ContactForm({ placeId, detail }: { placeId: string; detail: CaseDetail }) {
  const c = detail.case;
  const [day, setDay] = useState(dateParts(detail.today));
  const [time, setTime] = useState('');
  const [mode, setMode] = useState<Mode | ''>('');
  const [note, setNote] = useState('');
  return (
    <CaseForm
      caseId={c.id}
      title={`Record a contact with ${c.person.name}`}
      submitText="Save contact"
      url={`/api/places/${encodeURIComponent(placeId)}/cases/${c.id}/contacts`}
      method="POST"
      body={() => {
        const problems: FormProblem[] = [];
        const at = contactAt(isoDate(day), time);
        if (!at)
          problems.push({
            fieldId: isoDate(day) ? 'contact-time' : 'contact-date',
            message: isoDate(day)
              ? 'Time of the contact: enter a time such as 14:30'
              : 'Date of the contact: enter the date, for example 15 3 2027',
          });
        if (mode === '') problems.push({ fieldId: 'mode', message: 'Choose how the contact was made' });
        if (!at || mode === '') return { problems };
        return { send: { contactAt: at, mode, note } };
      }}
      response={z.object({ id: z.string() })}
      fields={{
        contactAt: { id: 'contact-date', label: 'Date and time of the contact' },
        mode: { id: 'mode', label: 'How' },
        note: { id: 'note', label: 'What happened' },
      }}
      done={() => 'The contact has been recorded.'}
    >
      {({ errors }) => (
        <>
          <DateInput
            id="contact-date"
            legend="Date of the contact"
            hint="For example, 15 3 2027"
            error={errors.get('contact-date')}
            value={day}
            onChange={setDay}
          />
          <TextField
            id="contact-time"
            label="Time of the contact"
            hint="For example, 14:30"
            error={errors.get('contact-time')}
            inputClassName="nhsuk-input--width-5"
            value={time}
            onChange={setTime}
          />
          <Radios
            id="mode"
            legend="How was the contact made?"
            legendSize="s"
            error={errors.get('mode')}
            value={mode}
            onChange={setMode}
            options={CONTACT_MODES.map((m) => ({ value: m, label: CONTACT_MODE_LABELS[m] }))}
          />
          <TextField
            id="note"
            label="What happened"
            error={errors.get('note')}
            rows={5}
            value={note}
            onChange={setNote}
          />
        </>
      )}
    </CaseForm>
  );
}
