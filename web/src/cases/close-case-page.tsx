// Close a case: why, and what came of it. While actions are still open the page says how many and asks
// why the case closes with them (the override reason); the API refuses to close without one.
import { useState } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import { type CaseDetail, CLOSURE_REASON_LABELS } from '../../../src/core/schemas/case.ts';
import type { FormProblem } from '../components/error-summary.tsx';
import { Radios } from '../components/radios.tsx';
import { TextField } from '../components/text-field.tsx';
import { CaseForm } from './case-form.tsx';
import { CaseLoader, caseHref } from './case-loader.tsx';
import { actionCounts } from './labels.ts';

export function CloseCasePage() {
  return (
    <CaseLoader what="the form to close the case">
      {({ placeId, detail }) => <CloseForm placeId={placeId} detail={detail} />}
    </CaseLoader>
  );
}

type Reason = keyof typeof CLOSURE_REASON_LABELS;

function CloseForm({ placeId, detail }: { placeId: string; detail: CaseDetail }) {
  const c = detail.case;
  const open = actionCounts(detail.plan).open;
  const [reason, setReason] = useState<Reason | ''>('');
  const [outcome, setOutcome] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  return (
    <CaseForm
      caseId={c.id}
      title={`Close the case for ${c.person.name}`}
      intro={
        open > 0 ? (
          <div className="nhsuk-card nhsuk-card--warning">
            <div className="nhsuk-card__content">
              <h2 className="nhsuk-card__heading">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                {open} {open === 1 ? 'action is' : 'actions are'} still open
              </h2>
              <p className="nhsuk-body">
                Finish or cancel {open === 1 ? 'it' : 'them'} on{' '}
                <Link to={caseHref(c.id)}>the case page</Link>, or say below why the case closes with{' '}
                {open === 1 ? 'it' : 'them'} open.
              </p>
            </div>
          </div>
        ) : null
      }
      submitText="Close the case"
      url={`/api/places/${encodeURIComponent(placeId)}/cases/${c.id}/close`}
      method="POST"
      kind="case"
      body={() => {
        if (reason === '')
          return {
            problems: [
              { fieldId: 'closure-reason', message: 'Choose why the case is closing' } as FormProblem,
            ],
          };
        return {
          send: { version: c.version, reason, outcome, ...(overrideReason.trim() ? { overrideReason } : {}) },
        };
      }}
      response={z.object({ version: z.number() })}
      fields={{
        reason: { id: 'closure-reason', label: 'Why the case is closing' },
        outcome: { id: 'outcome', label: 'Outcome' },
        overrideReason: {
          id: 'override-reason',
          label: 'Why close with actions still open (override reason)',
        },
      }}
      done={() => `The case for ${c.person.name} is closed.`}
    >
      {({ errors }) => (
        <>
          <Radios
            id="closure-reason"
            legend="Why is the case closing?"
            legendSize="s"
            error={errors.get('closure-reason')}
            value={reason}
            onChange={setReason}
            options={(Object.keys(CLOSURE_REASON_LABELS) as Reason[]).map((r) => ({
              value: r,
              label: CLOSURE_REASON_LABELS[r],
            }))}
          />
          <TextField
            id="outcome"
            label="Outcome"
            hint="What changed for the person, and who supports them now"
            error={errors.get('outcome')}
            rows={4}
            value={outcome}
            onChange={setOutcome}
          />
          {open > 0 || errors.has('override-reason') ? (
            <TextField
              id="override-reason"
              label="Why close with actions still open (override reason)"
              hint="At least 10 characters. For example, the person moved away and their new team will pick these up"
              error={errors.get('override-reason')}
              rows={3}
              value={overrideReason}
              onChange={setOverrideReason}
            />
          ) : null}
        </>
      )}
    </CaseForm>
  );
}
