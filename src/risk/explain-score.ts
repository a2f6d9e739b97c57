// Why a resident has the scores they have, in plain words: for each model, the result, each thing that
// counted (with its code and date), and how the model works. Pure: it takes the stored scores and
// contributions and the run's model versions, and reads nothing.
import { formatDate } from '../core/dates.ts';
import type { ExplainedModel, ScoreExplanation } from '../core/schemas/person.ts';
import { CHARLSON_HIERARCHY, CHARLSON_LOOK_BACK_YEARS, type CharlsonBand } from './charlson.ts';
import { CLINICAL_AREAS, CORE20_MAX_DECILE } from './core20plus5.ts';
import { EFI_DEFICIT_COUNT, type EfiBand, POLYPHARMACY_MEDICINES } from './efi.ts';
import { POLYPHARMACY } from './efi-codes.ts';
import { HFRS_LOOK_BACK_YEARS, type HfrsBand } from './hfrs.ts';
import { MULTIMORBIDITY_CONDITIONS } from './long-term-conditions.ts';
import { SEGMENTS, type SegmentId } from './segments.ts';
import { FREQUENT_ATTENDER_ED } from './unplanned-care.ts';

/** One resident's stored scores and flags (a person_risk row). */
export type StoredScores = {
  readonly age: number;
  readonly imdDecile: number;
  readonly isCore20: boolean;
  readonly isEthnicMinority: boolean;
  readonly hasLearningDisability: boolean;
  readonly hasMultimorbidity: boolean;
  /** Core20PLUS5 clinical area ids. */
  readonly clinicalAreas: readonly string[];
  /** Long-term condition ids. */
  readonly conditions: readonly string[];
  readonly ltcCount: number;
  readonly efiDeficits: number;
  readonly efiScore: number;
  readonly efiBand: EfiBand;
  readonly hfrsScore: number;
  readonly hfrsBand: HfrsBand;
  readonly charlsonScore: number;
  readonly charlsonBand: CharlsonBand;
  readonly edAttendances12m: number;
  readonly emergencyAdmissions12m: number;
  readonly isFrequentAttender: boolean;
  readonly segment: string;
};

/** One stored contribution (a score_contribution row). */
export type StoredContribution = {
  readonly model: string;
  readonly item: string;
  readonly label: string;
  readonly points: number;
  /** A code, or for polypharmacy 'polypharmacy: N medicines'. */
  readonly evidence: string;
  readonly evidenceDate: string | null;
};

export type ExplainContext = {
  /** The date the scores are as of. */
  readonly asOf: string;
  /** The run's model versions, keyed as in MODEL_VERSIONS. */
  readonly modelVersions: Readonly<Record<string, string>>;
  /** HFRS ICD-10 category → its description (hfrs_icd10_weights.csv). */
  readonly hfrsDescriptions: ReadonlyMap<string, string>;
  /** SNOMED CT code → the term recorded with it, shown beside eFI and long-term condition evidence. */
  readonly codeTerms?: ReadonlyMap<string, string>;
};

export const EFI_BAND_LABELS: Readonly<Record<EfiBand, string>> = {
  fit: 'Fit',
  mild: 'Mild frailty',
  moderate: 'Moderate frailty',
  severe: 'Severe frailty',
};
const EFI_LEVELS: Readonly<Record<EfiBand, number>> = { fit: 0, mild: 1, moderate: 2, severe: 3 };

export const HFRS_BAND_LABELS: Readonly<Record<HfrsBand, string>> = {
  low: 'Low risk',
  intermediate: 'Intermediate risk',
  high: 'High risk',
};
const HFRS_LEVELS: Readonly<Record<HfrsBand, number>> = { low: 0, intermediate: 2, high: 3 };

export const CHARLSON_BAND_LABELS: Readonly<Record<CharlsonBand, string>> = {
  '0': 'Score 0',
  '1-2': 'Score 1 to 2',
  '3-4': 'Score 3 to 4',
  '5+': 'Score 5 or more',
};
const CHARLSON_LEVELS: Readonly<Record<CharlsonBand, number>> = { '0': 0, '1-2': 1, '3-4': 2, '5+': 3 };

