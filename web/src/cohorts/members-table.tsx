// A page of people from a cohort or worklist: who they are, where, and the scores that put them there.
// The server sorts and pages; this only shows. `extra` adds columns, such as a worklist's decision.
import type { ReactNode } from 'react';
import { Form, Link } from 'react-router';
import type { Member } from '../../../src/core/schemas/cohort.ts';
import { titleCaseOdsName } from '../components/ods-name.ts';
import { ScrollTable } from '../components/scroll-table.tsx';

const BAND_TAG: Record<string, string> = {
  fit: 'nhsuk-tag--white',
  mild: 'nhsuk-tag--yellow',
  moderate: 'nhsuk-tag--orange',
  severe: 'nhsuk-tag--red',
};

export const FRAILTY_LABEL: Record<string, string> = {
  fit: 'Fit',
  mild: 'Mild frailty',
  moderate: 'Moderate frailty',
  severe: 'Severe frailty',
};

export function MembersTable<T extends Member>({
  caption,
  captionId,
  members,
  neighbourhoodName,
  extra,
}: {
  caption: string;
  captionId: string;
  members: T[];
  neighbourhoodName: (code: string) => string;
  extra?: { header: string; cell: (member: T) => ReactNode };
}) {
  return (
    <ScrollTable captionId={captionId}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m" id={captionId}>
          {caption}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Name and NHS number
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              Age
            </th>
            <th scope="col" className="nhsuk-table__header">
              Neighbourhood and practice
            </th>
            <th scope="col" className="nhsuk-table__header">
              Frailty (eFI)
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              Hospital frailty score
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              Long-term conditions
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              Emergency admissions, A&amp;E (12 months)
            </th>
            {extra ? (
              <th scope="col" className="nhsuk-table__header">
                {extra.header}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {members.map((m) => (
            <tr key={m.personId} className="nhsuk-table__row">
              <td className="nhsuk-table__cell">
                <Link to={`/people/${m.personId}`}>{m.name}</Link>
                <br />
                <span className="nhsuk-body-s app-nowrap">{m.nhsNumber ?? 'No NHS number'}</span>
              </td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{m.age}</td>
              <td className="nhsuk-table__cell">
                {neighbourhoodName(m.neighbourhood)}
                <br />
                <span className="nhsuk-body-s">{titleCaseOdsName(m.practiceName)}</span>
              </td>
              <td className="nhsuk-table__cell">
                <strong className={`nhsuk-tag ${BAND_TAG[m.efiBand] ?? ''}`}>
                  {FRAILTY_LABEL[m.efiBand] ?? m.efiBand}
                </strong>
                <br />
                <span className="nhsuk-body-s">{m.efiDeficits} of 36 deficits</span>
              </td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{m.hfrsScore.toFixed(1)}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{m.conditions}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {m.emergency12m}, {m.ed12m}
              </td>
              {extra ? <td className="nhsuk-table__cell">{extra.cell(m)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** Sort order and direction as a small GET form, so the choice is in the URL and works without script. */
export function SortForm({
  sorts,
  sort,
  direction,
  hidden = {},
}: {
  sorts: { value: string; label: string }[];
  sort: string;
  direction: string;
  hidden?: Record<string, string>;
}) {
  return (
    <Form method="get" className="app-sort-form">
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="sort">
          Sort by
        </label>
        <select className="nhsuk-select" id="sort" name="sort" defaultValue={sort}>
          {sorts.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="direction">
          Order
        </label>
        <select className="nhsuk-select" id="direction" name="direction" defaultValue={direction}>
          <option value="desc">Highest first</option>
          <option value="asc">Lowest first</option>
        </select>
      </div>
      <button type="submit" className="nhsuk-button nhsuk-button--secondary">
        Sort
      </button>
    </Form>
  );
}
