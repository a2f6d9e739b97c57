// FHIR R4 resources to import records. Each resource is first checked against the official R4
// definitions (fhir-validate.ts), then read for what the product keeps, with every problem named by
// its FHIRPath. What it reads is what docs/fhir.md says the product writes, plus the common variants
// other senders use (a dm+d medicine, a MedicationRequest, a reference by NHS number). Pure.
import { parseNhsNumber } from '../core/nhs-number.ts';
import {
  BNF_SECTION_SYSTEM,
  CAUSE_OF_DEATH_EXTENSION,
  ENCOUNTER_KIND_SYSTEM,
  ETHNIC_CATEGORY_EXTENSION,
  ICD10_SYSTEM,
  LSOA_EXTENSION,
  MEDICINE_SYSTEM,
  NATIONAL_DATA_OPT_OUT_EXTENSION,
  NHS_NUMBER_SYSTEM,
  ODS_SYSTEM,
  READMISSION_EXTENSION,
  SNOMED_SYSTEM,
  SOCIAL_CARE_SYSTEM,
  TYPE1_OBJECTION_EXTENSION,
} from '../synth/fhir.ts';
import {
  dayOfFhirDateTime,
  isLsoaCode,
  isOdsCode,
  normaliseIcd10,
  normalisePostcode,
  snomedConceptProblem,
} from './code-formats.ts';
import { validateStructure } from './fhir-validate.ts';
import {
  ENCOUNTER_KINDS,
  type EncounterKind,
  type ImportIssue,
  type ImportRecord,
  type Parsed,
  SOCIAL_CARE_SERVICES,
  type SocialCareService,
} from './records.ts';

export const IMPORTED_TYPES = [
  'Patient',
  'Condition',
  'MedicationStatement',
  'MedicationRequest',
  'Encounter',
  'Observation',
  'EpisodeOfCare',
  'Organization',
] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

interface Coding {
  system: string | null;
  code: string | null;
  display: string | null;
}
const codings = (concept: unknown): Coding[] =>
  isObject(concept)
    ? list(concept.coding).map((c) => ({
        system: text(c.system),
        code: text(c.code),
        display: text(c.display),
      }))
    : [];

/** Collects a resource's problems, each at its FHIRPath. */
class Reader {
  readonly issues: ImportIssue[] = [];
  readonly warnings: ImportIssue[] = [];
  readonly type: string;
  constructor(type: string) {
    this.type = type;
  }
  error(path: string, diagnostics: string, code = 'value'): null {
    this.issues.push({ severity: 'error', code, diagnostics, expression: `${this.type}.${path}` });
    return null;
  }
  warn(path: string, diagnostics: string): void {
    this.warnings.push({
      severity: 'warning',
      code: 'informational',
      diagnostics,
      expression: `${this.type}.${path}`,
    });
  }
  /** A required day from a FHIR date or dateTime. */
  day(path: string, value: unknown, required: boolean): string | null {
    const written = text(value);
    if (written === null)
      return required ? this.error(path, 'is required: give the day (YYYY-MM-DD).', 'required') : null;
    const day = dayOfFhirDateTime(written);
    return day.ok ? day.value : this.error(path, day.reason);
  }
  /** The person a record is about: `Patient/<id>`, a Bundle's `urn:uuid:…`, or an NHS number identifier. */
  person(path: string, reference: unknown): string | null {
    if (!isObject(reference)) return this.error(path, 'is required: refer to the Patient.', 'required');
    const ref = text(reference.reference);
    if (ref !== null) {
      if (/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(ref) || /^urn:uuid:[0-9a-f-]{36}$/i.test(ref)) return ref;
      return this.error(
        `${path}.reference`,
        `"${ref.slice(0, 80)}" is not a reference to a Patient (Patient/<id>).`,
      );
    }
    const identifier = isObject(reference.identifier) ? reference.identifier : null;
    if (identifier && text(identifier.system) === NHS_NUMBER_SYSTEM) {
      const nhs = parseNhsNumber(identifier.value);
      return nhs.ok
        ? `nhs:${nhs.value}`
        : this.error(`${path}.identifier.value`, `The NHS number ${nhs.reason}.`);
    }
    return this.error(path, 'must have a reference (Patient/<id>) or an NHS number identifier.', 'required');
  }
  snomed(path: string, concept: unknown): { code: string; term: string } | null {
    const all = codings(concept);
    const coding = all.find((c) => c.system === SNOMED_SYSTEM);
    if (!coding?.code)
      return this.error(
        path,
        `needs a SNOMED CT coding (system ${SNOMED_SYSTEM}).`,
        all.length ? 'code-invalid' : 'required',
      );
    const problem = snomedConceptProblem(coding.code);
    if (problem)
      return this.error(`${path}.coding`, `The SNOMED CT code ${coding.code} ${problem}.`, 'code-invalid');
    const term = coding.display ?? (isObject(concept) ? text(concept.text) : null) ?? '';
    return { code: coding.code, term };
  }
  result<T extends ImportRecord>(record: T | null): Parsed<ImportRecord> {
    if (this.issues.length > 0 || record === null) return { ok: false, issues: this.issues };
    return this.warnings.length > 0
      ? { ok: true, value: record, warnings: this.warnings }
      : { ok: true, value: record };
  }
}

