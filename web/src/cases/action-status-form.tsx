// The quick change of one action's status (to do, in progress, done, cancelled), in the table row that
// shows the action: a select and a button, saved at once (PATCH …/actions/:actionId). The select is
// named after the action, so each row's is told apart by screen readers and voice control.
import { useId, useState } from 'react';
import {
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  type ActionOut,
  type PlanOut,
  planOut,
} from '../../../src/core/schemas/case.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { asApiError } from './problems.ts';

export function ActionStatusForm({
  placeId,
  action,
  onSaved,
}: {
  placeId: string;
  action: Pick<ActionOut, 'id' | 'status' | 'description'>;
  /** Told the plan as saved, to show the change. */
  onSaved: (plan: PlanOut, message: string) => void;
}) {
  const id = useId();
  const [status, setStatus] = useState<ActionOut['status']>(action.status);
  const [problem, setProblem] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);

  async function save() {
    setProblem(null);
    setSaving(true);
    try {
      const plan = await fetchJson(
        `/api/places/${encodeURIComponent(placeId)}/actions/${encodeURIComponent(action.id)}`,
        planOut,
        undefined,
        { method: 'PATCH', body: { status } },
      );
      onSaved(plan, `“${action.description}” is now ${ACTION_STATUS_LABELS[status].toLowerCase()}.`);
    } catch (e) {
      setProblem(asApiError(e).message);
    } finally {
      setSaving(false);
    }
  }

  const selectId = `${id}-status`;
  return (
    <form
      className="app-inline-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className={`nhsuk-form-group nhsuk-u-margin-bottom-0${problem ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label nhsuk-u-visually-hidden" htmlFor={selectId}>
          Status of “{action.description}”
        </label>
        {problem ? (
          <span className="nhsuk-error-message" id={`${selectId}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {problem}
          </span>
        ) : null}
        <select
          className="nhsuk-select"
          id={selectId}
          aria-describedby={problem ? `${selectId}-error` : undefined}
          value={status}
          onChange={(e) => setStatus(e.target.value as ActionOut['status'])}
        >
          {ACTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ACTION_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <button
        type="submit"
        className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
        disabled={isSaving}
      >
        Update<span className="nhsuk-u-visually-hidden"> the status of “{action.description}”</span>
      </button>
    </form>
  );
}
