// NHS.UK error summary: shown at the top of a form when the server refuses it, focused so that screen
// reader and keyboard users meet it first, each problem a link to the field it names.
import { useEffect, useRef } from 'react';

export type FormProblem = { fieldId: string | null; message: string };

export function ErrorSummary({ problems }: { problems: FormProblem[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length > 0) ref.current?.focus();
  }, [problems]);
  if (problems.length === 0) return null;
  return (
    <div className="nhsuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="nhsuk-error-summary__heading" id="error-summary-title">
          There is a problem
        </h2>
        <div className="nhsuk-error-summary__body">
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {problems.map((p) => (
              <li key={`${p.fieldId}:${p.message}`}>
                {p.fieldId ? <a href={`#${p.fieldId}`}>{p.message}</a> : p.message}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

/** The element id for an API field path: `rules.rules.0.value` → `rules-rules-0-value`. */
export const fieldId = (path: string) => path.replaceAll('.', '-');
