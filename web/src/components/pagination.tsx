// NHS.UK numbered pagination for server-paged tables: first, last, and the pages around the current one.
import { Link } from 'react-router';
import { formatNumber } from './imd.ts';

function pagesToShow(current: number, last: number): (number | null)[] {
  const pages = new Set([1, last, current - 1, current, current + 1].filter((p) => p >= 1 && p <= last));
  const sorted = [...pages].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  sorted.forEach((p, i) => {
    const previous = sorted[i - 1];
    if (previous !== undefined && p - previous > 1) out.push(null);
    out.push(p);
  });
  return out;
}

/** Which page is shown, of how many, and the address of any page. */
interface PageLinks {
  page: number;
  pageCount: number;
  hrefFor: (page: number) => string;
}

export function Pagination({ page, pageCount, hrefFor }: PageLinks) {
  if (pageCount <= 1) return null;
  return (
    <nav className="nhsuk-pagination nhsuk-pagination--numbered" aria-label="Pagination">
      {page > 1 ? (
        <Link to={hrefFor(page - 1)} className="nhsuk-pagination__previous" rel="prev">
          <span className="nhsuk-pagination__title">
            Previous<span className="nhsuk-u-visually-hidden"> page</span>
          </span>
        </Link>
      ) : null}
      <ul className="nhsuk-pagination__list">
        {pagesToShow(page, pageCount).map((p, i) =>
          p === null ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: gaps have no identity of their own
            <li key={`gap-${i}`} className="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">
              ⋯
            </li>
          ) : (
            <li
              key={p}
              className={`nhsuk-pagination__item${p === page ? ' nhsuk-pagination__item--current' : ''}`}
            >
              <Link
                className="nhsuk-pagination__link"
                to={hrefFor(p)}
                aria-label={`Page ${p}`}
                aria-current={p === page ? 'page' : undefined}
              >
                {p}
              </Link>
            </li>
          ),
        )}
      </ul>
      {page < pageCount ? (
        <Link to={hrefFor(page + 1)} className="nhsuk-pagination__next" rel="next">
          <span className="nhsuk-pagination__title">
            Next<span className="nhsuk-u-visually-hidden"> page</span>
          </span>
        </Link>
      ) : null}
    </nav>
  );
}

/** "1 to 25 of 37": which of the rows this page shows. */
export const rowRange = (page: number, pageSize: number, total: number) =>
  `${formatNumber((page - 1) * pageSize + 1)} to ${formatNumber(Math.min(page * pageSize, total))} of ${formatNumber(total)}`;

/** A page number past the last page (a link kept from before the list shrank, or typed): say so. */
export function PastTheEnd({ page, pageCount, hrefFor }: PageLinks) {
  return (
    <p className="nhsuk-body">
      There is no page {formatNumber(page)}: there{' '}
      {pageCount === 1 ? 'is 1 page' : `are ${formatNumber(pageCount)} pages`}.{' '}
      <Link to={hrefFor(pageCount)}>Go to the last page</Link>
    </p>
  );
}
