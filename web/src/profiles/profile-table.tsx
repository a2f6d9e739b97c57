// The compact tables of profiles and outcomes: a caption for screen readers, column headers, and the
// rows the page gives, scrolling sideways on narrow screens.
import { type ReactNode, useId } from 'react';
import { ScrollTable } from '../components/scroll-table.tsx';

export interface Column {
  label: string;
  isNumeric?: boolean;
}

export function ProfileTable({
  caption,
  columns,
  className = 'nhsuk-table nhsuk-table--compact',
  children,
}: {
  caption: string;
  /** The column headers; `false` leaves a column out. */
  columns: readonly (Column | false)[];
  className?: string;
  /** The table's rows. */
  children: ReactNode;
}) {
  const id = useId();
  return (
    <ScrollTable captionId={`${id}-caption`}>
      <table className={className}>
        <caption className="nhsuk-u-visually-hidden" id={`${id}-caption`}>
          {caption}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            {columns
              .filter((c): c is Column => c !== false)
              .map((c) => (
                <th
                  key={c.label}
                  className={`nhsuk-table__header${c.isNumeric ? ' nhsuk-table__header--numeric' : ''}`}
                  scope="col"
                >
                  {c.label}
                </th>
              ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">{children}</tbody>
      </table>
    </ScrollTable>
  );
}
