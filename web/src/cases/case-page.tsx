// One case: who the person is and why they were referred; who is involved (lead professional, key
// workers, next review); consent to share; the personalised care and support plan (what matters to the
// person, strengths, risks, goals in their words, and actions, each with a quick change of status);
// referrals to services with how each went; reviews; and links to change the plan, record a review,
// contact or consent, close the case and see its history.
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../../src/core/dates.ts';
import { type CaseDetail, CLOSURE_REASON_LABELS, type PlanOut } from '../../../src/core/schemas/case.ts';
import { formatDateTime } from '../components/format-time.ts';
import { Notice, useNotice } from '../components/notice.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { CaseServiceReferrals } from '../service-referrals/case-service-referrals.tsx';
import { ActionStatusForm } from './action-status-form.tsx';
import { CaseLoader, caseHref } from './case-loader.tsx';
import { ActionStatusTag, DueDate, PersonSummaryList, ReviewDue, SummaryRow } from './case-parts.tsx';
import { actionCounts, CONSENT_STATUS_LABELS, GIVEN_BY_LABELS } from './labels.ts';

export function CasePage() {
  return (
    <CaseLoader what="the case">
      {({ placeId, detail }) => <CaseView key={detail.case.id} placeId={placeId} detail={detail} />}
    </CaseLoader>
  );
}

export const caseTitle = (detail: CaseDetail) => `Case for ${detail.case.person.name}`;

