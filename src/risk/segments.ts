// Segmentation of the whole population into the eight Bridges to Health segments (Lynn et al.,
// Milbank Quarterly 2007), adapted to what primary care, hospital and social care records hold.
// Every resident is in exactly one segment: the first, in this order, whose rule they meet.
// The rules themselves are SQL in stratify-models.store.ts; docs/clinical/segmentation.md explains them.

export const SEGMENT_MODEL_VERSION = 'bridges-to-health/1.0.0';

export type SegmentId =
  | 'short-decline'
  | 'organ-failure'
  | 'frailty-dementia'
  | 'stable-disability'
  | 'chronic-conditions'
  | 'maternal-infant'
  | 'acutely-ill'
  | 'healthy';

export type Segment = { readonly id: SegmentId; readonly label: string; readonly rule: string };

/** In order of precedence. */
export const SEGMENTS: readonly Segment[] = [
  {
    id: 'short-decline',
    label: 'Short period of decline before dying',
    rule: 'has cancer and had an emergency admission in the last 12 months',
  },
  {
    id: 'organ-failure',
    label: 'Limited reserve and serious exacerbations (organ failure)',
    rule: 'has heart failure, or has COPD or chronic kidney disease and had an emergency admission in the last 12 months',
  },
  {
    id: 'frailty-dementia',
    label: 'Long period of decline (frailty or dementia)',
    rule: 'has dementia, or moderate or severe frailty on the electronic Frailty Index',
  },
  {
    id: 'stable-disability',
    label: 'Stable but serious disability',
    rule: 'has a learning disability, or is under 65 and has home care or lives in a care home',
  },
  {
    id: 'chronic-conditions',
    label: 'Long-term conditions, normal function',
    rule: 'has at least one long-term condition from the multimorbidity list',
  },
  {
    id: 'maternal-infant',
    label: 'Maternal and infant health',
    rule: 'is under 1 year old (pregnancy is not recorded in the data)',
  },
  {
    id: 'acutely-ill',
    label: 'Acutely ill but likely to recover',
    rule: 'attended A&E or had an emergency admission in the last 12 months',
  },
  { id: 'healthy', label: 'Healthy', rule: 'none of the above' },
];

export const SEGMENT_IDS = SEGMENTS.map((s) => s.id);
