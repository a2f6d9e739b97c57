// Use case: one resident's page — details, scores with their explanations, and the last 12 months'
// unplanned care. A person is found only within the place asked for: an unknown id and another place's
// person get the same answer.
import type { Kysely } from 'kysely';
import { ageOn, formatDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import { ethnicCategoryLabel } from '../core/ethnic-category.ts';
import { formatNhsNumber } from '../core/nhs-number.ts';
import type { PersonDetail } from '../core/schemas/person.ts';
import type { Database } from '../db/database.ts';
import { findPlace } from '../place/place.store.ts';
import { EFI_DEFICIT_COUNT } from './efi.ts';
import { explainScores, type StoredScores } from './explain-score.ts';
import type { HfrsDescriptions } from './hfrs-descriptions.ts';
import { yearsBefore } from './look-back.ts';
import { conditionTerms, findPersonInPlace, unplannedCareEvents } from './person.store.ts';
import { personContributions, personRisk, stratificationRun } from './risk.store.ts';

type Db = Kysely<Database>;
type RiskRow = NonNullable<Awaited<ReturnType<typeof personRisk>>>;

const KIND_LABELS = { ed: 'A&E attendance', 'emergency-admission': 'Emergency admission' } as const;

export async function getPersonDetail(
  db: Db,
  placeId: string,
  personId: string,
  hfrsDescriptions: HfrsDescriptions,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<Omit<PersonDetail, 'access' | 'safeguarding' | 'optOuts'>> {
  const place = await findPlace(db, placeId);
  if (!place) throw new AppError('not-found', `There is no place "${placeId}". Load its place pack first.`);
  const person = await findPersonInPlace(db, placeId, personId);
  if (!person) throw new AppError('not-found', `${place.name} has no person with the id ${personId}.`);

  const [run, row] = await Promise.all([stratificationRun(db, placeId), personRisk(db, placeId, personId)]);
  const to = run?.as_of ?? today;
  const [events, risk] = await Promise.all([
    unplannedCareEvents(db, placeId, personId, yearsBefore(to, 1), to),
    run && row ? readRisk(db, placeId, personId, row, run, hfrsDescriptions) : null,
  ]);
  const ageDate = person.dateOfDeath ?? to;

  return {
    place: { id: place.id, name: place.name },
    person: {
      id: person.id,
      givenName: person.givenName,
      familyName: person.familyName,
      nhsNumber: person.nhsNumber === null ? null : formatNhsNumber(person.nhsNumber),
      dateOfBirth: person.dateOfBirth,
      age: row?.age ?? ageOn(person.dateOfBirth, ageDate),
      ageOn: row ? to : ageDate,
      sex: person.sex,
      ethnicCategory: { code: person.ethnicCategory, name: ethnicCategoryLabel(person.ethnicCategory) },
      dateOfDeath: person.dateOfDeath,
      neighbourhood: named(person.neighbourhoodCode, person.neighbourhoodName),
      ward: named(person.wardCode, person.wardName),
      lsoa: named(person.lsoaCode, person.lsoaName),
      practice: named(person.practiceCode, person.practiceName),
    },
    risk,
    noRiskReason: risk ? null : noRiskReason(run?.as_of ?? null, person.dateOfDeath, person.dateOfBirth),
    unplannedCare: {
      to,
      events: events.map((e) => ({
        seq: e.seq,
        date: e.date,
        kind: e.kind as keyof typeof KIND_LABELS,
        kindLabel: KIND_LABELS[e.kind as keyof typeof KIND_LABELS],
        primaryDiagnosis: e.primaryDiagnosis,
      })),
    },
  };
}

async function readRisk(
  db: Db,
  placeId: string,
  personId: string,
  row: RiskRow,
  run: NonNullable<Awaited<ReturnType<typeof stratificationRun>>>,
  hfrsDescriptions: HfrsDescriptions,
): Promise<NonNullable<PersonDetail['risk']>> {
  const [contributions, terms] = await Promise.all([
    personContributions(db, placeId, personId),
    conditionTerms(db, placeId, personId),
  ]);
  const scores = storedScores(row);
  const modelVersions = run.model_versions;
  return {
    asOf: run.as_of,
    computedAt: new Date(run.computed_at).toISOString(),
    modelVersions,
    scores: {
      efi: { deficits: row.efi_deficits, outOf: EFI_DEFICIT_COUNT, score: row.efi_score, band: row.efi_band },
      hfrs: { score: row.hfrs_score, band: row.hfrs_band },
      charlson: { score: row.charlson_score, band: row.charlson_band },
      longTermConditions: row.ltc_count,
      edAttendances12m: row.ed_12m,
      emergencyAdmissions12m: row.emergency_12m,
      isFrequentAttender: row.frequent_attender,
      imdDecile: row.imd_decile,
      isCore20: row.core20,
      segment: row.segment,
    },
    explanations: explainScores(
      scores,
      contributions.map((c) => ({
        model: c.model,
        item: c.item,
        label: c.label,
        points: c.points,
        evidence: c.evidence,
        evidenceDate: c.evidence_date,
      })),
      { asOf: run.as_of, modelVersions, hfrsDescriptions, codeTerms: terms },
    ),
  };
}

function storedScores(row: RiskRow): StoredScores {
  return {
    age: row.age,
    imdDecile: row.imd_decile,
    isCore20: row.core20,
    isEthnicMinority: row.plus_ethnic_minority,
    hasLearningDisability: row.plus_learning_disability,
    hasMultimorbidity: row.plus_multimorbidity,
    clinicalAreas: row.clinical_areas,
    conditions: row.conditions,
    ltcCount: row.ltc_count,
    efiDeficits: row.efi_deficits,
    efiScore: row.efi_score,
    efiBand: row.efi_band,
    hfrsScore: row.hfrs_score,
    hfrsBand: row.hfrs_band,
    charlsonScore: row.charlson_score,
    charlsonBand: row.charlson_band,
    edAttendances12m: row.ed_12m,
    emergencyAdmissions12m: row.emergency_12m,
    isFrequentAttender: row.frequent_attender,
    segment: row.segment,
  };
}

function named(code: string | null, name: string | null) {
  return code === null ? null : { code, name: name ?? code };
}

function noRiskReason(asOf: string | null, dateOfDeath: string | null, dateOfBirth: string): string {
  if (asOf === null) return 'Risk scores have not been worked out for this place yet.';
  if (dateOfDeath !== null && dateOfDeath <= asOf)
    return `There are no risk scores: scores are only worked out for people alive on ${formatDate(asOf)}, the date of the scores.`;
  if (dateOfBirth > asOf)
    return `There are no risk scores: the person was born after ${formatDate(asOf)}, the date of the scores.`;
  return 'There are no risk scores: the person does not live in one of the place’s small areas (LSOAs).';
}
