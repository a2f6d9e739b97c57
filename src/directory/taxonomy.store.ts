// Reading the services directory's vocabularies (taxonomies) and their terms, for the ORUK API and for
// pages: a place's vocabularies in the pack's order, one with all its terms, and terms one by one.
import { type Kysely, sql } from 'kysely';
import { isUuid } from '../core/uuid.ts';
import type { Database } from '../db/database.ts';
import {
  type DirectoryTaxonomy,
  type DirectoryTaxonomyTerm,
  offsetOf,
  type Page,
  type Paging,
} from './directory.ts';

type Db = Kysely<Database>;

/** Terms with their vocabulary, on `directory_taxonomy_term as t`. */
export const termsQuery = (db: Db, placeId: string) =>
  db
    .selectFrom('directory_taxonomy_term as t')
    .innerJoin('directory_taxonomy as x', (j) =>
      j.onRef('x.place_id', '=', 't.place_id').onRef('x.id', '=', 't.taxonomy_id'),
    )
    .select([
      't.id',
      't.code',
      't.name',
      't.description',
      't.parent_id',
      'x.id as taxonomy_id',
      'x.pack_id as taxonomy_code',
      'x.name as taxonomy_name',
    ])
    .where('t.place_id', '=', placeId);

export function toTerm(t: {
  id: string;
  code: string;
  name: string;
  description: string;
  parent_id: string | null;
  taxonomy_id: string;
  taxonomy_code: string;
  taxonomy_name: string;
}): DirectoryTaxonomyTerm {
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    description: t.description,
    parentId: t.parent_id,
    taxonomy: { id: t.taxonomy_id, code: t.taxonomy_code, name: t.taxonomy_name },
  };
}

const taxonomyColumns = ['id', 'pack_id', 'name', 'description', 'version'] as const;
const toTaxonomy = (t: {
  id: string;
  pack_id: string;
  name: string;
  description: string;
  version: string | null;
}): DirectoryTaxonomy => ({
  id: t.id,
  packId: t.pack_id,
  name: t.name,
  description: t.description,
  version: t.version,
});

/** A place's vocabularies, in the pack's order. */
export async function listTaxonomies(
  db: Db,
  placeId: string,
  paging: Paging,
): Promise<Page<DirectoryTaxonomy>> {
  const rows = await db
    .selectFrom('directory_taxonomy')
    .select([...taxonomyColumns, sql<number>`count(*) over ()`.as('total')])
    .where('place_id', '=', placeId)
    .orderBy('sort_order')
    .limit(paging.perPage)
    .offset(offsetOf(paging))
    .execute();
  const total =
    rows[0]?.total ??
    (
      await db
        .selectFrom('directory_taxonomy')
        .select(sql<number>`count(*)`.as('n'))
        .where('place_id', '=', placeId)
        .executeTakeFirstOrThrow()
    ).n;
  return { total, items: rows.map(toTaxonomy) };
}

/** One vocabulary with all its terms; undefined if the place has no such vocabulary. */
export async function getTaxonomy(
  db: Db,
  placeId: string,
  taxonomyId: string,
): Promise<(DirectoryTaxonomy & { terms: DirectoryTaxonomyTerm[] }) | undefined> {
  if (!isUuid(taxonomyId)) return undefined;
  const row = await db
    .selectFrom('directory_taxonomy')
    .select(taxonomyColumns)
    .where('place_id', '=', placeId)
    .where('id', '=', taxonomyId)
    .executeTakeFirst();
  if (!row) return undefined;
  const terms = await termsQuery(db, placeId)
    .where('t.taxonomy_id', '=', taxonomyId)
    .orderBy('t.sort_order')
    .execute();
  return { ...toTaxonomy(row), terms: terms.map(toTerm) };
}

/** A place's terms (of one vocabulary, if given), in the pack's order. */
export async function listTaxonomyTerms(
  db: Db,
  placeId: string,
  options: Paging & { taxonomyId?: string },
): Promise<Page<DirectoryTaxonomyTerm>> {
  if (options.taxonomyId !== undefined && !isUuid(options.taxonomyId)) return { total: 0, items: [] };
  let query = termsQuery(db, placeId);
  if (options.taxonomyId !== undefined) query = query.where('t.taxonomy_id', '=', options.taxonomyId);
  const rows = await query
    .select(sql<number>`count(*) over ()`.as('total'))
    .orderBy('x.sort_order')
    .orderBy('t.sort_order')
    .limit(options.perPage)
    .offset(offsetOf(options))
    .execute();
  let total = rows[0]?.total;
  if (total === undefined) {
    let count = db
      .selectFrom('directory_taxonomy_term as t')
      .select(sql<number>`count(*)`.as('n'))
      .where('t.place_id', '=', placeId);
    if (options.taxonomyId !== undefined) count = count.where('t.taxonomy_id', '=', options.taxonomyId);
    total = (await count.executeTakeFirstOrThrow()).n;
  }
  return { total, items: rows.map(toTerm) };
}

/** One term with its vocabulary; undefined if the place has no such term. */
export async function getTaxonomyTerm(
  db: Db,
  placeId: string,
  termId: string,
): Promise<DirectoryTaxonomyTerm | undefined> {
  if (!isUuid(termId)) return undefined;
  const row = await termsQuery(db, placeId).where('t.id', '=', termId).executeTakeFirst();
  return row && toTerm(row);
}
