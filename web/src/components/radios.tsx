// NHS.UK radios in a fieldset, with an optional hint, error message and, under any option, the fields
// that option reveals (kept in the page while hidden, so nothing typed there is lost on a change of
// mind). The first radio has the field's id, so the error summary's link lands on it.
import type { ReactNode } from 'react';

export interface RadioOption<T extends string> {
  value: T;
  label: string;
  hint?: string;
  /** Fields shown only while this option is chosen. */
  reveals?: ReactNode;
}

export function Radios<T extends string>({
  id,
  legend,
  legendSize = 'm',
  hint,
  error,
  value,
  onChange,
  options,
  isInline = false,
}: {
  id: string;
  legend: string;
  legendSize?: 's' | 'm' | 'l';
  hint?: string;
  error?: string;
  value: T | '';
  onChange: (value: T) => void;
  options: readonly RadioOption<T>[];
  isInline?: boolean;
}) {
  const describedBy =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const itemId = (i: number) => (i === 0 ? id : `${id}-${i + 1}`);
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy}>
        <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {error}
          </span>
        ) : null}
        <div className={`nhsuk-radios${isInline ? ' nhsuk-radios--inline' : ''}`}>
          {options.map((o, i) => (
            <RadioItem
              key={o.value}
              id={itemId(i)}
              name={id}
              option={o}
              isChecked={value === o.value}
              onChange={() => onChange(o.value)}
            />
          ))}
        </div>
      </fieldset>
    </div>
  );
}

function RadioItem<T extends string>({
  id,
  name,
  option,
  isChecked,
  onChange,
}: {
  id: string;
  name: string;
  option: RadioOption<T>;
  isChecked: boolean;
  onChange: () => void;
}) {
  const conditionalId = `conditional-${id}`;
  return (
    <>
      <div className="nhsuk-radios__item">
        <input
          className="nhsuk-radios__input"
          id={id}
          name={name}
          type="radio"
          value={option.value}
          checked={isChecked}
          onChange={onChange}
          aria-controls={option.reveals ? conditionalId : undefined}
          aria-describedby={option.hint ? `${id}-item-hint` : undefined}
        />
        <label className="nhsuk-label nhsuk-radios__label" htmlFor={id}>
          {option.label}
        </label>
        {option.hint ? (
          <div className="nhsuk-hint nhsuk-radios__hint" id={`${id}-item-hint`}>
            {option.hint}
          </div>
        ) : null}
      </div>
      {option.reveals ? (
        <div
          className={`nhsuk-radios__conditional${isChecked ? '' : ' nhsuk-radios__conditional--hidden'}`}
          id={conditionalId}
        >
          {option.reveals}
        </div>
      ) : null}
    </>
  );
}

/** NHS.UK checkboxes in a fieldset: several of a list chosen at once. */
export function Checkboxes({
  id,
  legend,
  legendSize = 's',
  hint,
  error,
  values,
  onChange,
  options,
}: {
  id: string;
  legend: string;
  legendSize?: 's' | 'm';
  hint?: string;
  error?: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  options: readonly { value: string; label: string; hint?: string }[];
}) {
  const describedBy =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy}>
        <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {error}
          </span>
        ) : null}
        <div className="nhsuk-checkboxes">
          {options.map((o, i) => {
            const itemId = i === 0 ? id : `${id}-${i + 1}`;
            const isChecked = values.includes(o.value);
            return (
              <div className="nhsuk-checkboxes__item" key={o.value}>
                <input
                  className="nhsuk-checkboxes__input"
                  id={itemId}
                  type="checkbox"
                  value={o.value}
                  checked={isChecked}
                  aria-describedby={o.hint ? `${itemId}-item-hint` : undefined}
                  onChange={() =>
                    onChange(isChecked ? values.filter((v) => v !== o.value) : [...values, o.value])
                  }
                />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={itemId}>
                  {o.label}
                </label>
                {o.hint ? (
                  <div className="nhsuk-hint nhsuk-checkboxes__hint" id={`${itemId}-item-hint`}>
                    {o.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
