// The cohort rule builder: groups of rules joined by "all" or "any", each rule a field, a comparison and
// a value, built from the fields the server offers for the place. Values are sent as typed; the server
// checks them and names the path of anything wrong, which is also the id of the input to fix.
import { useId, useRef } from 'react';
import type { CohortFields } from '../../../src/core/schemas/cohort.ts';
import { fieldId } from '../components/error-summary.tsx';

type FieldDef = CohortFields['fields'][number];

export type DraftRule = {
  kind: 'rule';
  key: string;
  field: string;
  operator: string;
  /** Text for numbers (two for "between"), chosen values for choices, one value for lists, yes/no. */
  text: [string, string];
  chosen: string[];
  flag: boolean;
  activity: string;
  months: string;
};
export type DraftGroup = {
  kind: 'group';
  key: string;
  combinator: 'and' | 'or';
  rules: (DraftRule | DraftGroup)[];
};

let counter = 0;
const nextKey = () => `k${++counter}`;

export function newRule(def: FieldDef): DraftRule {
  return {
    kind: 'rule',
    key: nextKey(),
    field: def.field,
    operator: def.type === 'activity' ? '>=' : (def.operators[0]?.value ?? ''),
    text: def.type === 'activity' ? ['1', ''] : ['', ''],
    chosen: def.type === 'list' ? [def.options?.[0]?.value ?? ''] : [],
    flag: true,
    activity: 'emergency-admission',
    months: '12',
  };
}

export function newGroup(fields: CohortFields, combinator: 'and' | 'or' = 'and'): DraftGroup {
  const first = fields.fields[0];
  return { kind: 'group', key: nextKey(), combinator, rules: first ? [newRule(first)] : [] };
}

const numberOrText = (text: string): number | string => {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
};

/** The API's rule tree for a draft. */
export function toRules(node: DraftRule | DraftGroup, fields: CohortFields): unknown {
  if (node.kind === 'group')
    return { kind: 'group', combinator: node.combinator, rules: node.rules.map((r) => toRules(r, fields)) };
  const def = fields.fields.find((f) => f.field === node.field);
  const numberValue =
    node.operator === 'between'
      ? [numberOrText(node.text[0]), numberOrText(node.text[1])]
      : numberOrText(node.text[0]);
  switch (def?.type) {
    case 'activity':
      return {
        kind: 'rule',
        field: 'activity',
        activity: node.activity,
        months: numberOrText(node.months),
        operator: node.operator,
        value: numberValue,
      };
    case 'choice':
      return { kind: 'rule', field: node.field, operator: node.operator, value: node.chosen };
    case 'list':
      return { kind: 'rule', field: node.field, operator: node.operator, value: node.chosen[0] ?? '' };
    case 'boolean':
      return { kind: 'rule', field: node.field, operator: 'is', value: node.flag };
    default:
      return { kind: 'rule', field: node.field, operator: node.operator, value: numberValue };
  }
}

/** A draft from a saved rule tree, so a cohort can be changed. */
export function fromRules(node: Record<string, unknown>, fields: CohortFields): DraftRule | DraftGroup {
  if (node.kind === 'group')
    return {
      kind: 'group',
      key: nextKey(),
      combinator: node.combinator === 'or' ? 'or' : 'and',
      rules: ((node.rules as Record<string, unknown>[]) ?? []).map((r) => fromRules(r, fields)),
    };
  const def = fields.fields.find((f) => f.field === node.field) ?? fields.fields[0];
  const rule = newRule(def as FieldDef);
  const value = node.value;
  return {
    ...rule,
    operator: String(node.operator),
    text:
      Array.isArray(value) && typeof value[0] === 'number'
        ? [String(value[0]), String(value[1])]
        : [typeof value === 'number' ? String(value) : '', ''],
    chosen: Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : rule.chosen,
    flag: typeof value === 'boolean' ? value : true,
    activity: typeof node.activity === 'string' ? node.activity : rule.activity,
    months: typeof node.months === 'number' ? String(node.months) : rule.months,
  };
}

type Errors = ReadonlyMap<string, string>;

function ErrorText({ id, errors }: { id: string; errors: Errors }) {
  const message = errors.get(id);
  return message ? (
    <span className="nhsuk-error-message" id={`${id}-error`}>
      <span className="nhsuk-u-visually-hidden">Error:</span> {message}
    </span>
  ) : null;
}

const groupClass = (ids: string[], errors: Errors) =>
  `nhsuk-form-group${ids.some((id) => errors.has(id)) ? ' nhsuk-form-group--error' : ''}`;

