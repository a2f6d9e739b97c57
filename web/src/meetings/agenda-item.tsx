// One person on an MDT agenda: their place in the order, why they are on it (a tag, then the detail),
// links to their record, case or referral, and what the meeting decided about them once discussed. The
// chair moves them up or down, or takes them off the agenda (and can put them back).
import { Link } from 'react-router';
import type { AgendaItemOut } from '../../../src/core/schemas/mdt.ts';
import { ActionStatusTag, DueDate } from '../cases/case-parts.tsx';
import { titleCaseOdsName } from '../components/ods-name.ts';
import { AgendaReasonTag, meetingHref } from './meeting-parts.tsx';

export const itemHeadingId = (itemId: string) => `agenda-item-${itemId}`;

export interface ChairControls {
  canMoveUp: boolean;
  canMoveDown: boolean;
  isBusy: boolean;
  onMove: (direction: 'up' | 'down') => void;
  onRemove: () => void;
}

export function AgendaItem({
  meetingId,
  item,
  number,
  mayRecord,
  chair,
}: {
  meetingId: string;
  item: AgendaItemOut;
  /** Its number as shown: 1 is first. */
  number: number;
  /** The discussion can be recorded (the meeting is not cancelled). */
  mayRecord: boolean;
  /** The chair's controls, for the chair while the meeting is still to be held. */
  chair: ChairControls | null;
}) {
  const { person } = item;
  return (
    <li className="app-agenda__item">
      <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-2" id={itemHeadingId(item.id)} tabIndex={-1}>
        <span className="app-agenda__number">{number}.</span> {person.name}
      </h3>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
        <AgendaReasonTag reason={item.reason} />{' '}
        {item.discussed ? <strong className="nhsuk-tag nhsuk-tag--green">Discussed</strong> : null}
      </p>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
        {person.nhsNumber ? `NHS number ${person.nhsNumber}` : 'No NHS number'}, aged {person.age}
      </p>
      {item.reasonDetail ? (
        <p className="nhsuk-body app-preserve-lines nhsuk-u-margin-bottom-2">{item.reasonDetail}</p>
      ) : null}
      <p className="nhsuk-body-s">Added by {item.addedBy}</p>
      {item.discussed ? <Discussion item={item} /> : null}
      <ul className="nhsuk-list app-inline-links">
        <li>
          <Link to={`/people/${person.id}`}>
            Their record<span className="nhsuk-u-visually-hidden">: {person.name}</span>
          </Link>
        </li>
        {item.caseId ? (
          <li>
            <Link to={`/cases/${item.caseId}`}>
              Their case<span className="nhsuk-u-visually-hidden">: {person.name}</span>
            </Link>
          </li>
        ) : item.referralId ? (
          <li>
            <Link to={`/referrals/${item.referralId}`}>
              The referral<span className="nhsuk-u-visually-hidden"> for {person.name}</span>
            </Link>
          </li>
        ) : null}
        {mayRecord ? (
          <li>
            <Link to={meetingHref(meetingId, `items/${item.id}`)}>
              {item.discussed ? 'Change the discussion' : 'Record the discussion'}
              <span className="nhsuk-u-visually-hidden"> of {person.name}</span>
            </Link>
          </li>
        ) : null}
      </ul>
      {chair ? (
        <div className="nhsuk-button-group app-print-hidden">
          {chair.canMoveUp ? (
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
              disabled={chair.isBusy}
              onClick={() => chair.onMove('up')}
            >
              Move up<span className="nhsuk-u-visually-hidden">: {person.name}</span>
            </button>
          ) : null}
          {chair.canMoveDown ? (
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
              disabled={chair.isBusy}
              onClick={() => chair.onMove('down')}
            >
              Move down<span className="nhsuk-u-visually-hidden">: {person.name}</span>
            </button>
          ) : null}
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
            disabled={chair.isBusy}
            onClick={chair.onRemove}
          >
            Take off the agenda<span className="nhsuk-u-visually-hidden">: {person.name}</span>
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** What the meeting recorded about the person: summary, decisions and the actions agreed. */
export function Discussion({ item, headingLevel = 4 }: { item: AgendaItemOut; headingLevel?: 3 | 4 }) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div className="app-discussion">
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Summary</dt>
          <dd className="nhsuk-summary-list__value app-preserve-lines">{item.summary}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Decisions</dt>
          <dd className="nhsuk-summary-list__value app-preserve-lines">{item.decisions}</dd>
        </div>
        {item.recordedBy ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Recorded by</dt>
            <dd className="nhsuk-summary-list__value">{item.recordedBy}</dd>
          </div>
        ) : null}
      </dl>
      {item.actions.length > 0 ? (
        <>
          <Heading className="nhsuk-heading-xs">Actions agreed for {item.person.name}</Heading>
          <ActionTable item={item} />
        </>
      ) : null}
    </div>
  );
}

function ActionTable({ item }: { item: AgendaItemOut }) {
  return (
    <table className="nhsuk-table">
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">
            Action
          </th>
          <th scope="col" className="nhsuk-table__header">
            Who
          </th>
          <th scope="col" className="nhsuk-table__header">
            Due
          </th>
          <th scope="col" className="nhsuk-table__header">
            Status
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {item.actions.map((a) => (
          <tr key={a.id} className="nhsuk-table__row">
            <td className="nhsuk-table__cell app-preserve-lines">{a.description}</td>
            <td className="nhsuk-table__cell">
              {a.ownerLabel}
              <br />
              <span className="nhsuk-body-s">{titleCaseOdsName(a.ownerAgencyName)}</span>
            </td>
            <td className="nhsuk-table__cell">
              <DueDate dueOn={a.dueOn} overdue={a.overdue} />
            </td>
            <td className="nhsuk-table__cell">
              <ActionStatusTag status={a.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
