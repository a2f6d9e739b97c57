// The synthetic population as FHIR R4 resources (UK Core identifiers), one person at a time: Patient,
// Condition, MedicationStatement, Encounter, EpisodeOfCare (adult social care) and Organization
// (GP practices), and Observation for test results held in the database. The importer reads exactly
// these; the export writes them from the database. Pure; documented in docs/fhir.md.
import type { SynthPerson } from './generate.ts';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
/** The LSOA (2021) of a person's home address, on Address. */
export const LSOA_EXTENSION = 'urn:joinedup:fhir:StructureDefinition:address-lsoa-2021';
export const LSOA_SYSTEM = 'urn:joinedup:fhir:CodeSystem:ons-lsoa-2021';
export const ETHNIC_CATEGORY_EXTENSION =
  'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory';
export const ETHNIC_CATEGORY_SYSTEM = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland';
export const BNF_SECTION_SYSTEM = 'urn:joinedup:fhir:CodeSystem:bnf-section';
export const MEDICINE_SYSTEM = 'urn:joinedup:fhir:CodeSystem:medicine';
export const ENCOUNTER_KIND_SYSTEM = 'urn:joinedup:fhir:CodeSystem:encounter-kind';
export const SOCIAL_CARE_SYSTEM = 'urn:joinedup:fhir:CodeSystem:adult-social-care-service';
export const READMISSION_EXTENSION = 'urn:joinedup:fhir:StructureDefinition:emergency-readmission-30-days';
export const CAUSE_OF_DEATH_EXTENSION = 'urn:joinedup:fhir:StructureDefinition:cause-of-death-group';
/** Present, with valueBoolean true, on a person who has registered the national data opt-out. */
export const NATIONAL_DATA_OPT_OUT_EXTENSION = 'urn:joinedup:fhir:StructureDefinition:national-data-opt-out';
/** Present, with valueBoolean true, on a person who has a type 1 objection at their practice. */
export const TYPE1_OBJECTION_EXTENSION = 'urn:joinedup:fhir:StructureDefinition:type-1-objection';

export type Resource = { resourceType: string; id: string } & Record<string, unknown>;

/** A test result, as the product holds it (imports fill them; the generator makes none). */
export interface FhirObservation {
  code: string;
  value: number;
  unit: string | null;
  observedOn: string;
}

/** What the resources are made from: a generated person, or a person read from the database. */
export type FhirPerson = Pick<
  SynthPerson,
  | 'id'
  | 'nhsNumber'
  | 'givenName'
  | 'familyName'
  | 'sex'
  | 'dateOfBirth'
  | 'ethnicCategory'
  | 'lsoa'
  | 'practice'
  | 'dateOfDeath'
  | 'causeOfDeath'
  | 'conditions'
  | 'medicines'
  | 'encounters'
  | 'socialCare'
  | 'nationalDataOptOut'
  | 'type1Objection'
> & { postcode?: string | null; observations?: readonly FhirObservation[] };

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ENCOUNTER_CLASS: Record<string, { code: string; display: string }> = {
  ed: { code: 'EMER', display: 'emergency' },
  'emergency-admission': { code: 'IMP', display: 'inpatient encounter' },
  'elective-admission': { code: 'IMP', display: 'inpatient encounter' },
  'day-case': { code: 'SS', display: 'short stay' },
  outpatient: { code: 'AMB', display: 'ambulatory' },
};

export function patientResource(p: FhirPerson): Resource {
  return {
    resourceType: 'Patient',
    id: p.id,
    ...(p.nhsNumber ? { identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhsNumber }] } : {}),
    extension: [
      {
        url: ETHNIC_CATEGORY_EXTENSION,
        valueCodeableConcept: { coding: [{ system: ETHNIC_CATEGORY_SYSTEM, code: p.ethnicCategory }] },
      },
      ...(p.causeOfDeath ? [{ url: CAUSE_OF_DEATH_EXTENSION, valueCode: p.causeOfDeath }] : []),
      ...(p.nationalDataOptOut ? [{ url: NATIONAL_DATA_OPT_OUT_EXTENSION, valueBoolean: true }] : []),
      ...(p.type1Objection ? [{ url: TYPE1_OBJECTION_EXTENSION, valueBoolean: true }] : []),
    ],
    name: [{ use: 'official', family: p.familyName, given: [p.givenName] }],
    gender: p.sex,
    birthDate: p.dateOfBirth,
    ...(p.dateOfDeath ? { deceasedDateTime: p.dateOfDeath } : {}),
    address: [
      {
        use: 'home',
        extension: [{ url: LSOA_EXTENSION, valueCoding: { system: LSOA_SYSTEM, code: p.lsoa } }],
        ...(p.postcode ? { postalCode: p.postcode } : {}),
        country: 'GB',
      },
    ],
    generalPractitioner: [
      { reference: `Organization/${p.practice}`, identifier: { system: ODS_SYSTEM, value: p.practice } },
    ],
  };
}

