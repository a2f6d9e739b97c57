// Record what an MDT meeting said about one person: a summary, the decisions, and any actions agreed,
// each with an owning agency, the practitioner who will do it and a due date. The actions go into the
// person's plan. Saving returns to the meeting. A discussion recorded already can be changed; actions
// agreed before stay in the plan, and any added here are added to them.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Organisation } from '../../../src/core/schemas/case.ts';
import { type AgendaItemOut, agendaItemOut, type MeetingDetail } from '../../../src/core/schemas/mdt.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { asApiError, caseProblems, errorsById } from '../cases/problems.ts';
import { useOrganisation } from '../cases/team.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { DateInput, type DateParts, isoDate, NO_DATE } from '../components/date-input.tsx';
import { ErrorSummary, type FormProblem } from '../components/error-summary.tsx';
import { Loading } from '../components/loading.tsx';
import { titleCaseOdsName } from '../components/ods-name.ts';
import { PageHeading } from '../components/page-heading.tsx';
import { SelectField } from '../components/select-field.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { Discussion } from './agenda-item.tsx';
import { AgendaReasonTag, MeetingLoader, meetingHref, meetingTitle } from './meeting-parts.tsx';

export function DiscussionPage() {
  const { itemId = '' } = useParams();
  const org = useOrganisation();
  return (
    <MeetingLoader what="the discussion form">
      {({ placeId, detail }) => {
        const item = detail.items.find((i) => i.id === itemId && !i.removed);
        if (!item)
          return (
            <NotFoundPage what="There is no one on this meeting’s agenda at this web address that you can see." />
          );
        if (org.state === 'failed') return <ApiProblem error={org.error} />;
        if (org.state !== 'ready') return <Loading what="the discussion form" />;
        return <DiscussionForm placeId={placeId} meeting={detail.meeting} item={item} org={org.data} />;
      }}
    </MeetingLoader>
  );
}

interface ActionDraft {
  /** For React's keys only. */
  key: number;
  description: string;
  ownerAgencyId: string;
  ownerPractitionerId: string;
  dueOn: DateParts;
}

const emptyAction = (key: number): ActionDraft => ({
  key,
  description: '',
  ownerAgencyId: '',
  ownerPractitionerId: '',
  dueOn: NO_DATE,
});