function CaseView({ placeId, detail }: { placeId: string; detail: CaseDetail }) {
  const { case: c, reviews, consentHistory, today } = detail;
  const [plan, setPlan] = useState<PlanOut>(detail.plan);
  const [changed, setChanged] = useState<string | null>(null);
  const notice = useNotice();
  const isOpen = c.status === 'open';
  const counts = actionCounts(plan);
  const title = caseTitle(detail);
  useStatusMessage(`${title}: loaded`);
  const goalText = new Map(plan.goals.map((g) => [g.id, g.text]));
  const captionId = 'actions-caption';

  return (
    <>
      <Link className="nhsuk-back-link" to="/caseload">
        Back to the caseload
      </Link>
      {notice ? <Notice>{notice}</Notice> : null}
      <PageHeading>{title}</PageHeading>
      <p className="nhsuk-body">
        {isOpen ? (
          <strong className="nhsuk-tag nhsuk-tag--green">Open</strong>
        ) : (
          <strong className="nhsuk-tag nhsuk-tag--grey">Closed</strong>
        )}{' '}
        {c.teamName}, opened {formatDate(c.openedAt.slice(0, 10))}.
        {c.closedAt ? ` Closed ${formatDate(c.closedAt.slice(0, 10))}.` : ''}
      </p>
      {!isOpen ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Closed:{' '}
            {CLOSURE_REASON_LABELS[c.closureReason as keyof typeof CLOSURE_REASON_LABELS] ?? c.closureReason}.{' '}
            {c.closureOutcome}
          </p>
        </div>
      ) : null}

      <h2 className="nhsuk-heading-l">The person</h2>
      <PersonSummaryList person={c.person} />
      {c.referral ? (
        <dl className="nhsuk-summary-list">
          <SummaryRow label="Referred because">
            <span className="app-preserve-lines">{c.referral.reason}</span>
          </SummaryRow>
          <SummaryRow label="Referred by">{c.referral.referrer}</SummaryRow>
        </dl>
      ) : null}

      <h2 className="nhsuk-heading-l">Who is involved</h2>
      <dl className="nhsuk-summary-list">
        <SummaryRow label="Lead professional">{c.leadPractitioner.label}</SummaryRow>
        <SummaryRow label="Key workers">
          {c.keyWorkers.length === 0 ? (
            'None yet'
          ) : (
            <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
              {c.keyWorkers.map((k) => (
                <li key={k.id}>
                  {k.label} ({k.agencyName})
                </li>
              ))}
            </ul>
          )}
        </SummaryRow>
        <SummaryRow label="Next review">
          <ReviewDue reviewDueOn={c.reviewDueOn} today={today} />
        </SummaryRow>
      </dl>
      {isOpen ? (
        <p className="nhsuk-body">
          <Link to={caseHref(c.id, 'team')}>Change the lead professional, key workers or review date</Link>
        </p>
      ) : null}

      <h2 className="nhsuk-heading-l">Consent to share</h2>
      <dl className="nhsuk-summary-list">
        <SummaryRow label="Consent">{CONSENT_STATUS_LABELS[c.consent.status]}</SummaryRow>
        <SummaryRow label="Shared with">
          {c.consent.status === 'given' && c.consent.agencies.length > 0 ? (
            <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
              {c.consent.agencies.map((a) => (
                <li key={a.id}>{a.name}</li>
              ))}
            </ul>
          ) : (
            'Health and social care only'
          )}
        </SummaryRow>
      </dl>
      <p className="nhsuk-body-s">
        Health and social care staff share the case for the person’s care without recorded consent. Staff of
        other agencies, such as the voluntary sector, housing or the police, see it only while the person’s
        consent names their agency.
      </p>
      {consentHistory.length > 0 ? (
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">Consent recorded before</span>
          </summary>
          <div className="nhsuk-details__text">
            <ul className="nhsuk-list">
              {consentHistory.map((h) => (
                <li key={h.recordedAt}>
                  <strong>{CONSENT_STATUS_LABELS[h.status]}</strong> by{' '}
                  {(GIVEN_BY_LABELS[h.givenBy] ?? h.givenBy).toLowerCase()}
                  {h.agencies.length > 0 ? `, for ${h.agencies.join(', ')}` : ''}: “{h.purpose}”. Recorded by{' '}
                  {h.recordedBy}, {formatDateTime(h.recordedAt)}.
                </li>
              ))}
            </ul>
          </div>
        </details>
      ) : null}
      {isOpen ? (
        <p className="nhsuk-body">
          <Link to={caseHref(c.id, 'consent')}>Record consent to share</Link>
        </p>
      ) : null}

      <h2 className="nhsuk-heading-l">Care and support plan</h2>
      <p className="nhsuk-body-s">
        Version {plan.version}, saved by {plan.updatedBy}, {formatDateTime(plan.updatedAt)}.
      </p>
      <h3 className="nhsuk-heading-m">What matters to me</h3>
      <PlanText text={plan.whatMatters} none="Not recorded yet." />
      <h3 className="nhsuk-heading-m">Strengths</h3>
      <PlanText text={plan.strengths} none="Not recorded yet." />
      <h3 className="nhsuk-heading-m">Risks</h3>
      <PlanText text={plan.risks} none="Not recorded yet." />
      <h3 className="nhsuk-heading-m">Goals</h3>
      {plan.goals.length === 0 ? (
        <p className="nhsuk-body">No goals yet.</p>
      ) : (
        <ol className="nhsuk-list nhsuk-list--number">
          {plan.goals.map((g) => (
            <li key={g.id} className="app-preserve-lines">
              “{g.text}”
            </li>
          ))}
        </ol>
      )}
      <h3 className="nhsuk-heading-m">Actions</h3>
      {changed ? <Notice>{changed}</Notice> : null}
      {plan.actions.length === 0 ? (
        <p className="nhsuk-body">No actions yet.</p>
      ) : (
        <ScrollTable captionId={captionId}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={captionId}>
              {plan.actions.length} {plan.actions.length === 1 ? 'action' : 'actions'}: {counts.open} open,{' '}
              {counts.overdue} overdue
            </caption>
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
              {plan.actions.map((a) => (
                <tr key={a.id} className="nhsuk-table__row">
                  <td className="nhsuk-table__cell">
                    <span className="app-preserve-lines">{a.description}</span>
                    {a.goalId && goalText.has(a.goalId) ? (
                      <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                        For the goal “{goalText.get(a.goalId)}”
                      </p>
                    ) : null}
                  </td>
                  <td className="nhsuk-table__cell">
                    {a.ownerAgencyName}
                    <br />
                    <span className="nhsuk-body-s">{a.ownerLabel}</span>
                  </td>
                  <td className="nhsuk-table__cell">
                    <DueDate dueOn={a.dueOn} overdue={a.overdue} />
                  </td>
                  <td className="nhsuk-table__cell">
                    <ActionStatusTag status={a.status} />
                    {isOpen ? (
                      <div className="nhsuk-u-margin-top-2">
                        <ActionStatusForm
                          key={a.id}
                          placeId={placeId}
                          action={a}
                          onSaved={(saved, message) => {
                            setPlan(saved);
                            setChanged(message);
                          }}
                        />
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {isOpen ? (
        <p className="nhsuk-body">
          <Link className="nhsuk-button nhsuk-button--secondary" to={caseHref(c.id, 'plan')}>
            Change the plan
          </Link>
        </p>
      ) : null}

      <CaseServiceReferrals placeId={placeId} caseId={c.id} personName={c.person.name} isOpen={isOpen} />

      <h2 className="nhsuk-heading-l">Reviews</h2>
      {reviews.length === 0 ? (
        <p className="nhsuk-body">No reviews yet.</p>
      ) : (
        <ul className="nhsuk-list">
          {reviews.map((r) => (
            <li key={r.id} className="nhsuk-u-margin-bottom-4">
              <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">Review on {formatDate(r.heldOn)}</h3>
              <p className="nhsuk-body nhsuk-u-margin-bottom-1 app-preserve-lines">{r.summary}</p>
              <p className="nhsuk-body-s">
                Recorded by {r.recordedBy}. Next review{' '}
                {r.nextReviewOn ? formatDate(r.nextReviewOn) : 'not set'}.
              </p>
            </li>
          ))}
        </ul>
      )}
      {isOpen ? (
        <ul className="nhsuk-list">
          <li>
            <Link to={caseHref(c.id, 'review')}>Record a review</Link>
          </li>
          <li>
            <Link to={caseHref(c.id, 'contact')}>Record a contact with {c.person.name}</Link>
          </li>
        </ul>
      ) : null}

      <h2 className="nhsuk-heading-l">History and closing</h2>
      <p className="nhsuk-body-s">
        Case version {c.version}, last changed by {c.updatedBy}, {formatDateTime(c.updatedAt)}.
      </p>
      <ul className="nhsuk-list">
        <li>
          <Link to={caseHref(c.id, 'history')}>See every change to the case and its plan</Link>
        </li>
        <li>
          <Link to={`/people/${c.person.id}/timeline`}>
            See {c.person.name}’s timeline: hospital care, contacts, plan changes and MDT decisions
          </Link>
        </li>
        {isOpen ? (
          <li>
            <Link to={caseHref(c.id, 'close')}>Close the case</Link>
          </li>
        ) : null}
      </ul>
    </>
  );
}

function PlanText({ text, none }: { text: string; none: string }) {
  return text ? (
    <p className="nhsuk-body app-preserve-lines">{text}</p>
  ) : (
    <p className="nhsuk-body">{none}</p>
  );
}