/** Marks a resource the sender recorded in error: it is left out, with a warning, not refused. */
export const SKIPPED = Symbol('skipped');

/**
 * One resource to one import record. `key` is the resource's identity (`Patient/abc`, or a Bundle
 * entry's fullUrl when it has no id). Returns the issues when the resource is refused, and `SKIPPED`
 * (with a reason) for a resource that is valid but not for importing (entered in error, cancelled).
 */
export function readResource(
  resource: Json,
  key: string,
): Parsed<ImportRecord> | { ok: typeof SKIPPED; reason: string } {
  const type = typeof resource.resourceType === 'string' ? resource.resourceType : '';
  if (!(IMPORTED_TYPES as readonly string[]).includes(type))
    return {
      ok: false,
      issues: [
        {
          severity: 'error',
          code: 'not-supported',
          diagnostics: `${type ? `A ${type.slice(0, 64)}` : 'This'} resource is not one Joined Up imports. It imports ${IMPORTED_TYPES.join(', ')}.`,
          expression: 'resourceType',
        },
      ],
    };
  const structure = validateStructure(resource);
  const errors = structure.filter((i) => i.severity === 'error').map((i) => clearerDate(resource, i));
  if (errors.length > 0) return { ok: false, issues: errors };
  const skip = skipReason(type, resource);
  if (skip) return { ok: SKIPPED, reason: skip };
  const r = new Reader(type);
  switch (type) {
    case 'Patient':
      return r.result(readPatient(r, resource, key));
    case 'Condition':
      return r.result(readCondition(r, resource, key));
    case 'MedicationStatement':
    case 'MedicationRequest':
      return r.result(readMedication(r, resource, key));
    case 'Encounter':
      return r.result(readEncounter(r, resource, key));
    case 'Observation':
      return r.result(readObservation(r, resource, key));
    case 'EpisodeOfCare':
      return r.result(readEpisodeOfCare(r, resource, key));
    default:
      return r.result(readOrganization(r, resource, key));
  }
}

/**
 * The validator says only "Invalid date format"; for a date element of the resource itself the
 * product's own reading says why (02/03/1950 is not guessed) and how to write it.
 */
function clearerDate(resource: Json, issue: ImportIssue): ImportIssue {
  const element = issue.expression?.match(/^[A-Za-z]+\.([A-Za-z]+)$/)?.[1];
  const value = element ? resource[element] : undefined;
  if (typeof value !== 'string' || !/date/i.test(issue.diagnostics)) return issue;
  const day = dayOfFhirDateTime(value);
  return day.ok ? issue : { ...issue, code: 'value', diagnostics: day.reason };
}

/** Statuses that mean the record did not happen or was recorded in error. */
function skipReason(type: string, resource: Json): string | null {
  const status = text(resource.status);
  const verification = codings(resource.verificationStatus)[0]?.code;
  if (status === 'entered-in-error' || verification === 'entered-in-error')
    return `${type} was entered in error, so it is left out.`;
  if (type === 'Condition' && verification === 'refuted') return 'Condition is refuted, so it is left out.';
  if (type === 'Encounter' && status !== 'finished')
    return `Encounter has status ${status}; only finished encounters are imported.`;
  if (type === 'Observation' && !['final', 'amended', 'corrected'].includes(status ?? ''))
    return `Observation has status ${status}; only final results are imported.`;
  if (
    (type === 'MedicationRequest' || type === 'MedicationStatement') &&
    ['cancelled', 'not-taken', 'draft'].includes(status ?? '')
  )
    return `${type} has status ${status}, so it is left out.`;
  return null;
}