function DiscussionForm({
  placeId,
  meeting,
  item,
  org,
}: {
  placeId: string;
  meeting: MeetingDetail['meeting'];
  item: AgendaItemOut;
  org: Organisation;
}) {
  const navigate = useNavigate();
  const { person } = item;
  const [summary, setSummary] = useState(item.summary);
  const [decisions, setDecisions] = useState(item.decisions);
  const [actions, setActions] = useState<ActionDraft[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [isSaving, setSaving] = useState(false);
  const errors = errorsById(problems);
  const title = `Discussion of ${person.name}`;
  useStatusMessage(`${title}: ready`);
  const back = meetingHref(meeting.id);

  const setAction = (key: number, change: Partial<ActionDraft>) =>
    setActions((all) => all.map((a) => (a.key === key ? { ...a, ...change } : a)));

  async function save() {
    setProblems([]);
    setSaving(true);
    try {
      await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/mdt-meetings/${meeting.id}/agenda/items/${item.id}/discussion`,
        agendaItemOut,
        undefined,
        {
          method: 'POST',
          body: {
            summary,
            decisions,
            actions: actions.map((a) => ({
              description: a.description,
              ownerAgencyId: a.ownerAgencyId,
              ownerPractitionerId: a.ownerPractitionerId,
              dueOn: isoDate(a.dueOn) ?? '',
              goalId: null,
            })),
          },
        },
      );
      const n = actions.length;
      navigate(back, {
        state: {
          notice: `Discussion of ${person.name} saved.${n > 0 ? ` ${n} ${n === 1 ? 'action' : 'actions'} added to their plan.` : ''}`,
        },
      });
    } catch (e) {
      setProblems(
        caseProblems(asApiError(e), {
          summary: { id: 'summary', label: 'Summary' },
          decisions: { id: 'decisions', label: 'Decisions' },
          actions: { id: 'add-action', label: 'Actions' },
        }),
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <ErrorSummary problems={problems} />
      <Link className="nhsuk-back-link" to={back}>
        Back to the {meetingTitle(meeting)}
      </Link>
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-body">
        <AgendaReasonTag reason={item.reason} />{' '}
        {person.nhsNumber ? `NHS number ${person.nhsNumber}` : 'No NHS number'}, aged {person.age}.{' '}
        <Link to={`/people/${person.id}`}>
          Their record<span className="nhsuk-u-visually-hidden">: {person.name}</span>
        </Link>
        {item.caseId ? (
          <>
            {' · '}
            <Link to={`/cases/${item.caseId}`}>
              Their case and plan<span className="nhsuk-u-visually-hidden">: {person.name}</span>
            </Link>
          </>
        ) : null}
      </p>
      {item.reasonDetail ? <p className="nhsuk-body app-preserve-lines">{item.reasonDetail}</p> : null}
      {item.discussed && item.actions.length > 0 ? (
        <>
          <h2 className="nhsuk-heading-m">Recorded so far</h2>
          <Discussion item={item} headingLevel={3} />
        </>
      ) : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <TextField
          id="summary"
          label="Summary of the discussion"
          hint="What the team knows now and what matters to the person"
          error={errors.get('summary')}
          rows={5}
          value={summary}
          onChange={setSummary}
        />
        <TextField
          id="decisions"
          label="Decisions"
          hint="What the team agreed"
          error={errors.get('decisions')}
          rows={4}
          value={decisions}
          onChange={setDecisions}
        />
        <h2 className="nhsuk-heading-m">Actions agreed</h2>
        <p className="nhsuk-body">
          {item.discussed && item.actions.length > 0
            ? `Actions you add here are added to ${person.name}’s plan, beside those agreed before.`
            : `Each action is added to ${person.name}’s plan, with who owns it and when it is due. Add none if the team agreed no actions.`}
        </p>
        {item.caseId === null && item.referralId !== null ? (
          <p className="nhsuk-body">
            {person.name} is on the agenda as a new referral. Actions can be agreed once the referral is
            accepted and their case is open.
          </p>
        ) : null}
        {actions.map((a, i) => (
          <ActionFields
            key={a.key}
            index={i}
            action={a}
            org={org}
            teamId={meeting.teamId}
            errors={errors}
            onChange={(change) => setAction(a.key, change)}
            onRemove={() => {
              setActions((all) => all.filter((x) => x.key !== a.key));
              document.getElementById('add-action')?.focus();
            }}
          />
        ))}
        <div className={`nhsuk-form-group${errors.has('add-action') ? ' nhsuk-form-group--error' : ''}`}>
          {errors.has('add-action') ? (
            <span className="nhsuk-error-message" id="add-action-error">
              <span className="nhsuk-u-visually-hidden">Error:</span> {errors.get('add-action')}
            </span>
          ) : null}
          <button
            type="button"
            id="add-action"
            className="nhsuk-button nhsuk-button--secondary"
            aria-describedby={errors.has('add-action') ? 'add-action-error' : undefined}
            onClick={() => {
              const key = nextKey;
              setActions((all) => [...all, emptyAction(key)]);
              setNextKey(key + 1);
              // Focus the new action's first field once it is drawn.
              requestAnimationFrame(() =>
                document.getElementById(`actions-${actions.length}-description`)?.focus(),
              );
            }}
          >
            {actions.length === 0 ? 'Add an action' : 'Add another action'}
          </button>
        </div>
        <button type="submit" className="nhsuk-button" disabled={isSaving}>
          Save the discussion
        </button>
      </form>
    </>
  );
}

function ActionFields({
  index,
  action,
  org,
  teamId,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  action: ActionDraft;
  org: Organisation;
  teamId: string;
  errors: Map<string, string>;
  onChange: (change: Partial<ActionDraft>) => void;
  onRemove: () => void;
}) {
  const id = (field: string) => `actions-${index}-${field}`;
  // The meeting's own team first, then the agency's staff in other teams.
  const practitioners = org.practitioners
    .filter((p) => p.agencyId === action.ownerAgencyId)
    .sort((a, b) => Number(b.teamId === teamId) - Number(a.teamId === teamId))
    .map((p) => ({ value: p.id, label: p.label }));
  return (
    <fieldset className="nhsuk-fieldset app-plan-item">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Action {index + 1}</legend>
      <TextField
        id={id('description')}
        label="What will be done"
        error={errors.get(id('description'))}
        rows={2}
        value={action.description}
        onChange={(description) => onChange({ description })}
      />
      <SelectField
        id={id('ownerAgencyId')}
        label="Agency"
        hint="The agency responsible for the action"
        error={errors.get(id('ownerAgencyId'))}
        value={action.ownerAgencyId}
        onChange={(ownerAgencyId) => onChange({ ownerAgencyId, ownerPractitionerId: '' })}
        placeholder="Choose an agency"
        options={org.agencies.map((a) => ({ value: a.id, label: titleCaseOdsName(a.name) }))}
      />
      <SelectField
        id={id('ownerPractitionerId')}
        label="Who will do it"
        hint={action.ownerAgencyId ? 'People of the chosen agency' : 'Choose the agency first'}
        error={errors.get(id('ownerPractitionerId'))}
        value={action.ownerPractitionerId}
        onChange={(ownerPractitionerId) => onChange({ ownerPractitionerId })}
        placeholder="Choose who will do it"
        options={practitioners}
      />
      <DateInput
        id={id('dueOn')}
        legend="Due date"
        hint="For example, 15 3 2027"
        error={errors.get(id('dueOn'))}
        value={action.dueOn}
        onChange={(dueOn) => onChange({ dueOn })}
      />
      <button
        type="button"
        className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
        onClick={onRemove}
      >
        Remove<span className="nhsuk-u-visually-hidden"> action {index + 1}</span>
      </button>
    </fieldset>
  );
}
