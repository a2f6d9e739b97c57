// The counts behind every profile and indicator, by LSOA: the one place the profiles read the population.
// Every count is a plain number of people or events in one LSOA under a key that names what was counted
// (see CellKey in profile-cells.ts); areas above the LSOA are sums of their LSOAs. People with a national
// data opt-out or a type 1 objection are left out of every count. Set-based SQL, read in one snapshot.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { LsoaCell, ProfilePeriods } from './profile-cells.ts';

type Db = Kysely<Database>;

/** ESP2013 band start (0, 5 … 90) of an age. */
const espBand = (age: ReturnType<typeof sql>) => sql`least(90, (greatest(${age}, 0) / 5) * 5)`;
/** Life-table band start (0, 1, 5, 10 … 90) of an age. */
const lifeBand = (age: ReturnType<typeof sql>) =>
  sql`case when ${age} < 1 then 0 when ${age} < 5 then 1 else least(90, (${age} / 5) * 5) end`;
const ageAt = (date: ReturnType<typeof sql>) => sql`extract(year from age(${date}, r.date_of_birth))::int`;

/**
 * The periods of a profile made from a stratification as of `asOf`. The profile describes the last month
 * end on or before it, so that refreshes within a month count the same periods (a window moving day by
 * day would let one day's events be worked out from two refreshes): residents on that day, events in the
 * twelve whole months before, life expectancy over thirty-six, and the series' thirty-six months.
 */
export function profilePeriods(asOf: string): ProfilePeriods {
  const referenceDate = monthEndBefore(asOf, 0);
  return {
    referenceDate,
    yearFrom: monthEndBefore(referenceDate, 12),
    midYear: monthEndBefore(referenceDate, 6),
    lifeFrom: monthEndBefore(referenceDate, 36),
    lifeMidYears: [6, 18, 30].map((m) => monthEndBefore(referenceDate, m)),
    months: Array.from({ length: 36 }, (_, i) => monthEndBefore(referenceDate, 35 - i).slice(0, 7)),
  };
}

/**
 * The last day of the month `months` before the month of `date`; with 0, the last month end on or before
 * `date` (itself when it is one).
 */
export function monthEndBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const isMonthEnd = new Date(Date.UTC(y, m - 1, d + 1)).getUTCDate() === 1;
  // Day 0 of a month is the last day of the month before it.
  const end = new Date(Date.UTC(y, m - months - (isMonthEnd ? 0 : 1), 0));
  return end.toISOString().slice(0, 10);
}

/**
 * Every LSOA-level count for the place, as of the periods given. Events are counted in the year after
 * `yearFrom` up to and including the reference date (the look-back rule of the risk models).
 */
