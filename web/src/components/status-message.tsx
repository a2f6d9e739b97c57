// One polite live region for the whole app, so "Loading…" and "Loaded" are announced by screen readers
// without moving focus. Pages set its text with useStatusMessage().
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';

const SetStatus = createContext<(message: string) => void>(() => {});

export function StatusMessageProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  return (
    <SetStatus value={setMessage}>
      {children}
      <p className="nhsuk-u-visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {message}
      </p>
    </SetStatus>
  );
}

export function useStatusMessage(message: string): void {
  const set = useContext(SetStatus);
  useEffect(() => set(message), [set, message]);
}
