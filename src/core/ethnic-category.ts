// Ethnic category as the NHS Data Dictionary codes it (the 2001 Census groups, A to S, Z not stated), in
// words. Pure; shared by the API and the web pages.

const ETHNIC_CATEGORIES: Readonly<Record<string, string>> = {
  A: 'White: British',
  B: 'White: Irish',
  C: 'White: any other White background',
  D: 'Mixed: White and Black Caribbean',
  E: 'Mixed: White and Black African',
  F: 'Mixed: White and Asian',
  G: 'Mixed: any other mixed background',
  H: 'Asian or Asian British: Indian',
  J: 'Asian or Asian British: Pakistani',
  K: 'Asian or Asian British: Bangladeshi',
  L: 'Asian or Asian British: any other Asian background',
  M: 'Black or Black British: Caribbean',
  N: 'Black or Black British: African',
  P: 'Black or Black British: any other Black background',
  R: 'Other ethnic groups: Chinese',
  S: 'Other ethnic groups: any other ethnic group',
  Z: 'Not stated',
  '99': 'Not known',
};

/** 'M' → 'Black or Black British: Caribbean'; an unknown code is shown as it was recorded. */
export function ethnicCategoryLabel(code: string): string {
  return ETHNIC_CATEGORIES[code] ?? `Recorded as "${code}"`;
}
