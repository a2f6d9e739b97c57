// The rules of a referral into a directory service, as pure functions: where it may go next (along
// SERVICE_REFERRAL_NEXT, one step at a time), which moves must say why, which referrals are still open,
// which services can take a referral, and the service's figures with small numbers suppressed. Each
// refusal is an AppError naming the field, in plain words. Pure: no IO.
import { discloseCount } from '../access/disclosure.ts';
import { fieldError } from '../core/errors.ts';
import {
  SERVICE_REFERRAL_NEEDS_NOTE,
  SERVICE_REFERRAL_NEXT,
  SERVICE_REFERRAL_STATUS_LABELS,
  SERVICE_REFERRAL_STATUSES,
  type ServiceFigures,
  type ServiceReferralStatus,
} from '../core/schemas/service-referral.ts';
import type { ServiceStatus } from './directory.ts';

/** Statuses a referral ends in: nothing follows them. */
export const CLOSED_STATUSES: readonly ServiceReferralStatus[] = SERVICE_REFERRAL_STATUSES.filter(
  (s) => SERVICE_REFERRAL_NEXT[s].length === 0,
);
/** Statuses of a referral still under way (sent, received, accepted, in progress). */
export const OPEN_STATUSES: readonly ServiceReferralStatus[] = SERVICE_REFERRAL_STATUSES.filter(
  (s) => !CLOSED_STATUSES.includes(s),
);
export const isOpen = (status: ServiceReferralStatus): boolean => OPEN_STATUSES.includes(status);

const label = (s: ServiceReferralStatus) => SERVICE_REFERRAL_STATUS_LABELS[s].toLowerCase();
const inWords = (list: readonly string[]) =>
  list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;

/**
 * Checks a move from the referral's current status: only to a status SERVICE_REFERRAL_NEXT allows
 * (422 naming `status`), and with a note when the move needs one (400 naming `note`).
 */
export function checkMove(
  from: ServiceReferralStatus,
  move: { status: ServiceReferralStatus; note?: string | undefined },
): void {
  const next = SERVICE_REFERRAL_NEXT[from];
  if (!next.includes(move.status)) {
    const message =
      next.length === 0
        ? `status: this referral is ${label(from)}, so its status cannot change any more.`
        : move.status === from
          ? `status: this referral is already ${label(from)}. It can now be marked ${inWords(next.map(label))}.`
          : `status: a referral that is ${label(from)} cannot be marked ${label(move.status)}. It can be marked ${inWords(next.map(label))}.`;
    throw fieldError('business-rule', 'status', message);
  }
  if (SERVICE_REFERRAL_NEEDS_NOTE.includes(move.status) && !move.note?.trim())
    throw fieldError(
      'invalid',
      'note',
      move.status === 'declined'
        ? 'note: say why the referral is declined, so the referrer can find the person other help.'
        : 'note: say why the work was not completed, so the referrer knows what happened.',
    );
}

/** What a service needs to take a referral: to be running, and somewhere to be. */
export interface ReferrableService {
  name: string;
  status: ServiceStatus;
  isBoroughWide: boolean;
  locationCount: number;
  /** The agency whose staff receive the organisation's referrals, if any. */
  receivingAgencyId: string | null;
}

/** Refuses (422 naming `serviceId`) a service that cannot take a referral now, saying why. */
export function checkReferrable(service: ReferrableService): void {
  const refuse = (why: string) => {
    throw fieldError('business-rule', 'serviceId', `serviceId: ${service.name} ${why}`);
  };
  if (service.status === 'defunct')
    refuse('has been retired and takes no referrals. Choose a service that is running.');
  if (service.status === 'inactive')
    refuse('is not running at the moment. Choose a service that is running.');
  if (service.status === 'temporarily closed')
    refuse('is closed for now and takes no referrals. Choose a service that is running.');
  // A service that meets nowhere and does not serve the whole place (by phone or at home) has nowhere to see anyone.
  if (service.locationCount === 0 && !service.isBoroughWide)
    refuse('has no location, so there is nowhere for the person to go. Choose another service.');
  if (service.receivingAgencyId === null)
    refuse('does not take referrals through Joined Up: no team receives them. Contact the service directly.');
}

/**
 * Refuses (422 naming `serviceId`) a referral to an agency outside direct health and social care when
 * the person has not consented to share their case with it: the referral and their record would go to it.
 */
export function checkConsentToRefer(
  agency: { id: string; name: string; sharesOnImpliedConsent: boolean },
  consent: { status: string; agencies: readonly string[] },
): void {
  if (agency.sharesOnImpliedConsent) return;
  if (consent.status === 'given' && consent.agencies.includes(agency.id)) return;
  throw fieldError(
    'business-rule',
    'serviceId',
    `serviceId: the referral would go to ${agency.name}. Record the person's consent to share with them on the case first.`,
  );
}

/** A service's referrals, counted exactly, before disclosure. */
export interface ReferralCounts {
  referrals: number;
  accepted: number;
  declined: number;
  completed: number;
  notCompleted: number;
  /** Median days from sent to accepted over the accepted ones, or null when none was. */
  medianDaysToAccepted: number | null;
}

/**
 * The figures as they may be shown: each count through the small-number rule (1 to 7 hidden, others
 * rounded to 5); the acceptance rate from the exact counts, hidden when either count it is made from is
 * hidden, or when none is decided; the median hidden with the count of accepted referrals.
 */
export function discloseFigures(serviceId: string, c: ReferralCounts): ServiceFigures {
  const shown = (n: number) => discloseCount(n).value;
  const accepted = shown(c.accepted);
  const declined = shown(c.declined);
  const decided = c.accepted + c.declined;
  return {
    serviceId,
    referrals: shown(c.referrals),
    accepted,
    declined,
    acceptanceRate:
      accepted === null || declined === null || decided === 0
        ? null
        : Math.round((c.accepted / decided) * 1000) / 1000,
    medianDaysToFirstContact:
      accepted === null || c.accepted === 0 || c.medianDaysToAccepted === null
        ? null
        : Math.round(c.medianDaysToAccepted * 10) / 10,
    completed: shown(c.completed),
    notCompleted: shown(c.notCompleted),
  };
}
