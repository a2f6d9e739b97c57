// The synthetic population's SQL: the aggregates the calibration report measures, computed inside the
// database (set-based), and the record of the last generation.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { measurementDay, type PopulationAggregates } from './calibration-report.ts';
import { isoDateOf } from './dates.ts';
import type { Sex } from './inputs.ts';

type Db = Kysely<Database>;

const band = (age: ReturnType<typeof sql>) =>
  sql`case when ${age} < 1 then 0 when ${age} < 5 then 1 when ${age} >= 90 then 90 else (${age} / 5) * 5 end`;

/** People alive on the measurement day by LSOA and age; person-years and deaths by sex, LSOA and band. */
export async function populationAggregates(
  db: Db,
  placeId: string,
  window: { start: string; end: string },
): Promise<PopulationAggregates> {
  const measured = isoDateOf(measurementDay(window.start));
  const agg: PopulationAggregates = { alive: new Map(), life: new Map() };

  const alive = await sql<{ lsoa: string; age: number; n: number }>`
    select lsoa_code as lsoa, least(90, extract(year from age(${measured}::date, date_of_birth))::int) as age,
           count(*)::int as n
    from person
    where place_id = ${placeId} and source = 'synthetic'
      and date_of_birth <= ${measured}::date and (date_of_death is null or date_of_death >= ${measured}::date)
    group by 1, 2`.execute(db);
  for (const r of alive.rows) agg.alive.set(`${r.lsoa}|${r.age}`, r.n);

  const exposure = await sql<{ sex: Sex; lsoa: string; band: number; years: number }>`
    with p as (
      select sex, lsoa_code, date_of_birth as dob,
             greatest(date_of_birth, ${window.start}::date) as entry,
             least(coalesce(date_of_death, ${window.end}::date), ${window.end}::date) + 1 as exit
      from person where place_id = ${placeId} and source = 'synthetic'
    ), segments as (
      select p.sex, p.lsoa_code, a as age,
             greatest(p.entry, (p.dob + make_interval(years => a))::date) as s,
             least(p.exit, (p.dob + make_interval(years => a + 1))::date) as e
      from p cross join lateral generate_series(
        extract(year from age(p.entry, p.dob))::int, extract(year from age(p.exit - 1, p.dob))::int) as a
      where p.exit > p.entry
    )
    select sex, lsoa_code as lsoa, ${band(sql`age`)} as band, sum(e - s)::float8 / 365.25 as years
    from segments where e > s group by 1, 2, 3`.execute(db);
  for (const r of exposure.rows) agg.life.set(`${r.sex}|${r.lsoa}|${r.band}`, [r.years, 0]);

  const deaths = await sql<{ sex: Sex; lsoa: string; band: number; n: number }>`
    select sex, lsoa_code as lsoa, ${band(sql`extract(year from age(date_of_death, date_of_birth))::int`)} as band,
           count(*)::int as n
    from person
    where place_id = ${placeId} and source = 'synthetic'
      and date_of_death between ${window.start}::date and ${window.end}::date
    group by 1, 2, 3`.execute(db);
  for (const r of deaths.rows) {
    const key = `${r.sex}|${r.lsoa}|${r.band}`;
    const cell = agg.life.get(key) ?? [0, 0];
    cell[1] += r.n;
    agg.life.set(key, cell);
  }
  return agg;
}

export function syntheticRun(db: Db, placeId: string) {
  return db.selectFrom('synthetic_run').selectAll().where('place_id', '=', placeId).executeTakeFirst();
}

export async function countPeople(db: Db, placeId: string): Promise<number> {
  const row = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('place_id', '=', placeId)
    .executeTakeFirst();
  return row?.n ?? 0;
}
