// The person API's contract: one resident's details, risk scores with their explanations in plain words,
// and recent unplanned care. Shared by the server (validation, OpenAPI) and the web app (types). Pure.
import { z } from 'zod';

/** Any UUID PostgreSQL would accept in its usual written form (8-4-4-4-12 hexadecimal digits). */
export const personIdParam = z.guid(
  'must be a person id: a UUID such as 0b6f4e3a-6d1c-4c5e-9a57-2f1d8e0c4b21',
);

const date = z.iso.date();
const codeAndName = z.object({ code: z.string(), name: z.string() });

export const EXPLAINED_MODELS = [
  'efi',
  'hfrs',
  'charlson',
  'ltc',
  'unplannedCare',
  'core20plus5',
  'segment',
] as const;
export type ExplainedModel = (typeof EXPLAINED_MODELS)[number];

export const scoreExplanation = z.object({
  model: z.enum(EXPLAINED_MODELS),
  /** The model's name in words, plain term first: "Frailty (electronic Frailty Index)". */
  title: z.string(),
  /** The band or flag, for a tag; null when the model has none to show. */
  band: z
    .object({
      id: z.string(),
      label: z.string(),
      level: z.number().int().min(0).max(3).describe('0 (lowest) to 3 (highest): how strongly to show it'),
    })
    .nullable(),
  /** One or two sentences: the result and what it is based on. */
  summary: z.string(),
  /** Why: each thing that counted, with its evidence and date. */
  reasons: z.array(z.string()),
  /** How the model works: what it counts, its bands and look-back. */
  notes: z.array(z.string()),
  modelVersion: z.string().nullable(),
});
export type ScoreExplanation = z.infer<typeof scoreExplanation>;

export const unplannedCareEvent = z.object({
  /** The encounter's number among the person's records: with the person, it identifies the record. */
  seq: z.number().int(),
  date,
  kind: z.enum(['ed', 'emergency-admission']),
  kindLabel: z.string(),
  /** ICD-10 code as recorded; A&E attendances usually have none. */
  primaryDiagnosis: z.string().nullable(),
});

export const personDetail = z.object({
  place: z.object({ id: z.string(), name: z.string() }),
  person: z.object({
    id: z.string(),
    givenName: z.string(),
    familyName: z.string(),
    /** NHS number grouped 3 3 4 for reading, such as "999 000 0018". */
    nhsNumber: z.string().nullable(),
    dateOfBirth: date,
    /** Whole years on the date of the scores (or on the date of death, or today when there are no scores). */
    age: z.number().int(),
    ageOn: date,
    sex: z.enum(['female', 'male']),
    ethnicCategory: codeAndName,
    dateOfDeath: date.nullable(),
    neighbourhood: codeAndName.nullable(),
    ward: codeAndName.nullable(),
    lsoa: codeAndName.nullable(),
    practice: codeAndName.nullable(),
  }),
  /** Null when the person has no scores: not alive on the date of the scores, or none computed yet. */
  risk: z
    .object({
      asOf: date,
      computedAt: z.iso.datetime(),
      modelVersions: z.record(z.string(), z.string()),
      scores: z.object({
        efi: z.object({
          deficits: z.number().int(),
          outOf: z.number().int(),
          score: z.number(),
          band: z.enum(['fit', 'mild', 'moderate', 'severe']),
        }),
        hfrs: z.object({ score: z.number(), band: z.enum(['low', 'intermediate', 'high']) }),
        charlson: z.object({ score: z.number().int(), band: z.enum(['0', '1-2', '3-4', '5+']) }),
        longTermConditions: z.number().int(),
        edAttendances12m: z.number().int(),
        emergencyAdmissions12m: z.number().int(),
        isFrequentAttender: z.boolean(),
        imdDecile: z.number().int(),
        isCore20: z.boolean(),
        segment: z.string(),
      }),
      explanations: z.array(scoreExplanation),
    })
    .nullable(),
  /** Why risk is null, in words; null when there are scores. */
  noRiskReason: z.string().nullable(),
  /** A&E attendances and emergency admissions in the 12 months up to and including `to`, newest first. */
  unplannedCare: z.object({ to: date, events: z.array(unplannedCareEvent) }),
  /** Why the viewer may see this record, as the audit trail records it. */
  access: z.object({
    relationship: z.string(),
    /** When break-glass access to this record ends; null for any other relationship. */
    expiresAt: z.iso.datetime().nullable(),
  }),
  /** Open safeguarding concerns: that one exists is shown to all who may see the record; the detail only to some roles. */
  safeguarding: z.array(
    z.object({
      category: z.string(),
      raisedOn: date,
      contact: z.string(),
      detail: z.string().nullable().describe('null when the viewer’s role may not read the detail'),
    }),
  ),
  /** Opt-outs from the use of their data for planning and research; direct care is unaffected. */
  optOuts: z.object({ nationalDataOptOut: z.boolean(), type1Objection: z.boolean() }),
});
export type PersonDetail = z.infer<typeof personDetail>;