/** How strongly the page shows each segment's tag: the three end-of-life and decline segments most. */
const SEGMENT_LEVELS: Readonly<Record<SegmentId, number>> = {
  'short-decline': 3,
  'organ-failure': 3,
  'frailty-dementia': 3,
  'stable-disability': 2,
  'chronic-conditions': 1,
  'maternal-infant': 1,
  'acutely-ill': 1,
  healthy: 0,
};

const CHARLSON_WEIGHT_NAMES: Readonly<Record<string, string>> = {
  charlson1987: 'Charlson 1987',
  quan2011: 'Quan 2011',
};

/** Every model's explanation, in the order the page shows them. */
export function explainScores(
  scores: StoredScores,
  contributions: readonly StoredContribution[],
  context: ExplainContext,
): ScoreExplanation[] {
  const of = (model: string) => contributions.filter((c) => c.model === model);
  return [
    explainEfi(scores, of('efi'), context),
    explainHfrs(scores, of('hfrs'), context),
    explainCharlson(scores, of('charlson'), context),
    explainLongTermConditions(scores, of('ltc'), context),
    explainUnplannedCare(scores, context),
    explainCore20plus5(scores, context),
    explainSegment(scores, of('ltc'), context),
  ];
}

export function explainEfi(
  scores: StoredScores,
  contributions: readonly StoredContribution[],
  context: ExplainContext,
): ScoreExplanation {
  const label = EFI_BAND_LABELS[scores.efiBand];
  const reasons = [...contributions]
    .sort((a, b) => a.label.localeCompare(b.label, 'en-GB'))
    .map((c) =>
      c.item === POLYPHARMACY ? polypharmacyReason(c, context.asOf) : recordedReason(c, context.codeTerms),
    );
  const notes = [
    `The electronic Frailty Index (eFI) counts ${EFI_DEFICIT_COUNT} deficits in the GP record: health problems, disabilities and needs for care. Each counts once, from the first time it was recorded.`,
    'Fit: 0 to 4 deficits. Mild frailty: 5 to 8. Moderate frailty: 9 to 12. Severe frailty: 13 or more.',
    `Polypharmacy counts when ${POLYPHARMACY_MEDICINES} or more different medicines were taken in the 12 months to the date of the scores.`,
  ];
  if (scores.age < 65)
    notes.push('The eFI was developed for people aged 65 and over. For younger people, read it with care.');
  return {
    model: 'efi',
    title: 'Frailty (electronic Frailty Index)',
    band: { id: scores.efiBand, label, level: EFI_LEVELS[scores.efiBand] },
    summary: `${label}: ${scores.efiDeficits} of ${EFI_DEFICIT_COUNT} deficits recorded (eFI ${scores.efiScore.toFixed(2)}).`,
    reasons,
    notes,
    modelVersion: version(context, 'efi'),
  };
}

export function explainHfrs(
  scores: StoredScores,
  contributions: readonly StoredContribution[],
  context: ExplainContext,
): ScoreExplanation {
  const label = HFRS_BAND_LABELS[scores.hfrsBand];
  const window = `in the ${HFRS_LOOK_BACK_YEARS} years to ${formatDate(context.asOf)}`;
  const head = `HFRS ${scores.hfrsScore.toFixed(1)}, ${label.toLowerCase()}`;
  const reasons = [...contributions]
    .sort((a, b) => b.points - a.points || a.item.localeCompare(b.item))
    .map((c) => {
      const description = context.hfrsDescriptions.get(c.item);
      const code = icd10(c.evidence) === c.item ? '' : `code ${icd10(c.evidence)}, `;
      const when = c.evidenceDate
        ? `emergency admission on ${formatDate(c.evidenceDate)}`
        : 'emergency admission';
      return `${c.item}${description ? ` ${description}` : ''} (${points(c.points, 1)}, ${code}${when})`;
    });
  return {
    model: 'hfrs',
    title: 'Frailty seen in hospital (Hospital Frailty Risk Score)',
    band: { id: scores.hfrsBand, label, level: HFRS_LEVELS[scores.hfrsBand] },
    summary:
      contributions.length === 0
        ? `${head}: no diagnoses on the HFRS list were recorded at emergency hospital admissions ${window}.`
        : `${head}: from diagnoses recorded at emergency hospital admissions ${window}.`,
    reasons,
    notes: [
      `The Hospital Frailty Risk Score (HFRS) adds points for ${context.hfrsDescriptions.size || 109} groups of hospital diagnoses linked to frailty. Each group counts once, however often it was recorded; the date shown is the latest admission with it.`,
      'Low risk: below 5. Intermediate risk: 5 to 15. High risk: above 15.',
      ...(scores.age < 75
        ? ['The HFRS was developed for people aged 75 and over. For younger people, read it with care.']
        : []),
    ],
    modelVersion: version(context, 'hfrs'),
  };
}

