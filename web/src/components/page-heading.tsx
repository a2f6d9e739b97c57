// The page's one h1, which is also the document title. Focus moves to it after an in-app navigation, so
// screen reader users hear where they have arrived; on the first load the browser's focus is left alone.
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

export function PageHeading({ children, className }: { children: string; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const location = useLocation();
  useEffect(() => {
    document.title = children;
  }, [children]);
  useEffect(() => {
    if (location.key !== 'default' && !location.hash) ref.current?.focus();
  }, [location.key, location.hash]);
  return (
    <h1 ref={ref} tabIndex={-1} className={`app-page-heading${className ? ` ${className}` : ''}`}>
      {children}
    </h1>
  );
}
