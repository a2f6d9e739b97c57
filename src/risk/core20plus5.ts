// Core20PLUS5 (NHS England, 2021 for adults, 2022 for children and young people): the most deprived
// 20% of England by IMD, the PLUS groups the records allow, and the five clinical areas.
// The flags are computed in SQL in stratify-models.store.ts; docs/clinical/core20plus5.md explains them.

export const CORE20PLUS5_MODEL_VERSION = 'core20plus5-nhse2021-2022/1.0.0';

/** IMD 2019 national deciles 1 and 2. */
export const CORE20_MAX_DECILE = 2;

/** NHS data dictionary ethnic categories outside the White groups (A, B, C). */
export const ETHNIC_MINORITY_CATEGORIES = ['D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S'];

export type ClinicalArea = { readonly id: string; readonly label: string; readonly rule: string };

/** The clinical areas a person's own record can flag. The rest are listed in the docs. */
export const CLINICAL_AREAS: readonly ClinicalArea[] = [
  {
    id: 'adult-smi',
    label: 'Adults: severe mental illness',
    rule: 'aged 18 or over with severe mental illness',
  },
  {
    id: 'adult-respiratory',
    label: 'Adults: chronic respiratory disease',
    rule: 'aged 18 or over with COPD',
  },
  {
    id: 'adult-hypertension',
    label: 'Adults: hypertension case-finding and optimal management',
    rule: 'aged 18 or over with high blood pressure',
  },
  { id: 'adult-cancer', label: 'Adults: cancer', rule: 'aged 18 or over with cancer' },
  { id: 'cyp-asthma', label: 'Children and young people: asthma', rule: 'aged under 25 with asthma' },
  { id: 'cyp-diabetes', label: 'Children and young people: diabetes', rule: 'aged under 25 with diabetes' },
  { id: 'cyp-epilepsy', label: 'Children and young people: epilepsy', rule: 'aged under 25 with epilepsy' },
  {
    id: 'cyp-mental-health',
    label: 'Children and young people: mental health',
    rule: 'aged under 18 with depression or severe mental illness',
  },
];

export const CLINICAL_AREA_IDS = CLINICAL_AREAS.map((a) => a.id);