export function RuleGroupEditor({
  group,
  path,
  fields,
  errors,
  onChange,
  onRemove,
  depth = 1,
  numbered = '',
}: {
  group: DraftGroup;
  path: string;
  fields: CohortFields;
  errors: Errors;
  onChange: (group: DraftGroup) => void;
  onRemove?: () => void;
  depth?: number;
  /** The group's own number and a dot ("3."), so that its rules are "3.1", "3.2": no two rules share a name. */
  numbered?: string;
}) {
  const name = useId();
  const id = fieldId(path);
  const addRule = useRef<HTMLButtonElement>(null);
  const setChild = (i: number, child: DraftRule | DraftGroup) =>
    onChange({ ...group, rules: group.rules.map((r, j) => (j === i ? child : r)) });
  // The Remove button goes with its rule: focus moves to this group's "Add a rule".
  const removeChild = (i: number) => {
    onChange({ ...group, rules: group.rules.filter((_, j) => j !== i) });
    requestAnimationFrame(() => addRule.current?.focus());
  };
  const first = fields.fields[0];
  return (
    <div className={depth > 1 ? 'app-rule-group' : undefined}>
      <div className={groupClass([`${id}-rules`, `${id}-combinator`], errors)}>
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
            {depth === 1 ? 'Include people who meet' : `In group ${numbered.slice(0, -1)}, people who meet`}
          </legend>
          <ErrorText id={`${id}-rules`} errors={errors} />
          <div className="nhsuk-radios nhsuk-radios--inline">
            {(['and', 'or'] as const).map((c) => (
              <div className="nhsuk-radios__item" key={c}>
                <input
                  className="nhsuk-radios__input"
                  id={c === 'and' ? `${id}-combinator` : `${id}-combinator-or`}
                  name={name}
                  type="radio"
                  checked={group.combinator === c}
                  onChange={() => onChange({ ...group, combinator: c })}
                />
                <label
                  className="nhsuk-label nhsuk-radios__label"
                  htmlFor={c === 'and' ? `${id}-combinator` : `${id}-combinator-or`}
                >
                  {c === 'and' ? 'all of these rules' : 'any of these rules'}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      {group.rules.map((child, i) =>
        child.kind === 'group' ? (
          <RuleGroupEditor
            key={child.key}
            group={child}
            path={`${path}.rules.${i}`}
            fields={fields}
            errors={errors}
            depth={depth + 1}
            numbered={`${numbered}${i + 1}.`}
            onChange={(g) => setChild(i, g)}
            onRemove={() => removeChild(i)}
          />
        ) : (
          <RuleEditor
            key={child.key}
            rule={child}
            number={`${numbered}${i + 1}`}
            path={`${path}.rules.${i}`}
            fields={fields}
            errors={errors}
            onChange={(r) => setChild(i, r)}
            onRemove={() => removeChild(i)}
          />
        ),
      )}
      <div className="nhsuk-button-group">
        {first ? (
          <button
            type="button"
            ref={addRule}
            className="nhsuk-button nhsuk-button--secondary"
            onClick={() => onChange({ ...group, rules: [...group.rules, newRule(first)] })}
          >
            Add a rule{depth > 1 ? ` to group ${numbered.slice(0, -1)}` : ''}
          </button>
        ) : null}
        {depth < 3 ? (
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary"
            onClick={() =>
              onChange({
                ...group,
                rules: [...group.rules, newGroup(fields, group.combinator === 'and' ? 'or' : 'and')],
              })
            }
          >
            Add a group of rules{depth > 1 ? ` to group ${numbered.slice(0, -1)}` : ''}
          </button>
        ) : null}
        {onRemove ? (
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onRemove}>
            Remove group {numbered.slice(0, -1)}
          </button>
        ) : null}
      </div>
    </div>
  );
}

function RuleEditor({
  rule,
  number,
  path,
  fields,
  errors,
  onChange,
  onRemove,
}: {
  rule: DraftRule;
  number: string;
  path: string;
  fields: CohortFields;
  errors: Errors;
  onChange: (rule: DraftRule) => void;
  onRemove: () => void;
}) {
  const id = fieldId(path);
  const def = fields.fields.find((f) => f.field === rule.field);
  const valueId = `${id}-value`;
  const set = (patch: Partial<DraftRule>) => onChange({ ...rule, ...patch });
  return (
    <fieldset className="nhsuk-fieldset app-rule">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Rule {number}</legend>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <div className={groupClass([`${id}-field`], errors)}>
            <label className="nhsuk-label" htmlFor={`${id}-field`}>
              Field
            </label>
            <ErrorText id={`${id}-field`} errors={errors} />
            <select
              className="nhsuk-select"
              id={`${id}-field`}
              value={rule.field}
              onChange={(e) => {
                const next = fields.fields.find((f) => f.field === e.target.value);
                if (next) onChange({ ...newRule(next), key: rule.key });
              }}
            >
              {fields.fields.map((f) => (
                <option key={f.field} value={f.field}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {def && def.type !== 'boolean' ? (
          <div className="nhsuk-grid-column-one-half">
            <div className={groupClass([`${id}-operator`], errors)}>
              <label className="nhsuk-label" htmlFor={`${id}-operator`}>
                Comparison
              </label>
              <ErrorText id={`${id}-operator`} errors={errors} />
              <select
                className="nhsuk-select"
                id={`${id}-operator`}
                value={rule.operator}
                onChange={(e) => set({ operator: e.target.value })}
              >
                {def.operators.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ) : null}
      </div>
      {def?.type === 'activity' ? (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-half">
            <div className={groupClass([`${id}-activity`], errors)}>
              <label className="nhsuk-label" htmlFor={`${id}-activity`}>
                Kind of hospital activity
              </label>
              <ErrorText id={`${id}-activity`} errors={errors} />
              <select
                className="nhsuk-select"
                id={`${id}-activity`}
                value={rule.activity}
                onChange={(e) => set({ activity: e.target.value })}
              >
                {fields.activities.map((a) => (
                  <option key={a.value} value={a.value}>
                    {a.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="nhsuk-grid-column-one-half">
            <div className={groupClass([`${id}-months`], errors)}>
              <label className="nhsuk-label" htmlFor={`${id}-months`}>
                In the last
              </label>
              <ErrorText id={`${id}-months`} errors={errors} />
              <select
                className="nhsuk-select"
                id={`${id}-months`}
                value={rule.months}
                onChange={(e) => set({ months: e.target.value })}
              >
                {fields.activityMonths.map((m) => (
                  <option key={m} value={String(m)}>
                    {m} months
                  </option>
                ))}
              </select>
            </div>
          </div>
        </div>
      ) : null}
      {def ? <ValueEditor rule={rule} def={def} valueId={valueId} errors={errors} set={set} /> : null}
      <button
        type="button"
        className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
        onClick={onRemove}
      >
        Remove rule {number}
      </button>
    </fieldset>
  );
}

function ValueEditor({
  rule,
  def,
  valueId,
  errors,
  set,
}: {
  rule: DraftRule;
  def: FieldDef;
  valueId: string;
  errors: Errors;
  set: (patch: Partial<DraftRule>) => void;
}) {
  const name = useId();
  if (def.type === 'boolean')
    return (
      <div className={groupClass([valueId], errors)}>
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend">{def.label}</legend>
          <ErrorText id={valueId} errors={errors} />
          <div className="nhsuk-radios nhsuk-radios--inline">
            {[true, false].map((v) => (
              <div className="nhsuk-radios__item" key={String(v)}>
                <input
                  className="nhsuk-radios__input"
                  id={v ? valueId : `${valueId}-no`}
                  name={name}
                  type="radio"
                  checked={rule.flag === v}
                  onChange={() => set({ flag: v })}
                />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor={v ? valueId : `${valueId}-no`}>
                  {v ? 'Yes' : 'No'}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
    );
  if (def.type === 'list')
    return (
      <div className={groupClass([valueId], errors)}>
        <label className="nhsuk-label" htmlFor={valueId}>
          {def.label}
        </label>
        <ErrorText id={valueId} errors={errors} />
        <select
          className="nhsuk-select"
          id={valueId}
          value={rule.chosen[0] ?? ''}
          onChange={(e) => set({ chosen: [e.target.value] })}
        >
          {(def.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    );
  if (def.type === 'choice')
    return (
      <div className={groupClass([valueId], errors)}>
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend">{def.label}: choose one or more</legend>
          <ErrorText id={valueId} errors={errors} />
          <div className="nhsuk-checkboxes nhsuk-checkboxes--small app-rule__options">
            {(def.options ?? []).map((o, i) => {
              const optionId = i === 0 ? valueId : `${valueId}-${i}`;
              return (
                <div className="nhsuk-checkboxes__item" key={o.value}>
                  <input
                    className="nhsuk-checkboxes__input"
                    id={optionId}
                    type="checkbox"
                    checked={rule.chosen.includes(o.value)}
                    onChange={(e) =>
                      set({
                        chosen: e.target.checked
                          ? [...rule.chosen, o.value]
                          : rule.chosen.filter((v) => v !== o.value),
                      })
                    }
                  />
                  <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={optionId}>
                    {o.label}
                  </label>
                </div>
              );
            })}
          </div>
        </fieldset>
      </div>
    );
  const label = def.type === 'activity' ? 'Number of times' : def.label;
  if (rule.operator === 'between')
    return (
      <div className="nhsuk-grid-row">
        {(['lowest', 'highest'] as const).map((which, i) => (
          <div className="nhsuk-grid-column-one-quarter" key={which}>
            <div className={groupClass([`${valueId}-${i}`, valueId], errors)}>
              <label className="nhsuk-label" htmlFor={`${valueId}-${i}`}>
                {label}: {which}
              </label>
              <ErrorText id={`${valueId}-${i}`} errors={errors} />
              {i === 0 ? <ErrorText id={valueId} errors={errors} /> : null}
              <input
                className="nhsuk-input nhsuk-input--width-5"
                id={`${valueId}-${i}`}
                inputMode="decimal"
                value={rule.text[i]}
                onChange={(e) =>
                  set({ text: i === 0 ? [e.target.value, rule.text[1]] : [rule.text[0], e.target.value] })
                }
              />
            </div>
          </div>
        ))}
      </div>
    );
  return (
    <div className={groupClass([valueId], errors)}>
      <label className="nhsuk-label" htmlFor={valueId}>
        {label}
      </label>
      <ErrorText id={valueId} errors={errors} />
      <input
        className="nhsuk-input nhsuk-input--width-5"
        id={valueId}
        inputMode="decimal"
        value={rule.text[0]}
        onChange={(e) => set({ text: [e.target.value, rule.text[1]] })}
      />
    </div>
  );
}