/** Every resource of one person, Patient first, in a fixed order. */
export function personResources(p: FhirPerson): Resource[] {
  const subject = { reference: `Patient/${p.id}` };
  const out: Resource[] = [patientResource(p)];
  p.conditions.forEach((c, i) => {
    out.push({
      resourceType: 'Condition',
      id: `${p.id}-condition-${i + 1}`,
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
      },
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' },
          ],
        },
      ],
      code: { coding: [{ system: SNOMED_SYSTEM, code: c.snomed, display: c.term }] },
      subject,
      onsetDateTime: c.onset,
    });
  });
  p.medicines.forEach((m, i) => {
    out.push({
      resourceType: 'MedicationStatement',
      id: `${p.id}-medication-${i + 1}`,
      status: m.end === null ? 'active' : 'completed',
      medicationCodeableConcept: {
        coding: [
          { system: MEDICINE_SYSTEM, code: m.medicine, display: m.name },
          { system: BNF_SECTION_SYSTEM, code: m.bnf },
        ],
        text: m.name,
      },
      subject,
      effectivePeriod: { start: m.start, ...(m.end ? { end: m.end } : {}) },
    });
  });
  p.encounters.forEach((e, i) => {
    const reasons = [e.primaryDiagnosis, ...e.secondaryDiagnoses].filter((d): d is string => d !== null);
    out.push({
      resourceType: 'Encounter',
      id: `${p.id}-encounter-${i + 1}`,
      ...(e.isReadmission ? { extension: [{ url: READMISSION_EXTENSION, valueBoolean: true }] } : {}),
      status: 'finished',
      class: { system: ACT_CODE, ...ENCOUNTER_CLASS[e.kind] },
      type: [{ coding: [{ system: ENCOUNTER_KIND_SYSTEM, code: e.kind }] }],
      subject,
      period: { start: e.start, end: e.end },
      ...(e.lengthOfStay !== null
        ? { length: { value: e.lengthOfStay, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } }
        : {}),
      ...(reasons.length > 0
        ? { reasonCode: reasons.map((code) => ({ coding: [{ system: ICD10_SYSTEM, code }] })) }
        : {}),
      ...(e.arrivalByAmbulance !== null
        ? {
            hospitalization: {
              admitSource: { text: e.arrivalByAmbulance ? 'Arrived by ambulance' : 'Arrived by other means' },
            },
          }
        : {}),
    });
  });
  p.socialCare.forEach((s, i) => {
    out.push({
      resourceType: 'EpisodeOfCare',
      id: `${p.id}-social-care-${i + 1}`,
      status: s.end === null ? 'active' : 'finished',
      type: [{ coding: [{ system: SOCIAL_CARE_SYSTEM, code: s.service }] }],
      patient: subject,
      period: { start: s.start, ...(s.end ? { end: s.end } : {}) },
    });
  });
  (p.observations ?? []).forEach((o, i) => {
    out.push({
      resourceType: 'Observation',
      id: `${p.id}-observation-${i + 1}`,
      status: 'final',
      code: { coding: [{ system: SNOMED_SYSTEM, code: o.code }] },
      subject,
      effectiveDateTime: o.observedOn,
      valueQuantity: { value: o.value, ...(o.unit ? { unit: o.unit } : {}) },
    });
  });
  return out;
}

export function practiceResource(practice: { odsCode: string; name: string; isOpen: boolean }): Resource {
  return {
    resourceType: 'Organization',
    id: practice.odsCode,
    identifier: [{ system: ODS_SYSTEM, value: practice.odsCode }],
    active: practice.isOpen,
    type: [{ text: 'GP practice' }],
    name: practice.name,
  };
}
