// Cohort and worklist members as staff read them: the API's member, the CSV export, and each rule
// field's values in words from the place's vocabulary.
import { stringify } from 'csv-stringify/sync';
import type { Field, Vocabulary } from '../core/cohort-rules.ts';
import { formatNhsNumber } from '../core/nhs-number.ts';
import type { Member } from '../core/schemas/cohort.ts';
import type { CohortMember } from './cohort.store.ts';
import type { WorklistRow } from './worklist.store.ts';

/** Each vocabulary's labels by field and value, made once per stratification run's vocabulary. */
const vocabularyLabels = new WeakMap<Vocabulary, Map<Field, ReadonlyMap<string, string>>>();

/** A field's values as staff know them ("Name (ODS code)" for a practice), from the place's vocabulary. */
export const labelOf = (vocabulary: Vocabulary, field: Field) => {
  let fields = vocabularyLabels.get(vocabulary);
  if (!fields) {
    fields = new Map();
    vocabularyLabels.set(vocabulary, fields);
  }
  let labels = fields.get(field);
  if (!labels) {
    labels = new Map((vocabulary[field] ?? []).map((o) => [o.value, o.label]));
    fields.set(field, labels);
  }
  const found = labels;
  return (value: string) => found.get(value) ?? value;
};

/** A practice as staff know it, "Name (ODS code)", from the place's cohort vocabulary. */
export const practiceLabel = (vocabulary: Vocabulary) => labelOf(vocabulary, 'practice');

/** A cohort member as the API gives them, with their practice as staff know it. */
export function memberOut(m: CohortMember, practice: (code: string) => string): Member {
  return {
    personId: m.person_id,
    name: `${m.given_name} ${m.family_name}`,
    nhsNumber: m.nhs_number === null ? null : formatNhsNumber(m.nhs_number),
    dateOfBirth: m.date_of_birth,
    age: m.age,
    sex: m.sex,
    neighbourhood: m.neighbourhood_code,
    practice: m.practice_code,
    practiceName: practice(m.practice_code),
    imdDecile: m.imd_decile,
    segment: m.segment,
    efiBand: m.efi_band,
    efiDeficits: m.efi_deficits,
    hfrsScore: m.hfrs_score,
    hfrsBand: m.hfrs_band,
    charlsonScore: m.charlson_score,
    conditions: m.ltc_count,
    ed12m: m.ed_12m,
    emergency12m: m.emergency_12m,
  };
}

/**
 * Members as CSV for a spreadsheet: choices in words as the pages show them (a practice as "Name (ODS
 * code)", with its code in a column of its own for joining to other data), and every cell that a
 * spreadsheet would read as a formula made plain text.
 */
export function membersCsv(members: Member[], vocabulary: Vocabulary): string {
  const sex = labelOf(vocabulary, 'sex');
  const neighbourhood = labelOf(vocabulary, 'neighbourhood');
  const segment = labelOf(vocabulary, 'segment');
  const efiBand = labelOf(vocabulary, 'efiBand');
  const hfrsBand = labelOf(vocabulary, 'hfrsBand');
  return stringify(
    members.map((m) => [
      m.nhsNumber ?? '',
      m.name,
      m.dateOfBirth,
      m.age,
      sex(m.sex),
      neighbourhood(m.neighbourhood),
      m.practiceName,
      m.practice,
      m.imdDecile,
      segment(m.segment),
      efiBand(m.efiBand),
      m.efiDeficits,
      m.hfrsScore,
      hfrsBand(m.hfrsBand),
      m.charlsonScore,
      m.conditions,
      m.ed12m,
      m.emergency12m,
    ]),
    {
      header: true,
      columns: [
        'NHS number',
        'Name',
        'Date of birth',
        'Age',
        'Sex',
        'Neighbourhood',
        'GP practice',
        'GP practice ODS code',
        'IMD 2019 decile',
        'Population segment',
        'Frailty (eFI)',
        'eFI deficits',
        'HFRS',
        'HFRS band',
        'Charlson',
        'Long-term conditions',
        'A&E attendances (12 months)',
        'Emergency admissions (12 months)',
      ],
      escape_formulas: true,
    },
  );
}

/** A worklist's person: the member, with the decision about them that stands and any nomination. */
export function personOut(r: WorklistRow, practice: (code: string) => string) {
  return {
    ...memberOut(r, practice),
    latestDecision:
      r.decision === null
        ? null
        : {
            decision: r.decision,
            reason: r.decision_reason ?? '',
            reviewDate: r.review_date ?? '',
            decidedBy: r.decided_by ?? '',
            decidedAt: new Date(r.decided_at ?? 0).toISOString(),
          },
    nomination:
      r.nomination_reason === null
        ? null
        : { reason: r.nomination_reason, nominatedBy: r.nominated_by ?? '' },
  };
}
