// Worklists as a legitimate relationship: the members of a team (or practice) have one with everyone
// on their own worklists, that is everyone in the worklist's cohort within its footprint, and everyone
// nominated to it. A source for the access layer's relationship rule (src/access/relationship.ts).
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Relationship, RelationshipSource } from '../access/relationship.ts';
import { ROLES } from '../access/roles.ts';
import type { Staff } from '../access/session.store.ts';
import type { Database } from '../db/database.ts';
import { cohortCondition } from './cohort-query.ts';
import { type CohortScope, checkedRules, cohortScope } from './cohort-scope.ts';
import { type TeamWorklists, teamWorklists } from './worklist-cache.ts';

type Db = Kysely<Database>;

/** The worklists that belong to this staff member's team (an INT's neighbourhood) or GP practice. */
export function ownsWorklist(staff: Staff) {
  return (eb: ExpressionBuilder<Database, 'worklist'>) => {
    const owned = [];
    if (ROLES[staff.role].scope === 'team' && staff.neighbourhoodCode)
      owned.push(
        eb.and([
          eb('worklist.scope', '=', 'neighbourhood'),
          eb('worklist.scope_code', '=', staff.neighbourhoodCode),
        ]),
      );
    if (staff.practiceCode)
      owned.push(
        eb.and([eb('worklist.scope', '=', 'practice'), eb('worklist.scope_code', '=', staff.practiceCode)]),
      );
    return owned.length === 0 ? sql<boolean>`false` : eb.or(owned);
  };
}

async function readTeamWorklists(db: Db, staff: Staff): Promise<TeamWorklists<CohortScope>> {
  const rows = await db
    .selectFrom('worklist')
    .innerJoin('cohort', 'cohort.id', 'worklist.cohort_id')
    .select(['worklist.id', 'worklist.scope', 'worklist.scope_code', 'cohort.rules', 'cohort.updated_at'])
    .where('worklist.place_id', '=', staff.placeId)
    .where(ownsWorklist(staff))
    .orderBy('worklist.id')
    .execute();
  const scope = rows.length === 0 ? null : await cohortScope(db, staff.placeId).catch(() => null);
  return { rows, scope };
}

/** The relationship a team's worklists give, built once for each reading of them. */
const built = new WeakMap<TeamWorklists<unknown>, Relationship | null>();

function worklistRelationship(held: TeamWorklists<CohortScope>): Relationship | null {
  const { rows: lists, scope } = held;
  if (lists.length === 0 || !scope) return null;
  const members = lists.map((w) => {
    const rules = checkedRules(w.rules, scope.vocabulary);
    const footprint =
      w.scope === 'neighbourhood' ? 'person_risk.neighbourhood_code' : 'person_risk.practice_code';
    return (eb: ExpressionBuilder<Database, 'person' | 'person_risk'>) =>
      eb.or([
        eb.and([
          cohortCondition(rules, scope)(eb as unknown as ExpressionBuilder<Database, 'person_risk'>),
          eb(footprint, '=', w.scope_code),
        ]),
        eb.exists(
          eb
            .selectFrom('worklist_nomination as wn')
            .select(sql`1`.as('one'))
            .whereRef('wn.person_id', '=', 'person.id')
            .where('wn.worklist_id', '=', w.id),
        ),
      ]);
  });
  return {
    name: 'worklist',
    condition: (eb) => eb.or(members.map((m) => m(eb))),
    key: `worklists:${scope.runKey}:${lists.map((w) => `${w.id}@${new Date(w.updated_at).toISOString()}`).join(',')}`,
  };
}

export const worklistMembership: RelationshipSource = {
  async forStaff(db: Db, staff: Staff) {
    if (!ROLES[staff.role].directCare) return null;
    const footprintKey = `${staff.placeId}|${ROLES[staff.role].scope === 'team' ? staff.neighbourhoodCode : ''}|${staff.practiceCode}`;
    const held: TeamWorklists<unknown> = await teamWorklists(db).get(footprintKey, () =>
      readTeamWorklists(db, staff),
    );
    if (!built.has(held)) built.set(held, worklistRelationship(held as TeamWorklists<CohortScope>));
    return built.get(held) ?? null;
  },
};