function readPatient(r: Reader, p: Json, key: string): ImportRecord | null {
  const nhsIdentifiers = list(p.identifier).filter((i) => text(i.system) === NHS_NUMBER_SYSTEM);
  let nhsNumber: string | null = null;
  if (nhsIdentifiers.length > 1)
    r.error('identifier', 'has more than one NHS number; a person has one.', 'business-rule');
  else if (nhsIdentifiers[0]) {
    const parsed = parseNhsNumber(nhsIdentifiers[0].value);
    if (parsed.ok) nhsNumber = parsed.value;
    else r.error(`identifier.where(system='${NHS_NUMBER_SYSTEM}').value`, `The NHS number ${parsed.reason}.`);
  }
  const names = list(p.name);
  const name = names.find((n) => n.use === 'official') ?? names.find((n) => n.use !== 'old') ?? null;
  const family = name ? text(name.family) : null;
  const given = name && Array.isArray(name.given) ? text(name.given[0]) : null;
  if (!family) r.error('name', 'needs a family name.', 'required');
  if (!given) r.error('name', 'needs a given name.', 'required');
  const gender = text(p.gender);
  if (gender !== 'female' && gender !== 'male')
    r.error(
      'gender',
      gender === null
        ? 'is required: female or male.'
        : `is ${gender}; Joined Up's rates are by sex as recorded, female or male, so give one of those.`,
      gender === null ? 'required' : 'value',
    );
  const birth = r.day('birthDate', p.birthDate, true);
  let death: string | null = null;
  if (p.deceasedBoolean === true)
    r.error('deceased', 'says the person died but gives no date: use deceasedDateTime.', 'required');
  else if (p.deceasedDateTime !== undefined) death = r.day('deceasedDateTime', p.deceasedDateTime, true);
  if (birth && death && death < birth) r.error('deceasedDateTime', 'is before the date of birth.');
  const extensions = list(p.extension);
  const ethnic = extensions.find((e) => text(e.url) === ETHNIC_CATEGORY_EXTENSION);
  const ethnicCode = ethnic ? codings(ethnic.valueCodeableConcept)[0]?.code : 'Z';
  if (!ethnicCode || !/^[A-HJ-NP-SZ]$/.test(ethnicCode))
    r.error(
      'extension',
      'The ethnic category must be one NHS Data Dictionary code, A to S or Z.',
      'code-invalid',
    );
  const flagged = (url: string) => extensions.some((e) => text(e.url) === url && e.valueBoolean === true);
  const cause = text(extensions.find((e) => text(e.url) === CAUSE_OF_DEATH_EXTENSION)?.valueCode);
  const causes = ['cardiovascular', 'cancer', 'respiratory', 'other'] as const;
  if (cause !== null && !(causes as readonly string[]).includes(cause))
    r.error('extension', `The cause-of-death group must be one of ${causes.join(', ')}.`, 'code-invalid');
  const addresses = list(p.address);
  const home = addresses.find((a) => a.use === 'home') ?? addresses[0];
  const lsoa = home
    ? text(
        codings({
          coding: list(home.extension)
            .filter((e) => text(e.url) === LSOA_EXTENSION)
            .map((e) => e.valueCoding),
        })[0]?.code,
      )
    : null;
  if (lsoa === null)
    r.error(
      'address',
      `The home address needs its ONS 2021 LSOA, in the extension ${LSOA_EXTENSION}: Joined Up places people by LSOA.`,
      'required',
    );
  else if (!isLsoaCode(lsoa))
    r.error('address.extension', `${lsoa} is not an LSOA code in England (E01 and six digits).`);
  const postcodeText = home ? text(home.postalCode) : null;
  const postcode = postcodeText === null ? null : normalisePostcode(postcodeText);
  if (postcodeText !== null && postcode === null)
    r.error('address.postalCode', `"${postcodeText}" is not a UK postcode.`);
  const gp = list(p.generalPractitioner)[0];
  const gpIdentifier =
    gp && isObject(gp.identifier) && text(gp.identifier.system) === ODS_SYSTEM
      ? text(gp.identifier.value)
      : null;
  const gpReference = gp ? text(gp.reference)?.match(/^Organization\/([A-Z0-9]{3,10})$/)?.[1] : undefined;
  const practice = gpIdentifier ?? gpReference ?? null;
  if (practice === null)
    r.error(
      'generalPractitioner',
      'needs the registered GP practice: an ODS code identifier or Organization/<ODS code>.',
      'required',
    );
  else if (!isOdsCode(practice)) r.error('generalPractitioner', `${practice} is not an ODS code.`);
  if (r.issues.length > 0) return null;
  return {
    kind: 'person',
    resourceKey: key,
    nhsNumber,
    givenName: given ?? '',
    familyName: family ?? '',
    sex: gender as 'female' | 'male',
    dateOfBirth: birth ?? '',
    dateOfDeath: death,
    causeOfDeath: cause as (typeof causes)[number] | null,
    ethnicCategory: ethnicCode ?? 'Z',
    lsoa: lsoa ?? '',
    postcode,
    practice: practice ?? '',
    nationalDataOptOut: flagged(NATIONAL_DATA_OPT_OUT_EXTENSION),
    type1Objection: flagged(TYPE1_OBJECTION_EXTENSION),
  };
}

