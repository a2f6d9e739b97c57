// NHS.UK date input: day, month and year boxes in a fieldset, with a hint and an error message. The day
// box has the field's id, so the error summary's link lands on it. Dates travel as 'YYYY-MM-DD'.

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export const NO_DATE: DateParts = { day: '', month: '', year: '' };

/** '2027-03-15' → { day: '15', month: '3', year: '2027' }; anything else → empty boxes. */
export function dateParts(iso: string | null | undefined): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!match) return NO_DATE;
  return { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] ?? '' };
}

/**
 * The parts as 'YYYY-MM-DD' for the API to check; null when all three boxes are empty. A date typed
 * wrongly is sent as typed (padded), so the API names what is wrong with it.
 */
export function isoDate(parts: DateParts): string | null {
  const { day, month, year } = parts;
  if (!day.trim() && !month.trim() && !year.trim()) return null;
  const pad = (v: string, n: number) => v.trim().padStart(n, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function DateInput({
  id,
  legend,
  hint,
  error,
  value,
  onChange,
  legendSize = 's',
}: {
  /** The day box's id; the month and year boxes add "-month" and "-year". */
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  value: DateParts;
  onChange: (value: DateParts) => void;
  legendSize?: 's' | 'm';
}) {
  const describedBy =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const parts = [
    ['day', 'Day', 2, id],
    ['month', 'Month', 2, `${id}-month`],
    ['year', 'Year', 4, `${id}-year`],
  ] as const;
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
        <div className="nhsuk-date-input">
          {parts.map(([part, label, width, inputId]) => (
            <div className="nhsuk-date-input__item" key={part}>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-date-input__label" htmlFor={inputId}>
                  {label}
                </label>
                <input
                  className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}${error ? ' nhsuk-input--error' : ''}`}
                  id={inputId}
                  inputMode="numeric"
                  value={value[part]}
                  onChange={(e) => onChange({ ...value, [part]: e.target.value })}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
