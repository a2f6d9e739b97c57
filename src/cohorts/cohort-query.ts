// A checked cohort rule tree as a SQL condition on `person_risk`. Fields map to fixed columns through
// the table below; values are always parameters; sort keys come from a fixed list. Nothing a user
// types becomes an identifier or SQL text.
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type {
  ActivityKind,
  ActivityRule,
  Field,
  Group,
  MemberSort,
  NumberOperator,
  NumberRule,
  Rule,
} from '../core/cohort-rules.ts';
import type { Database, PersonRiskTable } from '../db/database.ts';
import { monthsBefore } from '../risk/look-back.ts';

type Eb = ExpressionBuilder<Database, 'person_risk'>;
type Column = keyof PersonRiskTable;

const COLUMN: Record<Exclude<Field, 'activity'>, Column> = {
  age: 'age',
  sex: 'sex',
  neighbourhood: 'neighbourhood_code',
  ward: 'ward_code',
  lsoa: 'lsoa_code',
  practice: 'practice_code',
  imdDecile: 'imd_decile',
  imdQuintile: 'imd_quintile',
  core20: 'core20',
  plusEthnicMinority: 'plus_ethnic_minority',
  plusLearningDisability: 'plus_learning_disability',
  plusMultimorbidity: 'plus_multimorbidity',
  clinicalArea: 'clinical_areas',
  condition: 'conditions',
  ltcCount: 'ltc_count',
  segment: 'segment',
  efiBand: 'efi_band',
  efiDeficits: 'efi_deficits',
  hfrsBand: 'hfrs_band',
  hfrsScore: 'hfrs_score',
  charlsonBand: 'charlson_band',
  charlsonScore: 'charlson_score',
  frequentAttender: 'frequent_attender',
};

/** Counts kept on every stratified row: these periods need no look at the encounters. */
const STORED_COUNTS: Partial<Record<ActivityKind, Column>> = {
  ed: 'ed_12m',
  'emergency-admission': 'emergency_12m',
};

export type CohortContext = { readonly placeId: string; readonly asOf: string };

function numberCondition(
  eb: Eb,
  column: Column,
  operator: NumberOperator,
  value: number | [number, number],
): Expression<SqlBool> {
  if (operator === 'between') {
    const [low, high] = value as [number, number];
    return eb.between(eb.ref(`person_risk.${column}`), low, high);
  }
  return eb(eb.ref(`person_risk.${column}`), operator, value as number);
}

/**
 * "At least k events" is a semi-join on one scan of the encounters; every comparison of a count is
 * a combination of those sets, so people with no events at all are judged correctly.
 */
function activityCondition(eb: Eb, rule: ActivityRule, ctx: CohortContext): Expression<SqlBool> {
  const stored = STORED_COUNTS[rule.activity];
  if (stored && rule.months === 12) return numberCondition(eb, stored, rule.operator, rule.value);
  const from = monthsBefore(ctx.asOf, rule.months);
  const atLeast = (k: number): Expression<SqlBool> =>
    k <= 0
      ? sql<SqlBool>`true`
      : eb(
          'person_risk.person_id',
          'in',
          eb
            .selectFrom('encounter')
            .select('encounter.person_id')
            .where('encounter.place_id', '=', ctx.placeId)
            .where('encounter.kind', '=', rule.activity)
            .where('encounter.start_date', '>', from)
            .where('encounter.start_date', '<=', ctx.asOf)
            .groupBy('encounter.person_id')
            .having((h) => h.fn.countAll(), '>=', k),
        );
  const exactly = (v: number) => eb.and([atLeast(v), eb.not(atLeast(v + 1))]);
  const v = rule.value;
  switch (rule.operator) {
    case '>=':
      return atLeast(v as number);
    case '>':
      return atLeast((v as number) + 1);
    case '<':
      return eb.not(atLeast(v as number));
    case '<=':
      return eb.not(atLeast((v as number) + 1));
    case '=':
      return exactly(v as number);
    case '!=':
      return eb.not(exactly(v as number));
    case 'between': {
      const [low, high] = v as [number, number];
      return eb.and([atLeast(low), eb.not(atLeast(high + 1))]);
    }
  }
}

function ruleCondition(eb: Eb, rule: Rule, ctx: CohortContext): Expression<SqlBool> {
  if (rule.field === 'activity') return activityCondition(eb, rule as ActivityRule, ctx);
  const column = COLUMN[rule.field];
  const ref = eb.ref(`person_risk.${column}`);
  switch (rule.operator) {
    case 'in':
      return eb(ref, 'in', rule.value);
    case 'not-in':
      return eb(ref, 'not in', rule.value);
    case 'has':
      return sql<SqlBool>`${rule.value} = any(${ref})`;
    case 'has-not':
      return sql<SqlBool>`not (${rule.value} = any(${ref}))`;
    case 'is':
      return eb(ref, '=', rule.value);
    default:
      return numberCondition(eb, column, rule.operator, (rule as NumberRule).value);
  }
}

/** The condition a resident's stratified row meets when they are in the cohort. */
export function cohortCondition(rules: Group, ctx: CohortContext) {
  const build = (eb: Eb, node: Rule | Group): Expression<SqlBool> =>
    node.kind === 'group'
      ? (node.combinator === 'and' ? eb.and : eb.or)(node.rules.map((r) => build(eb, r)))
      : ruleCondition(eb, node, ctx);
  return (eb: Eb) => eb.and([eb('person_risk.place_id', '=', ctx.placeId), build(eb, rules)]);
}

export const SORTS: Record<MemberSort, readonly Column[]> = {
  risk: ['efi_deficits', 'hfrs_score', 'emergency_12m'],
  efi: ['efi_deficits'],
  hfrs: ['hfrs_score'],
  charlson: ['charlson_score'],
  conditions: ['ltc_count'],
  emergency: ['emergency_12m'],
  ed: ['ed_12m'],
  age: ['age'],
};
