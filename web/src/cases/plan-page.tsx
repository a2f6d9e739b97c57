// Change a person's care and support plan: what matters to them, their strengths and risks, goals in
// their own words, and actions, each owned by an agency and one of its practitioners, with a due date
// and a status. The whole plan is saved from the version the page opened at: if someone else saved it in
// between, nothing is overwritten, the page says so, and everything typed here stays on the page.
// Saved actions cannot be removed (cancel one by its status); goals and new actions can.
import { useEffect, useState } from 'react';
import {
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  type ActionOut,
  type CaseDetail,
  type Organisation,
  planOut,
} from '../../../src/core/schemas/case.ts';
import { DateInput, type DateParts, dateParts, isoDate, NO_DATE } from '../components/date-input.tsx';
import { SelectField } from '../components/select-field.tsx';
import { TextField } from '../components/text-field.tsx';
import { CaseForm } from './case-form.tsx';
import { CaseLoader } from './case-loader.tsx';

export function PlanPage() {
  return (
    <CaseLoader what="the plan">
      {({ placeId, detail, org }) => <PlanForm placeId={placeId} detail={detail} org={org} />}
    </CaseLoader>
  );
}

interface DraftGoal {
  id: string;
  text: string;
}

interface DraftAction {
  /** Tells draft actions apart before they have an id. */
  key: string;
  id: string | null;
  goalId: string;
  description: string;
  ownerAgencyId: string;
  ownerPractitionerId: string;
  dueOn: DateParts;
  status: ActionOut['status'];
}

const draftOf = (a: ActionOut): DraftAction => ({
  key: a.id,
  id: a.id,
  goalId: a.goalId ?? '',
  description: a.description,
  ownerAgencyId: a.ownerAgencyId,
  ownerPractitionerId: a.ownerPractitionerId,
  dueOn: dateParts(a.dueOn),
  status: a.status,
});

/** The first "goal-N" not yet used. */
function newGoalId(goals: DraftGoal[]): string {
  let n = goals.length + 1;
  while (goals.some((g) => g.id === `goal-${n}`)) n++;
  return `goal-${n}`;
}

