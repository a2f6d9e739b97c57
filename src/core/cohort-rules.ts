// The cohort rule language, shared by the API and the web app's rule builder: a tree of AND/OR groups
// whose leaves compare one field of a resident's stratified record with a value. Pure: no database.
// The server turns a checked tree into SQL (src/cohorts/cohort-query.ts); every field maps to a fixed
// column, and every value travels as a parameter.

export type NumberOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'between';
export type ChoiceOperator = 'in' | 'not-in';
export type ListOperator = 'has' | 'has-not';
export type BooleanOperator = 'is';
export type Operator = NumberOperator | ChoiceOperator | ListOperator | BooleanOperator;

export type FieldType = 'number' | 'choice' | 'list' | 'boolean' | 'activity';

export type Field =
  | 'age'
  | 'sex'
  | 'neighbourhood'
  | 'ward'
  | 'lsoa'
  | 'practice'
  | 'imdDecile'
  | 'imdQuintile'
  | 'core20'
  | 'plusEthnicMinority'
  | 'plusLearningDisability'
  | 'plusMultimorbidity'
  | 'clinicalArea'
  | 'condition'
  | 'ltcCount'
  | 'segment'
  | 'efiBand'
  | 'efiDeficits'
  | 'hfrsBand'
  | 'hfrsScore'
  | 'charlsonBand'
  | 'charlsonScore'
  | 'frequentAttender'
  | 'activity';

export type NumberRule = {
  kind: 'rule';
  field: Field;
  operator: NumberOperator;
  value: number | [number, number];
};
export type ChoiceRule = { kind: 'rule'; field: Field; operator: ChoiceOperator; value: string[] };
export type ListRule = { kind: 'rule'; field: Field; operator: ListOperator; value: string };
export type BooleanRule = { kind: 'rule'; field: Field; operator: BooleanOperator; value: boolean };
/** A count of hospital activity of one kind in the months up to the stratification date. */
export type ActivityRule = {
  kind: 'rule';
  field: 'activity';
  activity: ActivityKind;
  months: number;
  operator: NumberOperator;
  value: number | [number, number];
};
export type Rule = NumberRule | ChoiceRule | ListRule | BooleanRule | ActivityRule;
export type Group = { kind: 'group'; combinator: 'and' | 'or'; rules: (Rule | Group)[] };

/** Hospital activity a cohort rule can count: unplanned care and admissions (not outpatient appointments). */
export const ACTIVITY_KINDS = ['ed', 'emergency-admission', 'elective-admission', 'day-case'] as const;
/** The periods, in months up to the stratification date, over which activity is counted for every resident. */
export const ACTIVITY_MONTHS = [3, 6, 12, 24, 36] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_LABELS: Record<ActivityKind, string> = {
  ed: 'A&E attendances',
  'emergency-admission': 'emergency admissions',
  'elective-admission': 'planned admissions',
  'day-case': 'day cases',
};

export type FieldDefinition = {
  field: Field;
  label: string;
  type: FieldType;
  /** Numbers: the allowed range; whole numbers unless `decimals`. */
  min?: number;
  max?: number;
  decimals?: boolean;
};

