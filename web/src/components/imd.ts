// National deprivation deciles (English Indices of Deprivation): decile 1 is the most deprived 10% of
// neighbourhoods (LSOAs) in England, decile 10 the least deprived.
export const DECILES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

export function decileWords(decile: number): string {
  if (decile === 1) return '1 (most deprived)';
  if (decile === 10) return '10 (least deprived)';
  return String(decile);
}

/** Class that fills a shape or swatch with the sequential colour of a decile (see app.scss). */
export function decileClass(decile: number): string {
  const d = Math.min(10, Math.max(1, Math.round(decile)));
  return `app-imd-fill-${d}`;
}

export const formatNumber = (n: number): string => n.toLocaleString('en-GB');

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  return `${Math.round((part / whole) * 100)}%`;
}
