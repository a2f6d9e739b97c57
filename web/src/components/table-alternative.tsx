// The same facts as a chart or map, as a table, behind "Show the … as a table": for people who cannot
// see or use the picture, and for anyone who wants the numbers. The caption names the table and the
// scrolling region around it.
import { type ReactNode, useId } from 'react';
import { ScrollTable } from './scroll-table.tsx';

export function TableAlternative({
  what,
  caption,
  tableClassName = 'nhsuk-table',
  className,
  children,
}: {
  /** What the table stands in for: "map", "chart", "pyramid". */
  what: string;
  caption: string;
  tableClassName?: string;
  /** Extra classes for the details element, such as app-print-hidden. */
  className?: string;
  /** The table's head and body. */
  children: ReactNode;
}) {
  const id = useId();
  return (
    <details className={`nhsuk-details${className ? ` ${className}` : ''}`}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">{`Show the ${what} as a table`}</span>
      </summary>
      <div className="nhsuk-details__text">
        <ScrollTable captionId={`${id}-table`}>
          <table className={tableClassName}>
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={`${id}-table`}>
              {caption}
            </caption>
            {children}
          </table>
        </ScrollTable>
      </div>
    </details>
  );
}
