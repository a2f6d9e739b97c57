// Record a review of a case: when it was held, what was said and decided, and when to review next (which
// becomes the case's review date).
import { useState } from 'react';
import { z } from 'zod';
import type { CaseDetail } from '../../../src/core/schemas/case.ts';
import { DateInput, dateParts, isoDate, NO_DATE } from '../components/date-input.tsx';
import { TextField } from '../components/text-field.tsx';
import { CaseForm } from './case-form.tsx';
import { CaseLoader } from './case-loader.tsx';

export function ReviewPage() {
  return (
    <CaseLoader what="the review form">
      {({ placeId, detail }) => <ReviewForm placeId={placeId} detail={detail} />}
    </CaseLoader>
  );
}

function ReviewForm({ placeId, detail }: { placeId: string; detail: CaseDetail }) {
  const c = detail.case;
  const [heldOn, setHeldOn] = useState(dateParts(detail.today));
  const [summary, setSummary] = useState('');
  const [nextReviewOn, setNextReviewOn] = useState(NO_DATE);
  return (
    <CaseForm
      caseId={c.id}
      title={`Record a review for ${c.person.name}`}
      submitText="Save review"
      url={`/api/places/${encodeURIComponent(placeId)}/cases/${c.id}/reviews`}
      method="POST"
      body={() => ({ send: { heldOn: isoDate(heldOn) ?? '', summary, nextReviewOn: isoDate(nextReviewOn) } })}
      response={z.object({ version: z.number() })}
      fields={{
        heldOn: { id: 'held-on', label: 'Date of the review' },
        summary: { id: 'review-summary', label: 'What was reviewed and decided' },
        nextReviewOn: { id: 'next-review-on', label: 'Next review' },
      }}
      done={() => 'The review has been recorded.'}
    >
      {({ errors }) => (
        <>
          <DateInput
            id="held-on"
            legend="Date of the review"
            hint="For example, 15 3 2027"
            error={errors.get('held-on')}
            value={heldOn}
            onChange={setHeldOn}
          />
          <TextField
            id="review-summary"
            label="What was reviewed and decided"
            hint="How the person is getting on with their goals, what has changed, and what happens next"
            error={errors.get('review-summary')}
            rows={6}
            value={summary}
            onChange={setSummary}
          />
          <DateInput
            id="next-review-on"
            legend="Next review"
            hint="Leave empty if no further review is planned. For example, 15 6 2027"
            error={errors.get('next-review-on')}
            value={nextReviewOn}
            onChange={setNextReviewOn}
          />
        </>
      )}
    </CaseForm>
  );
}