function PlanForm({ placeId, detail, org }: { placeId: string; detail: CaseDetail; org: Organisation }) {
  const { case: c, plan } = detail;
  const [whatMatters, setWhatMatters] = useState(plan.whatMatters);
  const [strengths, setStrengths] = useState(plan.strengths);
  const [risks, setRisks] = useState(plan.risks);
  const [goals, setGoals] = useState<DraftGoal[]>(plan.goals);
  const [actions, setActions] = useState<DraftAction[]>(plan.actions.map(draftOf));
  const [added, setAdded] = useState(0);
  const [focus, setFocus] = useState<{ id: string; n: number } | null>(null);
  const setFocusId = (id: string) => setFocus((was) => ({ id, n: (was?.n ?? 0) + 1 }));

  // After adding or removing a goal or an action, keyboard and screen reader users land where it happened.
  useEffect(() => {
    if (focus) document.getElementById(focus.id)?.focus();
  }, [focus]);

  // The team's agencies first, then the rest; practitioners of the case's team first within an agency.
  const teamAgencies = new Set(org.practitioners.filter((p) => p.teamId === c.teamId).map((p) => p.agencyId));
  const agencyOptions = [
    ...org.agencies.filter((a) => teamAgencies.has(a.id)),
    ...org.agencies.filter((a) => !teamAgencies.has(a.id)),
  ].map((a) => ({ value: a.id, label: a.name }));
  const practitionersOf = (agencyId: string) =>
    org.practitioners
      .filter((p) => p.agencyId === agencyId)
      .sort((a, b) => Number(b.teamId === c.teamId) - Number(a.teamId === c.teamId))
      .map((p) => ({ value: p.id, label: p.label }));

  const setAction = (key: string, patch: Partial<DraftAction>) =>
    setActions((all) => all.map((a) => (a.key === key ? { ...a, ...patch } : a)));

  function addGoal() {
    const id = newGoalId(goals);
    setGoals((all) => [...all, { id, text: '' }]);
    setFocusId(`goals-${goals.length}-text`);
  }

  function removeGoal(id: string) {
    setGoals((all) => all.filter((g) => g.id !== id));
    setActions((all) => all.map((a) => (a.goalId === id ? { ...a, goalId: '' } : a)));
    setFocusId('add-goal');
  }

  function addAction() {
    const key = `new-${added + 1}`;
    setAdded(added + 1);
    setActions((all) => [
      ...all,
      {
        key,
        id: null,
        goalId: '',
        description: '',
        ownerAgencyId: '',
        ownerPractitionerId: '',
        dueOn: NO_DATE,
        status: 'to-do',
      },
    ]);
    setFocusId(`actions-${actions.length}-description`);
  }

  function removeAction(key: string) {
    setActions((all) => all.filter((a) => a.key !== key));
    setFocusId('add-action');
  }

  const goalOptions = goals.map((g, i) => ({
    value: g.id,
    label: `Goal ${i + 1}${g.text ? `: ${g.text.length > 60 ? `${g.text.slice(0, 57)}…` : g.text}` : ''}`,
  }));

  return (
    <CaseForm
      caseId={c.id}
      title={`Care and support plan for ${c.person.name}`}
      intro={
        <p className="nhsuk-body">
          Write goals in {c.person.name}’s own words. Every action needs an agency, someone there who will do
          it, and a due date. You are changing version {plan.version} of the plan.
        </p>
      }
      submitText="Save the plan"
      url={`/api/places/${encodeURIComponent(placeId)}/cases/${c.id}/plan`}
      method="PUT"
      kind="plan"
      body={() => ({
        send: {
          version: plan.version,
          whatMatters,
          strengths,
          risks,
          goals: goals.map((g) => ({ id: g.id, text: g.text })),
          actions: actions.map((a) => ({
            ...(a.id ? { id: a.id } : {}),
            goalId: a.goalId || null,
            description: a.description,
            ownerAgencyId: a.ownerAgencyId,
            ownerPractitionerId: a.ownerPractitionerId,
            dueOn: isoDate(a.dueOn) ?? '',
            status: a.status,
          })),
        },
      })}
      response={planOut}
      fields={{
        whatMatters: { id: 'what-matters', label: 'What matters to me' },
        strengths: { id: 'strengths', label: 'Strengths' },
        risks: { id: 'risks', label: 'Risks' },
      }}
      done={(saved) => `The plan has been saved (version ${saved.version}).`}
    >
      {({ errors }) => (
        <>
          <h2 className="nhsuk-heading-m">About the person</h2>
          <TextField
            id="what-matters"
            label="What matters to me"
            hint="In the person’s own words"
            error={errors.get('what-matters')}
            rows={4}
            value={whatMatters}
            onChange={setWhatMatters}
          />
          <TextField
            id="strengths"
            label="Strengths"
            hint="What the person and the people around them do well"
            error={errors.get('strengths')}
            rows={3}
            value={strengths}
            onChange={setStrengths}
          />
          <TextField
            id="risks"
            label="Risks"
            error={errors.get('risks')}
            rows={3}
            value={risks}
            onChange={setRisks}
          />

          <h2 className="nhsuk-heading-m">Goals</h2>
          {goals.length === 0 ? <p className="nhsuk-body">No goals yet.</p> : null}
          {goals.map((g, i) => (
            <div key={g.id} className="app-plan-item">
              <TextField
                id={`goals-${i}-text`}
                label={`Goal ${i + 1}`}
                hint="In the person’s own words, for example “I want to walk to the shops again”"
                error={errors.get(`goals-${i}-text`) ?? errors.get(`goals-${i}-id`)}
                rows={2}
                value={g.text}
                onChange={(text) => setGoals((all) => all.map((x) => (x.id === g.id ? { ...x, text } : x)))}
              />
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                onClick={() => removeGoal(g.id)}
              >
                Remove<span className="nhsuk-u-visually-hidden"> goal {i + 1}</span>
              </button>
            </div>
          ))}
          <button
            type="button"
            id="add-goal"
            className="nhsuk-button nhsuk-button--secondary"
            onClick={addGoal}
          >
            Add a goal
          </button>

          <h2 className="nhsuk-heading-m">Actions</h2>
          {actions.length === 0 ? <p className="nhsuk-body">No actions yet.</p> : null}
          {actions.map((a, i) => {
            const at = (part: string) => `actions-${i}-${part}`;
            return (
              <div key={a.key} className="app-plan-item">
                <fieldset className="nhsuk-fieldset">
                  <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                    Action {i + 1}
                    {a.id ? '' : ' (new)'}
                  </legend>
                  <TextField
                    id={at('description')}
                    label="What will be done"
                    error={errors.get(at('description'))}
                    rows={2}
                    value={a.description}
                    onChange={(description) => setAction(a.key, { description })}
                  />
                  <SelectField
                    id={at('goalId')}
                    label="The goal it helps with"
                    error={errors.get(at('goalId'))}
                    value={a.goalId}
                    onChange={(goalId) => setAction(a.key, { goalId })}
                    placeholder="Not linked to a goal"
                    options={goalOptions}
                  />
                  <SelectField
                    id={at('ownerAgencyId')}
                    label="Agency"
                    hint="The agency responsible for the action"
                    error={errors.get(at('ownerAgencyId'))}
                    value={a.ownerAgencyId}
                    onChange={(ownerAgencyId) =>
                      setAction(a.key, {
                        ownerAgencyId,
                        ownerPractitionerId: practitionersOf(ownerAgencyId).some(
                          (p) => p.value === a.ownerPractitionerId,
                        )
                          ? a.ownerPractitionerId
                          : '',
                      })
                    }
                    placeholder="Choose an agency"
                    options={agencyOptions}
                  />
                  <SelectField
                    id={at('ownerPractitionerId')}
                    label="Who will do it"
                    hint={a.ownerAgencyId ? 'People of the chosen agency' : 'Choose the agency first'}
                    error={errors.get(at('ownerPractitionerId'))}
                    value={a.ownerPractitionerId}
                    onChange={(ownerPractitionerId) => setAction(a.key, { ownerPractitionerId })}
                    placeholder="Choose who will do it"
                    options={practitionersOf(a.ownerAgencyId)}
                  />
                  <DateInput
                    id={at('dueOn')}
                    legend="Due date"
                    hint="For example, 15 3 2027"
                    error={errors.get(at('dueOn'))}
                    value={a.dueOn}
                    onChange={(dueOn) => setAction(a.key, { dueOn })}
                  />
                  <SelectField
                    id={at('status')}
                    label="Status"
                    error={errors.get(at('status'))}
                    value={a.status}
                    onChange={(status) => setAction(a.key, { status: status as ActionOut['status'] })}
                    options={ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s] }))}
                  />
                  {a.id ? null : (
                    <button
                      type="button"
                      className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                      onClick={() => removeAction(a.key)}
                    >
                      Remove<span className="nhsuk-u-visually-hidden"> action {i + 1}</span>
                    </button>
                  )}
                </fieldset>
              </div>
            );
          })}
          <button
            type="button"
            id="add-action"
            className="nhsuk-button nhsuk-button--secondary"
            onClick={addAction}
          >
            Add an action
          </button>
        </>
      )}
    </CaseForm>
  );
}