function readCondition(r: Reader, c: Json, key: string): ImportRecord | null {
  const personKey = r.person('subject', c.subject);
  const code = r.snomed('code', c.code);
  const onset =
    c.onsetDateTime !== undefined
      ? r.day('onsetDateTime', c.onsetDateTime, true)
      : r.day('recordedDate', c.recordedDate, false);
  if (onset === null && c.onsetDateTime === undefined && r.issues.length === 0)
    r.error(
      'onset',
      'needs onsetDateTime (or recordedDate): the day the condition was first recorded.',
      'required',
    );
  if (!personKey || !code || !onset) return null;
  return {
    kind: 'condition',
    resourceKey: key,
    personKey,
    codeSystem: SNOMED_SYSTEM,
    code: code.code,
    term: code.term,
    onsetDate: onset,
  };
}

function readMedication(r: Reader, m: Json, key: string): ImportRecord | null {
  const personKey = r.person('subject', m.subject);
  const concept = m.medicationCodeableConcept;
  const all = codings(concept);
  const medicine =
    all.find((c) => c.system === MEDICINE_SYSTEM) ?? all.find((c) => c.system === SNOMED_SYSTEM);
  if (!medicine?.code)
    r.error(
      'medication',
      `needs medicationCodeableConcept with a dm+d (${SNOMED_SYSTEM}) or product medicine (${MEDICINE_SYSTEM}) coding.`,
      'required',
    );
  const name = medicine?.display ?? (isObject(concept) ? text(concept.text) : null) ?? medicine?.code ?? '';
  const bnf = all.find((c) => c.system === BNF_SECTION_SYSTEM)?.code ?? '';
  if (bnf !== '' && !/^[0-9]{1,2}(\.[0-9]{1,2}){0,3}$/.test(bnf))
    r.error(
      'medicationCodeableConcept.coding',
      `${bnf} is not a BNF section number such as 2.6.2.`,
      'code-invalid',
    );
  let start: string | null;
  let end: string | null = null;
  if (m.resourceType === 'MedicationRequest') {
    const validity =
      isObject(m.dispenseRequest) && isObject(m.dispenseRequest.validityPeriod)
        ? m.dispenseRequest.validityPeriod
        : {};
    start = r.day('authoredOn', m.authoredOn ?? validity.start, true);
    end = r.day('dispenseRequest.validityPeriod.end', validity.end, false);
  } else if (isObject(m.effectivePeriod)) {
    start = r.day('effectivePeriod.start', m.effectivePeriod.start, true);
    end = r.day('effectivePeriod.end', m.effectivePeriod.end, false);
  } else start = r.day('effectiveDateTime', m.effectiveDateTime, true);
  if (start && end && end < start) r.error('effectivePeriod.end', 'is before the start.');
  if (!personKey || !medicine?.code || !start || r.issues.length > 0) return null;
  return {
    kind: 'medication',
    resourceKey: key,
    personKey,
    medicine: medicine.code,
    name,
    bnfSection: bnf,
    startDate: start,
    endDate: end,
  };
}

const KIND_BY_CLASS: Readonly<Record<string, EncounterKind>> = {
  EMER: 'ed',
  AMB: 'outpatient',
  SS: 'day-case',
};