/** Every field a rule can use, in the order the rule builder offers them. */
export const FIELDS: readonly FieldDefinition[] = [
  { field: 'age', label: 'Age', type: 'number', min: 0, max: 120 },
  { field: 'sex', label: 'Sex', type: 'choice' },
  { field: 'neighbourhood', label: 'Neighbourhood', type: 'choice' },
  { field: 'ward', label: 'Ward', type: 'choice' },
  { field: 'lsoa', label: 'Small area (LSOA)', type: 'choice' },
  { field: 'practice', label: 'GP practice', type: 'choice' },
  {
    field: 'imdDecile',
    label: 'Deprivation decile (IMD 2019, 1 = most deprived)',
    type: 'number',
    min: 1,
    max: 10,
  },
  {
    field: 'imdQuintile',
    label: 'Deprivation quintile (IMD 2019, 1 = most deprived)',
    type: 'number',
    min: 1,
    max: 5,
  },
  { field: 'core20', label: 'Core20: lives in the most deprived 20% of England', type: 'boolean' },
  { field: 'plusEthnicMinority', label: 'PLUS group: ethnic minority', type: 'boolean' },
  { field: 'plusLearningDisability', label: 'PLUS group: learning disability', type: 'boolean' },
  { field: 'plusMultimorbidity', label: 'PLUS group: 2 or more long-term conditions', type: 'boolean' },
  { field: 'clinicalArea', label: 'Core20PLUS5 clinical area', type: 'list' },
  { field: 'condition', label: 'Long-term condition', type: 'list' },
  { field: 'ltcCount', label: 'Number of long-term conditions', type: 'number', min: 0, max: 50 },
  { field: 'segment', label: 'Population segment', type: 'choice' },
  { field: 'efiBand', label: 'Frailty (electronic Frailty Index)', type: 'choice' },
  { field: 'efiDeficits', label: 'Frailty deficits (of 36)', type: 'number', min: 0, max: 36 },
  { field: 'hfrsBand', label: 'Hospital Frailty Risk Score band', type: 'choice' },
  {
    field: 'hfrsScore',
    label: 'Hospital Frailty Risk Score',
    type: 'number',
    min: 0,
    max: 200,
    decimals: true,
  },
  { field: 'charlsonBand', label: 'Charlson comorbidity index band', type: 'choice' },
  { field: 'charlsonScore', label: 'Charlson comorbidity index', type: 'number', min: 0, max: 50 },
  { field: 'frequentAttender', label: 'Frequent A&E attender (5 or more in 12 months)', type: 'boolean' },
  { field: 'activity', label: 'Hospital activity in a period', type: 'activity', min: 0, max: 1000 },
];

const FIELD_BY_NAME = new Map(FIELDS.map((f) => [f.field, f]));

export const OPERATORS: Record<FieldType, readonly Operator[]> = {
  number: ['=', '!=', '<', '<=', '>', '>=', 'between'],
  activity: ['=', '!=', '<', '<=', '>', '>=', 'between'],
  choice: ['in', 'not-in'],
  list: ['has', 'has-not'],
  boolean: ['is'],
};

export const OPERATOR_LABELS: Record<Operator, string> = {
  '=': 'is',
  '!=': 'is not',
  '<': 'is less than',
  '<=': 'is at most',
  '>': 'is more than',
  '>=': 'is at least',
  between: 'is between',
  in: 'is one of',
  'not-in': 'is none of',
  has: 'has',
  'has-not': 'does not have',
  is: 'is',
};

/** The allowed values of each choice and list field, for one place (from the server). */
export type Vocabulary = Partial<Record<Field, readonly { value: string; label: string }[]>>;

export const LIMITS = { depth: 4, rules: 40, values: 500 } as const;

export type RuleProblem = { path: string; message: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkNumber(v: unknown, def: { min?: number; max?: number; decimals?: boolean }): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
  if (!def.decimals && !Number.isInteger(v)) return 'must be a whole number';
  if (def.min !== undefined && v < def.min) return `must be ${def.min} or more`;
  if (def.max !== undefined && v > def.max) return `must be ${def.max} or less`;
  return null;
}

/**
 * Checks an untrusted rule tree. Returns the tree (typed) or every problem found, each with the path
 * of the part that is wrong, e.g. `rules.rules.1.operator`.
 */
