// The legitimate-relationship rule: identifiable data about a person goes only to staff who have a
// relationship with them. Each kind of relationship is a source that turns a staff member into a SQL
// condition over `person` (with `person_risk` left-joined): their registered practice and break-glass
// live here; worklists (src/cohorts) and, later, cases and referrals plug in the same way, composed in
// server/app.ts. One query answers "may this person be seen, and why" for a record, and the same
// conditions narrow a list to the people the viewer may see.
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { executePrepared } from '../db/prepared.ts';
import type { Staff } from './session.store.ts';

type Db = Kysely<Database>;
export type PersonEb = ExpressionBuilder<Database, 'person' | 'person_risk'>;
export type PersonCondition = (eb: PersonEb) => Expression<SqlBool>;

export interface Relationship {
  /** The relationship as the audit trail names it, e.g. 'registered practice'. */
  name: string;
  condition: PersonCondition;
  /** Changes whenever the condition would; lets lists be cached per viewer. */
  key: string;
}

export interface RelationshipSource {
  /** The staff member's relationships of this kind, or null when they cannot have one. */
  forStaff(db: Db, staff: Staff): Promise<Relationship | null>;
}

export const registeredPractice: RelationshipSource = {
  async forStaff(_db, staff) {
    const practice = staff.practiceCode;
    if (!practice) return null;
    return {
      name: 'registered practice',
      condition: (eb) => eb('person.practice_code', '=', practice),
      key: `practice:${practice}`,
    };
  },
};

/** Break-glass access lasts this long. */
export const BREAK_GLASS_MINUTES = 60;

export const breakGlass: RelationshipSource = {
  async forStaff(_db, staff) {
    const userId = staff.id;
    return {
      name: 'break-glass',
      condition: (eb) =>
        eb.exists(
          eb
            .selectFrom('break_glass as bg')
            .select(sql`1`.as('one'))
            .whereRef('bg.person_id', '=', 'person.id')
            .where('bg.user_id', '=', userId)
            .where('bg.expires_at', '>', sql<Date>`now()`),
        ),
      // Evaluated in the query itself, so a list cached under this key is at most as old as its cache.
      key: `break-glass:${userId}`,
    };
  },
};

/** Every relationship this staff member has, across the sources. */
export async function relationshipsOf(db: Db, sources: readonly RelationshipSource[], staff: Staff) {
  const found = await Promise.all(sources.map((s) => s.forStaff(db, staff)));
  return found.filter((r): r is Relationship => r !== null);
}

/** True for people the viewer has any of these relationships with. */
export function anyRelationship(relationships: readonly Relationship[]): PersonCondition {
  return (eb) =>
    relationships.length === 0 ? sql<boolean>`false` : eb.or(relationships.map((r) => r.condition(eb)));
}

export const relationshipsKey = (relationships: readonly Relationship[]) =>
  relationships.map((r) => r.key).join('|');

/** A place's people with their scores beside them: what every relationship condition is written over. */
export function peopleOfPlace(db: Db, placeId: string) {
  return db
    .selectFrom('person')
    .leftJoin('person_risk', (j) =>
      j
        .onRef('person_risk.person_id', '=', 'person.id')
        .onRef('person_risk.place_id', '=', 'person.place_id'),
    )
    .where('person.place_id', '=', placeId);
}

/** The ids of the place's people with whom the viewer has any of these relationships (a query to narrow further). */
export function relatedPeople(db: Db, relationships: readonly Relationship[], placeId: string) {
  return peopleOfPlace(db, placeId).select('person.id').where(anyRelationship(relationships));
}

/** The query naming the viewer's relationship with one person of the place (no row if there is no such person). */
function relationshipQuery(
  db: Db,
  relationships: readonly Relationship[],
  placeId: string,
  personId: string,
) {
  return peopleOfPlace(db, placeId)
    .select((eb) => {
      if (relationships.length === 0) return sql<string | null>`null::text`.as('relationship');
      const [first, ...rest] = relationships as [Relationship, ...Relationship[]];
      let chain = eb.case().when(first.condition(eb)).then(first.name);
      for (const r of rest) chain = chain.when(r.condition(eb)).then(r.name);
      return chain.else(null).end().as('relationship');
    })
    .where('person.id', '=', personId);
}

/**
 * The viewer's relationship with one person of the place, by name, or null: for a person who does
 * not exist the same query runs and answers the same null, so the answer says nothing more.
 */
export async function relationshipWith(
  db: Db,
  relationships: readonly Relationship[],
  placeId: string,
  personId: string,
): Promise<string | null> {
  // Prepared: the CASE of every source's EXISTS costs more to plan than to run (db/prepared.ts).
  const { rows } = await executePrepared(
    db,
    relationshipQuery(db, relationships, placeId, personId).compile(),
  );
  return rows[0]?.relationship ?? null;
}
