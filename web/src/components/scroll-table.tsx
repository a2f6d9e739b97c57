// Lets a wide table scroll sideways on narrow screens instead of breaking the page. When (and only when)
// it overflows, the region can take keyboard focus so keyboard users can scroll it too; the region is
// named by the table's caption.
//
// NHS.UK frontend's own scroll component was tried first: its tables are 4px wider than their container
// by design, so it shows the "more to the right" shadow over the last column at every screen width.
import { type ReactNode, useEffect, useRef, useState } from 'react';

export function ScrollTable({ captionId, children }: { captionId: string; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  const [isOverflowing, setOverflowing] = useState(false);
  useEffect(() => {
    const region = ref.current;
    if (!region) return;
    const check = () => setOverflowing(region.scrollWidth > region.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(region);
    const table = region.firstElementChild;
    if (table) observer.observe(table);
    return () => observer.disconnect();
  }, []);
  return (
    <section
      className="app-table-scroll"
      ref={ref}
      aria-labelledby={captionId}
      tabIndex={isOverflowing ? 0 : undefined}
    >
      {children}
    </section>
  );
}