export function checkCohortRules(
  input: unknown,
  vocabulary: Vocabulary,
  base = 'rules',
): { ok: true; rules: Group } | { ok: false; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  let count = 0;
  const problem = (path: string, message: string): void => {
    problems.push({ path, message });
  };

  const checkNode = (node: unknown, path: string, depth: number): void => {
    if (!isObject(node)) {
      problem(path, 'must be a rule or a group of rules');
      return;
    }
    if (node.kind === 'group') {
      checkGroup(node, path, depth);
      return;
    }
    if (node.kind !== 'rule') {
      problem(`${path}.kind`, 'must be "rule" or "group"');
      return;
    }
    count++;
    const def = FIELD_BY_NAME.get(node.field as Field);
    if (!def) {
      problem(`${path}.field`, `"${String(node.field)}" is not a field a cohort can use`);
      return;
    }
    const allowed = OPERATORS[def.type];
    if (!allowed.includes(node.operator as Operator)) {
      problem(
        `${path}.operator`,
        `"${String(node.operator)}" cannot be used with ${def.label.toLowerCase()}; use one of ${allowed.join(', ')}`,
      );
      return;
    }
    const known = new Set(
      ['field', 'operator', 'value', 'kind'].concat(def.type === 'activity' ? ['activity', 'months'] : []),
    );
    for (const key of Object.keys(node))
      if (!known.has(key)) problem(`${path}.${key}`, `is not part of a ${def.label.toLowerCase()} rule`);
    const value = node.value;
    const at = `${path}.value`;
    if (def.type === 'activity') {
      if (!ACTIVITY_KINDS.includes(node.activity as ActivityKind))
        problem(`${path}.activity`, `must be one of ${ACTIVITY_KINDS.join(', ')}`);
      if (!ACTIVITY_MONTHS.includes(node.months as (typeof ACTIVITY_MONTHS)[number]))
        problem(`${path}.months`, `must be one of ${ACTIVITY_MONTHS.join(', ')} months`);
    }
    if (def.type === 'number' || def.type === 'activity') {
      if (node.operator === 'between') {
        if (!Array.isArray(value) || value.length !== 2) {
          problem(at, 'must be two numbers, the lowest and the highest');
          return;
        }
        value.forEach((v, i) => {
          const wrong = checkNumber(v, def);
          if (wrong) problem(`${at}.${i}`, wrong);
        });
        if (typeof value[0] === 'number' && typeof value[1] === 'number' && value[0] > value[1])
          problem(at, 'the lowest must not be above the highest');
        return;
      }
      const wrong = checkNumber(value, def);
      if (wrong) problem(at, wrong);
      return;
    }
    if (def.type === 'boolean') {
      if (typeof value !== 'boolean') problem(at, 'must be true or false');
      return;
    }
    const options = new Set((vocabulary[def.field] ?? []).map((o) => o.value));
    if (def.type === 'list') {
      if (typeof value !== 'string') {
        problem(at, 'must be one value');
        return;
      }
      if (!options.has(value)) problem(at, `"${value}" is not a known ${def.label.toLowerCase()}`);
      return;
    }
    if (!Array.isArray(value) || value.length === 0) {
      problem(at, 'must list at least one value');
      return;
    }
    if (value.length > LIMITS.values) {
      problem(at, `must list at most ${LIMITS.values} values`);
      return;
    }
    value.forEach((v, i) => {
      if (typeof v !== 'string') problem(`${at}.${i}`, 'must be text');
      else if (!options.has(v)) problem(`${at}.${i}`, `"${v}" is not a known ${def.label.toLowerCase()}`);
    });
  };

  const checkGroup = (node: Record<string, unknown>, path: string, depth: number): void => {
    if (depth > LIMITS.depth) {
      problem(path, `groups can be nested at most ${LIMITS.depth} deep`);
      return;
    }
    if (node.combinator !== 'and' && node.combinator !== 'or')
      problem(`${path}.combinator`, 'must be "and" or "or"');
    for (const key of Object.keys(node))
      if (!['kind', 'combinator', 'rules'].includes(key)) problem(`${path}.${key}`, 'is not part of a group');
    if (!Array.isArray(node.rules)) {
      problem(`${path}.rules`, 'must be a list of rules');
      return;
    }
    if (node.rules.length === 0) {
      problem(`${path}.rules`, 'a group needs at least one rule');
      return;
    }
    node.rules.forEach((child, i) => {
      checkNode(child, `${path}.rules.${i}`, depth + 1);
    });
  };

  if (!isObject(input) || input.kind !== 'group') problem(base, 'must be a group of rules');
  else checkGroup(input, base, 1);
  if (count > LIMITS.rules) problem(base, `a cohort can have at most ${LIMITS.rules} rules`);
  return problems.length === 0 ? { ok: true, rules: input as Group } : { ok: false, problems };
}

