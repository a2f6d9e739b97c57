// One item on the huddle board: who, what happened, and the quick outcome. The outcomes are a row of
// buttons in one form, each saving at once; the chosen one is pressed and said in words beside them.
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { HUDDLE_OUTCOME_LABELS, HUDDLE_OUTCOMES, type HuddleBoard } from '../../../src/core/schemas/mdt.ts';
import { asApiError } from '../cases/problems.ts';

export type BoardItem = HuddleBoard['items'][number];
type Outcome = (typeof HUDDLE_OUTCOMES)[number];

const ITEM_WORDS: Record<BoardItem['item'], string> = {
  'unplanned-care': 'unplanned care',
  'overdue-action': 'overdue action',
  'new-referral': 'new referral',
};

const isOutcome = (v: string): v is Outcome => (HUDDLE_OUTCOMES as readonly string[]).includes(v);

export function HuddleItem({
  item,
  onRecord,
}: {
  item: BoardItem;
  /** Records an outcome and answers what happened in words; null before today's huddle starts. */
  onRecord: ((outcome: Outcome) => Promise<string>) | null;
}) {
  const id = useId();
  const { person } = item;
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const href = item.caseId
    ? `/cases/${item.caseId}`
    : item.referralId
      ? `/referrals/${item.referralId}`
      : `/people/${person.id}`;

  async function choose(outcome: Outcome) {
    // Buttons stay enabled while saving, so keyboard focus stays on the one pressed.
    if (!onRecord || isSaving) return;
    setProblem(null);
    setSaving(true);
    try {
      setMessage(await onRecord(outcome));
    } catch (e) {
      setProblem(asApiError(e).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <li className="app-huddle-item">
      <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
        <Link to={href}>{person.name}</Link>
      </h3>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
        {person.nhsNumber ? `NHS number ${person.nhsNumber}` : 'No NHS number'}, aged {person.age}
      </p>
      <p className="nhsuk-body nhsuk-u-margin-bottom-2 app-preserve-lines">{item.detail}</p>
      {item.outcome ? (
        <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
          Outcome:{' '}
          <strong className="nhsuk-tag nhsuk-tag--green">{HUDDLE_OUTCOME_LABELS[item.outcome]}</strong>
        </p>
      ) : null}
      {onRecord ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const button = (e.nativeEvent as SubmitEvent).submitter;
            const value = button instanceof HTMLButtonElement ? button.value : '';
            if (isOutcome(value)) void choose(value);
          }}
        >
          <fieldset className="nhsuk-fieldset" aria-describedby={problem ? `${id}-error` : undefined}>
            <legend className="nhsuk-u-visually-hidden">
              Outcome for {person.name}, {ITEM_WORDS[item.item]}
            </legend>
            {problem ? (
              <span className="nhsuk-error-message" id={`${id}-error`}>
                <span className="nhsuk-u-visually-hidden">Error:</span> {problem}
              </span>
            ) : null}
            <div className="nhsuk-button-group app-huddle-outcomes">
              {HUDDLE_OUTCOMES.map((o) => (
                <button
                  key={o}
                  type="submit"
                  name="outcome"
                  value={o}
                  aria-pressed={item.outcome === o}
                  className={`nhsuk-button nhsuk-button--small${item.outcome === o ? '' : ' nhsuk-button--secondary'}`}
                >
                  {HUDDLE_OUTCOME_LABELS[o]}
                  <span className="nhsuk-u-visually-hidden">
                    {' '}
                    for {person.name}, {ITEM_WORDS[item.item]}
                  </span>
                </button>
              ))}
            </div>
          </fieldset>
        </form>
      ) : null}
      {message ? <p className="nhsuk-body-s app-huddle-item__message">{message}</p> : null}
    </li>
  );
}