export function explainCharlson(
  scores: StoredScores,
  contributions: readonly StoredContribution[],
  context: ExplainContext,
): ScoreExplanation {
  const present = new Map(contributions.map((c) => [c.item, c]));
  const weights = /weights=(\S+)/.exec(context.modelVersions.charlson ?? '')?.[1];
  const weightName = weights ? (CHARLSON_WEIGHT_NAMES[weights] ?? weights) : null;
  const reasons = [...contributions]
    .sort((a, b) => b.points - a.points || a.label.localeCompare(b.label, 'en-GB'))
    .map((c) => {
      const where = `code ${icd10(c.evidence)}${c.evidenceDate ? `, hospital stay on ${formatDate(c.evidenceDate)}` : ''}`;
      const severe = CHARLSON_HIERARCHY[c.item];
      const outrankedBy = severe === undefined ? undefined : present.get(severe);
      if (outrankedBy)
        return `${c.label}: 0 points, counted under the more severe ${lowerFirst(outrankedBy.label)} instead (${where})`;
      if (c.points === 0)
        return `${c.label}: 0 points${weightName ? ` in the ${weightName} weights` : ''} (${where})`;
      return `${c.label}: ${points(c.points, 0)} (${where})`;
    });
  const label = CHARLSON_BAND_LABELS[scores.charlsonBand];
  const window = `in the ${CHARLSON_LOOK_BACK_YEARS} years to ${formatDate(context.asOf)}`;
  return {
    model: 'charlson',
    title: 'Serious long-term illness (Charlson Comorbidity Index)',
    band: { id: scores.charlsonBand, label, level: CHARLSON_LEVELS[scores.charlsonBand] },
    summary:
      contributions.length === 0
        ? `Charlson index 0: none of its conditions were recorded at hospital stays ${window}.`
        : `Charlson index ${scores.charlsonScore}: from diagnoses recorded at hospital stays (emergency, planned or day case) ${window}.`,
    reasons,
    notes: [
      'The Charlson Comorbidity Index adds points for 17 serious long-term conditions recorded in hospital. Each condition counts once.',
      'When a milder and a more severe form of the same condition are both recorded (liver disease, diabetes, cancer), only the more severe one scores.',
      ...(weightName ? [`Points are the ${weightName} weights.`] : []),
      'Bands: 0, 1 to 2, 3 to 4, and 5 or more.',
    ],
    modelVersion: version(context, 'charlson'),
  };
}

export function explainLongTermConditions(
  scores: StoredScores,
  contributions: readonly StoredContribution[],
  context: ExplainContext,
): ScoreExplanation {
  const n = scores.ltcCount;
  const isMultimorbid = n >= MULTIMORBIDITY_CONDITIONS;
  const summary =
    n === 0
      ? 'No long-term conditions from the multimorbidity list are recorded.'
      : `${n} long-term ${n === 1 ? 'condition' : 'conditions'} from the multimorbidity list ${n === 1 ? 'is' : 'are'} recorded${isMultimorbid ? `: that is multimorbidity (${MULTIMORBIDITY_CONDITIONS} or more)` : ''}.`;
  return {
    model: 'ltc',
    title: 'Long-term conditions',
    band: isMultimorbid ? { id: 'multimorbidity', label: 'Multimorbidity', level: 2 } : null,
    summary,
    reasons: [...contributions]
      .sort((a, b) => a.label.localeCompare(b.label, 'en-GB'))
      .map((c) => recordedReason(c, context.codeTerms)),
    notes: [
      'Long-term conditions are counted from the GP record, by the date of the scores. Most of the conditions on the list are Quality and Outcomes Framework (QOF) registers.',
      `${MULTIMORBIDITY_CONDITIONS} or more of them is multimorbidity.`,
    ],
    modelVersion: version(context, 'ltc'),
  };
}

