// A checked cohort rule tree as a SQL condition on `person_risk`. Fields map to fixed columns through
// the table below; values are always parameters; sort keys come from a fixed list. Nothing a user
// types becomes an identifier or SQL text.
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import {
  ACTIVITY_MONTHS,
  type ActivityRule,
  type Field,
  type Group,
  type MemberSort,
  type NumberOperator,
  type NumberRule,
  type Rule,
} from '../core/cohort-rules.ts';
import type { Database, PersonRiskTable } from '../db/database.ts';
import { ACTIVITY_COLUMN } from '../risk/stratify-models.store.ts';

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

/** Activity in a period is a count kept on every stratified row, one array per kind, one cell per period. */
function activityCondition(eb: Eb, rule: ActivityRule): Expression<SqlBool> {
  const cell = ACTIVITY_MONTHS.indexOf(rule.months as (typeof ACTIVITY_MONTHS)[number]) + 1;
  const count = sql<number>`${eb.ref(`person_risk.${ACTIVITY_COLUMN[rule.activity]}`)}[${sql.lit(cell)}]`;
  if (rule.operator === 'between') {
    const [low, high] = rule.value as [number, number];
    return eb.between(count, low, high);
  }
  return eb(count, rule.operator, rule.value as number);
}

function ruleCondition(eb: Eb, rule: Rule): Expression<SqlBool> {
  if (rule.field === 'activity') return activityCondition(eb, rule as ActivityRule);
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
      : ruleCondition(eb, node);
  return (eb: Eb) => eb.and([eb('person_risk.place_id', '=', ctx.placeId), build(eb, rules)]);
}

export const SORTS: Record<MemberSort, readonly Column[]> = {
  risk: ['risk_order'],
  efi: ['efi_deficits'],
  hfrs: ['hfrs_score'],
  charlson: ['charlson_score'],
  conditions: ['ltc_count'],
  emergency: ['emergency_12m'],
  ed: ['ed_12m'],
  age: ['age'],
};
