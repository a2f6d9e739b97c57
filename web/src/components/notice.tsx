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
 * What the page just did, focused when it appears: the control used may have gone with the change (a
 * row ended or reviewed), and focus must not fall back to the top of the page. Give each notice its own
 * `key`, so that the same words for a second change are a new notice, focused again. Focus reads it out,
 * so it is not also a live region.
 */
export function FocusedNotice({ children }: { children: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="nhsuk-inset-text" ref={ref} tabIndex={-1}>
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>{children}</p>
    </div>
  );
}