export function explainUnplannedCare(scores: StoredScores, context: ExplainContext): ScoreExplanation {
  const ed = scores.edAttendances12m;
  const emergency = scores.emergencyAdmissions12m;
  const window = `in the 12 months to ${formatDate(context.asOf)}`;
  const summary =
    ed + emergency === 0
      ? `No A&E attendances or emergency admissions ${window}.`
      : `${count(ed, 'A&E attendance', 'A&E attendances')} and ${count(emergency, 'emergency admission', 'emergency admissions')} ${window}.`;
  // What counted: each kind's visits (listed by date under "Recent unplanned care" on the person page).
  const reasons = [
    ...(ed === 0
      ? []
      : [
          scores.isFrequentAttender
            ? `Frequent A&E attender: ${ed} attendances ${window}, at or above the threshold of ${FREQUENT_ATTENDER_ED}.`
            : `${count(ed, 'A&E attendance', 'A&E attendances')} ${window}, below the frequent attender threshold of ${FREQUENT_ATTENDER_ED}.`,
        ]),
    ...(emergency === 0
      ? []
      : [`${count(emergency, 'emergency admission', 'emergency admissions')} ${window}.`]),
  ];
  return {
    model: 'unplannedCare',
    title: 'Unplanned hospital care',
    band: scores.isFrequentAttender
      ? { id: 'frequent-attender', label: 'Frequent A&E attender', level: 3 }
      : null,
    summary,
    reasons,
    notes: [
      'Counts visits to accident and emergency (A&E) and emergency (unplanned) admissions to hospital in the 12 months to the date of the scores.',
      `A frequent attender has ${FREQUENT_ATTENDER_ED} or more A&E attendances in 12 months, the British Red Cross's definition of high intensity use (2021).`,
    ],
    modelVersion: version(context, 'unplannedCare'),
  };
}

export function explainCore20plus5(scores: StoredScores, context: ExplainContext): ScoreExplanation {
  const decileRange = CORE20_MAX_DECILE === 2 ? 'deciles 1 and 2' : `deciles 1 to ${CORE20_MAX_DECILE}`;
  const deciles = `${decileRange}, the most deprived ${CORE20_MAX_DECILE * 10}% of England`;
  const summary = scores.isCore20
    ? `In the Core20: lives in a small area in national deprivation decile ${scores.imdDecile} (IMD 2019), among the most deprived ${CORE20_MAX_DECILE * 10}% of England.`
    : `Not in the Core20: lives in a small area in national deprivation decile ${scores.imdDecile} (IMD 2019). The Core20 is ${deciles}.`;
  const reasons: string[] = [];
  if (scores.isEthnicMinority)
    reasons.push('PLUS group: from an ethnic minority group (an ethnic category outside the White groups).');
  if (scores.hasLearningDisability) reasons.push('PLUS group: has a learning disability.');
  if (scores.hasMultimorbidity)
    reasons.push(`PLUS group: multimorbidity (${MULTIMORBIDITY_CONDITIONS} or more long-term conditions).`);
  if (reasons.length === 0) reasons.push('Not in any of the PLUS groups the records can show.');
  const areas = CLINICAL_AREAS.filter((a) => scores.clinicalAreas.includes(a.id));
  for (const a of areas) reasons.push(`Clinical area: ${a.label} (${a.rule}).`);
  const known = new Set(CLINICAL_AREAS.map((a) => a.id));
  for (const id of scores.clinicalAreas.filter((id) => !known.has(id))) reasons.push(`Clinical area: ${id}.`);
  if (scores.clinicalAreas.length === 0) reasons.push('None of the 5 clinical areas applies.');
  return {
    model: 'core20plus5',
    title: 'Health inequalities (Core20PLUS5)',
    band: scores.isCore20 ? { id: 'core20', label: 'Core20', level: 2 } : null,
    summary,
    reasons,
    notes: [
      `Core20PLUS5 is NHS England’s approach to reducing health inequalities: the Core20 (${deciles} by the Index of Multiple Deprivation), PLUS groups who also face inequalities, and 5 clinical areas.`,
      'The PLUS groups the records can show are ethnic minority groups, learning disability and multimorbidity.',
    ],
    modelVersion: version(context, 'core20plus5'),
  };
}

