// Unplanned care: A&E attendances and emergency admissions in the 12 months to the date, and the
// frequent-attender flag (docs/clinical/unplanned-care.md). Counted in SQL by stratify-models.store.ts.

export const UNPLANNED_CARE_MODEL_VERSION = 'unplanned-care-12m/1.0.0';

/** Five or more A&E attendances in 12 months (British Red Cross, "Nowhere else to turn", 2021). */
export const FREQUENT_ATTENDER_ED = 5;