function readEncounter(r: Reader, e: Json, key: string): ImportRecord | null {
  const personKey = r.person('subject', e.subject);
  const typed = list(e.type)
    .flatMap((t) => codings(t))
    .find((c) => c.system === ENCOUNTER_KIND_SYSTEM)?.code;
  const classCode = isObject(e.class) ? text(e.class.code) : null;
  const kind = typed ?? (classCode ? KIND_BY_CLASS[classCode] : undefined);
  if (!kind || !(ENCOUNTER_KINDS as readonly string[]).includes(kind))
    r.error(
      'type',
      typed
        ? `${typed} is not an encounter kind: use one of ${ENCOUNTER_KINDS.join(', ')}.`
        : `needs a coding in ${ENCOUNTER_KIND_SYSTEM} (${ENCOUNTER_KINDS.join(', ')}); an inpatient class alone does not say whether an admission was an emergency.`,
      typed ? 'code-invalid' : 'required',
    );
  const period = isObject(e.period) ? e.period : {};
  const start = r.day('period.start', period.start, true);
  const admitted = kind === 'emergency-admission' || kind === 'elective-admission';
  const end = r.day('period.end', period.end, admitted) ?? (admitted ? null : start);
  if (start && end && end < start) r.error('period.end', 'is before the start.');
  const length = isObject(e.length) && typeof e.length.value === 'number' ? e.length.value : null;
  if (length !== null && (!Number.isInteger(length) || length < 0))
    r.error('length.value', 'must be a whole number of days, 0 or more.');
  const diagnoses: string[] = [];
  list(e.reasonCode).forEach((reason, i) => {
    const icd = codings(reason).find((c) => c.system === ICD10_SYSTEM);
    if (!icd?.code) return;
    const code = normaliseIcd10(icd.code);
    if (code === null)
      r.error(
        `reasonCode[${i}].coding`,
        `${icd.code} is not an ICD-10 code such as I50 or J18.9.`,
        'code-invalid',
      );
    else diagnoses.push(code);
  });
  const readmission = list(e.extension).some(
    (x) => text(x.url) === READMISSION_EXTENSION && x.valueBoolean === true,
  );
  const admitSource =
    isObject(e.hospitalization) && isObject(e.hospitalization.admitSource)
      ? text(e.hospitalization.admitSource.text)
      : null;
  const ambulance =
    admitSource === 'Arrived by ambulance' ? true : admitSource === 'Arrived by other means' ? false : null;
  if (!personKey || !kind || !start || !end || r.issues.length > 0) return null;
  const los = length ?? (admitted || kind === 'day-case' ? daysBetween(start, end) : null);
  return {
    kind: 'encounter',
    resourceKey: key,
    personKey,
    encounterKind: kind as EncounterKind,
    startDate: start,
    endDate: end,
    lengthOfStay: los,
    primaryDiagnosis: diagnoses[0] ?? null,
    secondaryDiagnoses: diagnoses.slice(1),
    isReadmission: readmission,
    arrivalByAmbulance: ambulance,
  };
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

function readObservation(r: Reader, o: Json, key: string): ImportRecord | null {
  const personKey = r.person('subject', o.subject);
  const code = r.snomed('code', o.code);
  const quantity = isObject(o.valueQuantity) ? o.valueQuantity : null;
  const value = quantity && typeof quantity.value === 'number' ? quantity.value : null;
  if (value === null)
    r.error(
      'value',
      'needs valueQuantity with a number: Joined Up imports numeric test results.',
      'required',
    );
  const effective = isObject(o.effectivePeriod) ? o.effectivePeriod.start : (o.effectiveDateTime ?? o.issued);
  const observed = r.day('effective', effective, true);
  if (!personKey || !code || value === null || !observed) return null;
  return {
    kind: 'observation',
    resourceKey: key,
    personKey,
    codeSystem: SNOMED_SYSTEM,
    code: code.code,
    value,
    unit: quantity ? (text(quantity.unit) ?? text(quantity.code)) : null,
    observedOn: observed,
  };
}

function readEpisodeOfCare(r: Reader, e: Json, key: string): ImportRecord | null {
  const personKey = r.person('patient', e.patient);
  const service = list(e.type)
    .flatMap((t) => codings(t))
    .find((c) => c.system === SOCIAL_CARE_SYSTEM)?.code;
  if (!service || !(SOCIAL_CARE_SERVICES as readonly string[]).includes(service))
    r.error(
      'type',
      `needs a coding in ${SOCIAL_CARE_SYSTEM}: ${SOCIAL_CARE_SERVICES.join(', ')}.`,
      service ? 'code-invalid' : 'required',
    );
  const period = isObject(e.period) ? e.period : {};
  const start = r.day('period.start', period.start, true);
  const end = r.day('period.end', period.end, false);
  if (start && end && end < start) r.error('period.end', 'is before the start.');
  if (!personKey || !service || !start || r.issues.length > 0) return null;
  return {
    kind: 'social-care',
    resourceKey: key,
    personKey,
    service: service as SocialCareService,
    startDate: start,
    endDate: end,
  };
}

function readOrganization(r: Reader, o: Json, key: string): ImportRecord | null {
  const ods = text(list(o.identifier).find((i) => text(i.system) === ODS_SYSTEM)?.value);
  if (ods === null) r.error('identifier', `needs an ODS code identifier (${ODS_SYSTEM}).`, 'required');
  else if (!isOdsCode(ods)) r.error('identifier', `${ods} is not an ODS code.`, 'code-invalid');
  if (ods === null || r.issues.length > 0) return null;
  return { kind: 'organisation', resourceKey: key, odsCode: ods, name: text(o.name) };
}