export async function readLsoaCells(db: Db, placeId: string, p: ProfilePeriods): Promise<LsoaCell[]> {
  const firstMonth = `${p.months[0]}-01`;
  const lastMonth = `${p.months.at(-1)}-01`;
  const { rows } = await sql<LsoaCell>`
    with r as (
      select p.id, p.sex, p.date_of_birth, p.date_of_death, p.cause_of_death, p.lsoa_code as lsoa
      from person p join lsoa l on l.place_id = p.place_id and l.code = p.lsoa_code
      where p.place_id = ${placeId} and not p.national_data_opt_out and not p.type1_objection
    ),
    alive as (
      select r.*, ${ageAt(sql`${p.referenceDate}::date`)} as age from r
      where r.date_of_birth <= ${p.referenceDate}::date
        and (r.date_of_death is null or r.date_of_death > ${p.referenceDate}::date)
    ),
    mid as (
      select r.*, ${ageAt(sql`${p.midYear}::date`)} as age from r
      where r.date_of_birth <= ${p.midYear}::date
        and (r.date_of_death is null or r.date_of_death > ${p.midYear}::date)
    ),
    enc as (
      select e.person_id, e.kind, e.start_date, e.length_of_stay, e.is_readmission, r.lsoa,
             ${ageAt(sql`e.start_date`)} as age_then, ${ageAt(sql`${p.midYear}::date`)} as age_mid
      from encounter e join r on r.id = e.person_id
      where e.place_id = ${placeId} and e.kind in ('ed', 'emergency-admission')
        and e.start_date >= ${firstMonth}::date and e.start_date <= ${p.referenceDate}::date
    ),
    in_year as (select * from enc where start_date > ${p.yearFrom}::date),
    per_person as (
      select lsoa, kind, ${espBand(sql`age_mid`)} as band, count(*)::int as f
      from in_year group by person_id, lsoa, kind, age_mid
    ),
    care_home as (
      select s.start_date, r.lsoa, ${ageAt(sql`s.start_date`)} as age_then
      from social_care s join r on r.id = s.person_id
      where s.place_id = ${placeId} and s.service = 'care-home-permanent'
        and s.start_date >= ${firstMonth}::date and s.start_date <= ${p.referenceDate}::date
    ),
    months as (
      select to_char(m, 'YYYY-MM') as month, (m + interval '14 days')::date as mid
      from generate_series(${firstMonth}::date, ${lastMonth}::date, interval '1 month') m
    ),
    -- Alive on the 15th of a month (born by then, died after it, as on every other day counted here):
    -- counted from the first 15th on or after birth (or turning 65) until the first on or after death.
    spans as (
      select lsoa, date_of_birth as born, (date_of_birth + interval '65 years')::date as turned65,
             date_of_death as died from r
    ),
    marks as (
      select x.lsoa, c.at, sum(x.pop)::int as pop, sum(x.pop65)::int as pop65 from (
        select lsoa, born as at, 1 as pop, 0 as pop65 from spans
        union all select lsoa, died, -1, 0 from spans where died is not null
        union all select lsoa, turned65, 0, 1 from spans
        union all select lsoa, greatest(turned65, died), 0, -1 from spans where died is not null
      ) x
      -- Marks before the first month count from it; marks after the last month never count.
      cross join lateral (select greatest(x.at, ${firstMonth}::date) as at) c
      where x.at <= ${lastMonth}::date + 14 group by 1, 2
    )
    select lsoa, 'pop|' || sex || '|' || ${espBand(sql`age`)} as key, count(*)::int as n from alive group by 1, 2
    union all
    select lsoa, 'mid|' || sex || '|' || ${espBand(sql`age`)}, count(*)::int from mid group by 1, 2
    union all
    select a.lsoa, 'ltc|' || rc.item, count(distinct a.id)::int
    from alive a join condition c on c.person_id = a.id
    join risk_code rc on rc.model = 'ltc' and rc.code = c.code
    where c.place_id = ${placeId} and c.onset_date <= ${p.referenceDate}::date group by 1, 2
    union all
    -- Segments come from the stratification; anyone it did not score (stratified after they died or
    -- moved away) is counted as not known, so that the segments still add up to the residents.
    select a.lsoa, 'seg|' || coalesce(pr.segment, 'not-known'), count(*)::int
    from alive a left join person_risk pr on pr.place_id = ${placeId} and pr.person_id = a.id group by 1, 2
    union all
    select lsoa, kind || '|' || band || '|' || f, count(*)::int from per_person group by 1, 2
    union all
    select lsoa, 'readmit', count(*)::int from in_year where kind = 'emergency-admission' and is_readmission group by 1
    union all
    select lsoa, 'carehome65', count(*)::int from care_home
    where age_then >= 65 and start_date > ${p.yearFrom}::date group by 1
    union all
    select lsoa, 'death|' || sex || '|' || ${espBand(ageAt(sql`r.date_of_death`))}, count(*)::int from r
    where date_of_death > ${p.yearFrom}::date and date_of_death <= ${p.referenceDate}::date group by 1, 2
    union all
    select lsoa, 'cause|' || coalesce(cause_of_death, 'other'), count(*)::int from r
    where date_of_death > ${p.yearFrom}::date and date_of_death <= ${p.referenceDate}::date group by 1, 2
    union all
    select lsoa, 'ledeath|' || sex || '|' || ${lifeBand(ageAt(sql`r.date_of_death`))}, count(*)::int from r
    where date_of_death > ${p.lifeFrom}::date and date_of_death <= ${p.referenceDate}::date group by 1, 2
    union all
    select r.lsoa, 'lepop|' || r.sex || '|' || ${lifeBand(ageAt(sql`d.at`))}, count(*)::int
    from r cross join (select unnest(${p.lifeMidYears}::date[]) as at) d
    where r.date_of_birth <= d.at and (r.date_of_death is null or r.date_of_death > d.at) group by 1, 2
    union all
    select e.lsoa, 'm|' || to_char(e.start_date, 'YYYY-MM') || '|' || v.measure, count(*)::int
    from enc e cross join lateral (values
      (case when e.kind = 'ed' then 'ed' else 'em' end),
      (case when e.kind = 'emergency-admission' and e.age_then >= 65 then 'em65' end),
      (case when e.kind = 'emergency-admission' and e.is_readmission then 'readmit' end)
    ) v(measure)
    where v.measure is not null group by 1, 2
    union all
    select lsoa, 'm|' || to_char(start_date, 'YYYY-MM') || '|bed', sum(coalesce(length_of_stay, 0))::int
    from enc where kind = 'emergency-admission' group by 1, 2
    union all
    select lsoa, 'm|' || to_char(start_date, 'YYYY-MM') || '|carehome65', count(*)::int
    from care_home where age_then >= 65 group by 1, 2
    union all
    select k.lsoa, 'm|' || m.month || '|' || v.measure, sum(v.n)::int
    from months m join marks k on k.at <= m.mid
    cross join lateral (values ('pop', k.pop), ('pop65', k.pop65)) v(measure, n)
    group by 1, 2`.execute(db);
  return rows.filter((r) => r.n !== 0);
}
