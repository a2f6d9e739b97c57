import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AppError, isAppError } from '../core/errors.ts';
import {
  SERVICE_REFERRAL_NEXT,
  SERVICE_REFERRAL_STATUSES,
  type ServiceReferralStatus,
} from '../core/schemas/service-referral.ts';
import {
  CLOSED_STATUSES,
  checkConsentToRefer,
  checkMove,
  checkReferrable,
  discloseFigures,
  isOpen,
  OPEN_STATUSES,
  type ReferrableService,
} from './service-referral-rules.ts';

/** The AppError `run` throws. */
function refusal(run: () => void): AppError {
  try {
    run();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  assert.fail('expected a refusal');
}

describe('moving a referral', () => {
  test('every move the contract allows is allowed, with a note where one is needed', () => {
    for (const from of SERVICE_REFERRAL_STATUSES)
      for (const to of SERVICE_REFERRAL_NEXT[from]) checkMove(from, { status: to, note: 'Moved away' });
    checkMove('sent', { status: 'received' });
    checkMove('received', { status: 'accepted' });
    checkMove('accepted', { status: 'in-progress' });
    checkMove('in-progress', { status: 'completed' });
  });

  test('every other move is refused with a 422 naming status', () => {
    for (const from of SERVICE_REFERRAL_STATUSES)
      for (const to of SERVICE_REFERRAL_STATUSES) {
        if (SERVICE_REFERRAL_NEXT[from].includes(to)) continue;
        const e = refusal(() => checkMove(from, { status: to, note: 'a note' }));
        assert.equal(e.status, 422, `${from} → ${to}`);
        assert.deepEqual(e.problems[0]?.expression, ['status'], `${from} → ${to}`);
      }
  });

  test('a skipped step says where the referral can go instead', () => {
    const e = refusal(() => checkMove('sent', { status: 'completed' }));
    assert.equal(
      e.message,
      'status: a referral that is sent cannot be marked completed. It can be marked received.',
    );
    assert.match(
      refusal(() => checkMove('received', { status: 'received' })).message,
      /accepted or declined/,
    );
    assert.match(
      refusal(() => checkMove('completed', { status: 'in-progress' })).message,
      /cannot change any more/,
    );
  });

  test('declined and not completed need a note (400 naming note); blank is no note', () => {
    for (const [from, to] of [
      ['received', 'declined'],
      ['in-progress', 'not-completed'],
    ] as [ServiceReferralStatus, ServiceReferralStatus][])
      for (const note of [undefined, '', '   ']) {
        const e = refusal(() => checkMove(from, { status: to, note }));
        assert.equal(e.status, 400);
        assert.deepEqual(e.problems[0]?.expression, ['note']);
      }
    checkMove('received', { status: 'declined', note: 'Outside our area' });
  });

  test('open and closed statuses split the statuses between them', () => {
    assert.deepEqual([...CLOSED_STATUSES].sort(), ['completed', 'declined', 'not-completed']);
    assert.deepEqual([...OPEN_STATUSES].sort(), ['accepted', 'in-progress', 'received', 'sent']);
    assert.equal(isOpen('in-progress'), true);
    assert.equal(isOpen('declined'), false);
  });
});

describe('which services can take a referral', () => {
  const running: ReferrableService = {
    name: 'Men’s shed, Radcliffe',
    status: 'active',
    isBoroughWide: false,
    locationCount: 1,
    receivingAgencyId: 'vcse-link-workers',
  };
  const refusedFor = (change: Partial<ReferrableService>) => {
    const e = refusal(() => checkReferrable({ ...running, ...change }));
    assert.equal(e.status, 422);
    assert.deepEqual(e.problems[0]?.expression, ['serviceId']);
    return e.message;
  };

  test('a running service with somewhere to be, whose referrals someone receives', () => {
    checkReferrable(running);
    // A borough-wide service (by phone, at home) needs no venue.
    checkReferrable({ ...running, locationCount: 0, isBoroughWide: true });
  });

  test('retired, not running, closed for now, nowhere to be, or no one to receive it: refused, saying why', () => {
    assert.match(refusedFor({ status: 'defunct' }), /has been retired/);
    assert.match(refusedFor({ status: 'inactive' }), /not running/);
    assert.match(refusedFor({ status: 'temporarily closed' }), /closed for now/);
    assert.match(refusedFor({ locationCount: 0 }), /has no location/);
    assert.match(refusedFor({ receivingAgencyId: null }), /no team receives them/);
  });

  test('an agency outside health and social care needs the person’s consent naming it', () => {
    const vcse = { id: 'vcse-link-workers', name: 'the link workers', sharesOnImpliedConsent: false };
    checkConsentToRefer(vcse, { status: 'given', agencies: ['vcse-link-workers'] });
    checkConsentToRefer({ ...vcse, sharesOnImpliedConsent: true }, { status: 'not-recorded', agencies: [] });
    for (const consent of [
      { status: 'not-recorded', agencies: [] },
      { status: 'given', agencies: ['bury-family-hubs'] },
      { status: 'withdrawn', agencies: ['vcse-link-workers'] },
    ]) {
      const e = refusal(() => checkConsentToRefer(vcse, consent));
      assert.equal(e.status, 422);
      assert.deepEqual(e.problems[0]?.expression, ['serviceId']);
      assert.match(e.message, /consent to share with them/);
    }
  });
});

describe('a service’s figures', () => {
  const counts = {
    referrals: 12,
    accepted: 9,
    declined: 3,
    completed: 8,
    notCompleted: 0,
    medianDaysToAccepted: 2.34,
  };

  test('counts of 1 to 7 are hidden, others rounded to 5, zero shown', () => {
    const f = discloseFigures('s', counts);
    assert.equal(f.referrals, 10);
    assert.equal(f.accepted, 10);
    assert.equal(f.declined, null);
    assert.equal(f.completed, 10);
    assert.equal(f.notCompleted, 0);
    for (let n = 1; n <= 7; n++)
      assert.equal(discloseFigures('s', { ...counts, referrals: n }).referrals, null);
    assert.equal(discloseFigures('s', { ...counts, referrals: 8 }).referrals, 10);
  });

  test('the acceptance rate is hidden when a count it comes from is hidden, and otherwise exact', () => {
    assert.equal(discloseFigures('s', counts).acceptanceRate, null, 'three declined: hidden');
    assert.equal(discloseFigures('s', { ...counts, declined: 0 }).acceptanceRate, 1);
    assert.equal(discloseFigures('s', { ...counts, accepted: 12, declined: 8 }).acceptanceRate, 0.6);
    assert.equal(discloseFigures('s', { ...counts, accepted: 4, declined: 0 }).acceptanceRate, null);
    assert.equal(
      discloseFigures('s', { ...counts, accepted: 0, declined: 0 }).acceptanceRate,
      null,
      'none decided',
    );
  });

  test('the median days to first contact goes with the accepted count, to a tenth of a day', () => {
    assert.equal(discloseFigures('s', counts).medianDaysToFirstContact, 2.3);
    assert.equal(discloseFigures('s', { ...counts, accepted: 5 }).medianDaysToFirstContact, null);
    assert.equal(
      discloseFigures('s', { ...counts, accepted: 0, medianDaysToAccepted: null }).medianDaysToFirstContact,
      null,
    );
  });
});