export function explainSegment(
  scores: StoredScores,
  ltc: readonly StoredContribution[],
  context: ExplainContext,
): ScoreExplanation {
  const segment = SEGMENTS.find((s) => s.id === scores.segment);
  const label = segment?.label ?? scores.segment;
  const summary = !segment
    ? `In the segment "${scores.segment}".`
    : segment.id === 'healthy'
      ? 'Healthy: none of the rules for the other segments apply.'
      : `${label}: placed here because the person ${segment.rule}.`;
  return {
    model: 'segment',
    title: 'Population segment (Bridges to Health)',
    band: segment
      ? { id: segment.id, label: segment.label, level: SEGMENT_LEVELS[segment.id] }
      : { id: scores.segment, label, level: 0 },
    summary,
    reasons: segment ? segmentReasons(segment.id, scores, ltc, context) : [],
    notes: [
      `Everyone is in one of ${SEGMENTS.length} segments: the first, in this order, whose rule they meet.`,
      ...SEGMENTS.map((s, i) => `${i + 1}. ${s.label}: ${s.rule}.`),
    ],
    modelVersion: version(context, 'segment'),
  };
}

/** The facts in the record that met the segment's rule. */
function segmentReasons(
  id: SegmentId,
  scores: StoredScores,
  ltc: readonly StoredContribution[],
  context: ExplainContext,
): string[] {
  const has = (condition: string) => scores.conditions.includes(condition);
  const name = (condition: string) =>
    lowerFirst(ltc.find((c) => c.item === condition)?.label ?? condition.replaceAll('-', ' '));
  const emergencies = `${count(scores.emergencyAdmissions12m, 'emergency admission', 'emergency admissions')} in the 12 months to ${formatDate(context.asOf)}`;
  switch (id) {
    case 'short-decline':
      return [`Has ${name('cancer')}.`, `${capitalise(emergencies)}.`];
    case 'organ-failure':
      if (has('heart-failure')) return [`Has ${name('heart-failure')}.`];
      return [...['copd', 'ckd'].filter(has).map((c) => `Has ${name(c)}.`), `${capitalise(emergencies)}.`];
    case 'frailty-dementia': {
      const out: string[] = [];
      if (has('dementia')) out.push(`Has ${name('dementia')}.`);
      if (scores.efiBand === 'moderate' || scores.efiBand === 'severe')
        out.push(
          `${EFI_BAND_LABELS[scores.efiBand]} on the electronic Frailty Index (${scores.efiDeficits} deficits).`,
        );
      return out;
    }
    case 'stable-disability':
      return has('learning-disability')
        ? ['Has a learning disability.']
        : [`Is under 65 (aged ${scores.age}) and has home care or lives in a care home.`];
    case 'chronic-conditions':
      return [
        `Has ${count(scores.ltcCount, 'long-term condition', 'long-term conditions')} from the multimorbidity list.`,
      ];
    case 'maternal-infant':
      return ['Is under 1 year old.'];
    case 'acutely-ill':
      return [
        `${capitalise(count(scores.edAttendances12m, 'A&E attendance', 'A&E attendances'))} and ${emergencies}.`,
      ];
    case 'healthy':
      return [];
  }
}

/** "Falls: recorded 12 March 2021 as “History of fall” (code 161898004)". */
function recordedReason(c: StoredContribution, terms: ReadonlyMap<string, string> | undefined): string {
  const term = terms?.get(c.evidence);
  const isSameWords = term !== undefined && term.toLowerCase() === c.label.toLowerCase();
  const when = c.evidenceDate ? ` ${formatDate(c.evidenceDate)}` : '';
  const as = term && !isSameWords ? ` as “${term}”` : '';
  return `${c.label}: recorded${when}${as} (code ${c.evidence})`;
}

function polypharmacyReason(c: StoredContribution, asOf: string): string {
  const medicines = /(\d+)/.exec(c.evidence)?.[1];
  if (medicines === undefined) return `${c.label} (${c.evidence})`;
  return `${c.label}: ${medicines} different medicines taken in the 12 months to ${formatDate(asOf)}`;
}

function version(context: ExplainContext, model: ExplainedModel): string | null {
  return context.modelVersions[model] ?? null;
}

/** 'S009' → 'S00.9'; 'R29' stays 'R29'. ICD-10 codes are stored without the dot. */
export function icd10(code: string): string {
  const c = code.trim().toUpperCase().replace('.', '');
  return c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c;
}

function points(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return `${text} ${text === '1' ? 'point' : 'points'}`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** 'Dementia' → 'dementia', but 'COPD …' and 'AIDS/HIV' keep their capitals. */
function lowerFirst(s: string): string {
  return /^[A-Z]{2}/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}