/** The stratified facts a rule is judged on, for the independent evaluator below. */
export type CohortFacts = {
  age: number;
  sex: string;
  neighbourhood: string;
  ward: string;
  lsoa: string;
  practice: string;
  imdDecile: number;
  imdQuintile: number;
  core20: boolean;
  plusEthnicMinority: boolean;
  plusLearningDisability: boolean;
  plusMultimorbidity: boolean;
  clinicalArea: readonly string[];
  condition: readonly string[];
  ltcCount: number;
  segment: string;
  efiBand: string;
  efiDeficits: number;
  hfrsBand: string;
  hfrsScore: number;
  charlsonBand: string;
  charlsonScore: number;
  frequentAttender: boolean;
  /** Activity count of a kind in the months up to the stratification date. */
  activity: (kind: ActivityKind, months: number) => number;
};

function compareNumber(actual: number, operator: NumberOperator, value: number | [number, number]): boolean {
  if (operator === 'between') {
    const [low, high] = value as [number, number];
    return actual >= low && actual <= high;
  }
  const v = value as number;
  switch (operator) {
    case '=':
      return actual === v;
    case '!=':
      return actual !== v;
    case '<':
      return actual < v;
    case '<=':
      return actual <= v;
    case '>':
      return actual > v;
    case '>=':
      return actual >= v;
  }
}

/** Whether one resident meets a checked rule tree: the plain reading of the rules, used to test the SQL. */
export function meetsRules(node: Rule | Group, facts: CohortFacts): boolean {
  if (node.kind === 'group')
    return node.combinator === 'and'
      ? node.rules.every((r) => meetsRules(r, facts))
      : node.rules.some((r) => meetsRules(r, facts));
  if (node.field === 'activity') {
    const r = node as ActivityRule;
    return compareNumber(facts.activity(r.activity, r.months), r.operator, r.value);
  }
  const actual = facts[node.field as Exclude<Field, 'activity'>];
  switch (node.operator) {
    case 'in':
      return node.value.includes(actual as string);
    case 'not-in':
      return !node.value.includes(actual as string);
    case 'has':
      return (actual as readonly string[]).includes(node.value);
    case 'has-not':
      return !(actual as readonly string[]).includes(node.value);
    case 'is':
      return actual === node.value;
    default:
      return compareNumber(actual as number, node.operator, (node as NumberRule).value);
  }
}

/** A short plain-English reading of a rule tree, for lists and page headings. */
export function describeRules(node: Rule | Group, vocabulary: Vocabulary): string {
  if (node.kind === 'group') {
    const parts = node.rules.map((r) => describeRules(r, vocabulary));
    const joined = parts.join(node.combinator === 'and' ? ' and ' : ' or ');
    return parts.length > 1 ? `(${joined})` : joined;
  }
  const def = FIELD_BY_NAME.get(node.field);
  const label = (v: string) => vocabulary[node.field]?.find((o) => o.value === v)?.label ?? v;
  const number = (v: number | [number, number]) => (Array.isArray(v) ? `${v[0]} and ${v[1]}` : String(v));
  if (node.field === 'activity') {
    const r = node as ActivityRule;
    return `${ACTIVITY_LABELS[r.activity]} in ${r.months} months ${OPERATOR_LABELS[r.operator]} ${number(r.value)}`;
  }
  const name = def?.label ?? node.field;
  switch (node.operator) {
    case 'in':
    case 'not-in':
      return `${name} ${OPERATOR_LABELS[node.operator]} ${node.value.map(label).join(', ')}`;
    case 'has':
    case 'has-not':
      return `${OPERATOR_LABELS[node.operator]} ${label(node.value)}`;
    case 'is':
      return node.value ? name : `not ${name}`;
    default:
      return `${name} ${OPERATOR_LABELS[node.operator]} ${number((node as NumberRule).value)}`;
  }
}

/** How a cohort's members can be ordered. */
export const MEMBER_SORTS = [
  'risk',
  'efi',
  'hfrs',
  'charlson',
  'conditions',
  'emergency',
  'ed',
  'age',
] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export const MEMBER_SORT_LABELS: Record<MemberSort, string> = {
  risk: 'Highest risk: frailty deficits, then hospital frailty score, then emergency admissions',
  efi: 'Frailty deficits (eFI)',
  hfrs: 'Hospital Frailty Risk Score',
  charlson: 'Charlson comorbidity index',
  conditions: 'Number of long-term conditions',
  emergency: 'Emergency admissions in 12 months',
  ed: 'A&E attendances in 12 months',
  age: 'Age',
};
