// What the previous page did, said on the page it led to ("Referral accepted."): passed in the
// navigation's state as `notice`, shown as NHS.UK inset text and announced politely.
import { type ReactNode, useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/** The notice the navigation to this page carried, if any. */
export function useNotice(): string | null {
  const location = useLocation();
  return (location.state as { notice?: string } | null)?.notice ?? null;
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="nhsuk-inset-text" role="status">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>{children}</p>
    </div>
  );
}

/**
 * What the page just did, focused when it appears or changes: the control used may have gone with the
 * change (a row ended or reviewed), and focus must not fall back to the top of the page.
 */
export function FocusedNotice({ children }: { children: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (children) ref.current?.focus();
  }, [children]);
  return (
    <div className="nhsuk-inset-text" role="status" ref={ref} tabIndex={-1}>
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>{children}</p>
    </div>
  );
}
