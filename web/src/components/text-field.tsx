// One NHS.UK text input or textarea with its label, optional hint and error message, the form group
// marked in error when there is one. The input's id is the id the error summary links to.
export function TextField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  rows,
  inputClassName = '',
  inputMode,
  maxLength,
  type = 'text',
  autoComplete,
  spellCheck,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  /** A textarea of this many rows instead of an input. */
  rows?: number;
  inputClassName?: string;
  inputMode?: 'numeric' | 'decimal';
  maxLength?: number;
  type?: 'text' | 'password';
  autoComplete?: string;
  spellCheck?: boolean;
}) {
  const describedBy =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
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
      {rows ? (
        <textarea
          className={`nhsuk-textarea ${inputClassName}`.trim()}
          id={id}
          rows={rows}
          aria-describedby={describedBy}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          className={`nhsuk-input ${inputClassName}`.trim()}
          id={id}
          type={type}
          aria-describedby={describedBy}
          inputMode={inputMode}
          maxLength={maxLength}
          autoComplete={autoComplete}
          spellCheck={spellCheck}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </div>
  );
}
