// The match review queue: people who arrived without an NHS number and matched someone known only
// uncertainly. A reviewer sees the incoming details beside each candidate with the score explained,
// and decides: the same person (the incoming identity is linked to them) or a new person. Either way
// the records that waited with the review are then written. A review is decided once.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.ts';
import type { MatchReviewView } from '../core/schemas/exchange.ts';
import type { Database } from '../db/database.ts';
import { noCounts, personRow, rememberPeople, writeRecords } from './import.store.ts';
import { explainScore, type MatchScore } from './person-match.ts';
import type { PersonOwnedRecord, PersonRecord } from './records.ts';

type Db = Kysely<Database>;

interface StoredCandidate {
  personId: string;
  score: MatchScore;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Reviews of a place, open ones first, with each candidate's current details. */
export async function listReviews(
  db: Db,
  placeId: string,
  options: { status?: 'open' | 'decided'; limit?: number } = {},
): Promise<MatchReviewView[]> {
  let query = db
    .selectFrom('match_review as r')
    .innerJoin('import_job as j', 'j.id', 'r.job_id')
    .select([
      'r.id',
      'r.job_id',
      'j.file_name',
      'r.status',
      'r.incoming',
      'r.candidates',
      'r.held',
      'r.person_id',
      'r.created_at',
      'r.decided_by',
      'r.decided_at',
    ])
    .where('r.place_id', '=', placeId)
    .orderBy('r.created_at')
    .limit(options.limit ?? 200);
  if (options.status === 'open') query = query.where('r.status', '=', 'open');
  if (options.status === 'decided') query = query.where('r.status', '!=', 'open');
  const rows = await query.execute();
  const ids = [...new Set(rows.flatMap((r) => (r.candidates as StoredCandidate[]).map((c) => c.personId)))];
  const people =
    ids.length === 0
      ? []
      : await db
          .selectFrom('person')
          .select(['id', 'given_name', 'family_name', 'date_of_birth', 'sex', 'postcode', 'nhs_number'])
          .where('id', 'in', ids)
          .execute();
  const byId = new Map(people.map((p) => [p.id, p]));
  return rows.map((r) => {
    const incoming = r.incoming as PersonRecord;
    return {
      id: r.id,
      jobId: r.job_id,
      fileName: r.file_name,
      status: r.status,
      incoming: {
        givenName: incoming.givenName,
        familyName: incoming.familyName,
        dateOfBirth: incoming.dateOfBirth,
        sex: incoming.sex,
        postcode: incoming.postcode,
        lsoa: incoming.lsoa,
        practice: incoming.practice,
      },
      candidates: (r.candidates as StoredCandidate[]).flatMap((c) => {
        const p = byId.get(c.personId);
        if (!p) return [];
        return [
          {
            personId: c.personId,
            score: c.score.score,
            band: c.score.band,
            explanation: explainScore(c.score),
            givenName: p.given_name,
            familyName: p.family_name,
            dateOfBirth: p.date_of_birth,
            sex: p.sex,
            postcode: p.postcode,
            nhsNumber: p.nhs_number,
          },
        ];
      }),
      heldRecords: (r.held as unknown[]).length,
      personId: r.person_id,
      createdAt: iso(r.created_at) ?? '',
      decidedBy: r.decided_by,
      decidedAt: iso(r.decided_at),
    };
  });
}

export type ReviewDecision = { decision: 'same-person'; personId: string } | { decision: 'new-person' };

/**
 * Decides an open review in one transaction: links or adds the person, writes the records that waited,
 * and closes the review. Returns the person and everyone whose record was written, for the audit trail.
 */
export async function decideReview(
  db: Db,
  placeId: string,
  reviewId: string,
  decision: ReviewDecision,
  decidedBy: string,
): Promise<{ personId: string; recordsWritten: number }> {
  return db.transaction().execute(async (tx) => {
    const review = await tx
      .selectFrom('match_review')
      .selectAll()
      .where('id', '=', reviewId)
      .where('place_id', '=', placeId)
      .forUpdate()
      .executeTakeFirst();
    if (!review) throw new AppError('not-found', 'There is no such match review.');
    if (review.status !== 'open')
      throw new AppError(
        'conflict',
        `This review was already decided (${review.status.replace('-', ' ')}) by ${review.decided_by}.`,
      );
    const incoming = review.incoming as PersonRecord;
    let personId: string;
    if (decision.decision === 'same-person') {
      const candidates = review.candidates as StoredCandidate[];
      if (!candidates.some((c) => c.personId === decision.personId))
        throw new AppError('invalid', 'personId must be one of the review’s candidates.', [
          { diagnostics: 'personId must be one of the review’s candidates.', expression: ['personId'] },
        ]);
      personId = decision.personId;
      // The known record keeps its details; a postcode it lacked is filled in.
      await tx
        .updateTable('person')
        .set({ postcode: incoming.postcode })
        .where('id', '=', personId)
        .where('postcode', 'is', null)
        .execute();
    } else {
      personId = randomUUID();
      await tx
        .insertInto('person')
        .values({
          id: personId,
          place_id: placeId,
          ...personRow(incoming),
          source: 'import',
          synthetic_index: null,
        })
        .execute();
    }
    await rememberPeople(tx, placeId, [{ resource_key: review.resource_key, person_id: personId }]);
    const held = review.held as PersonOwnedRecord[];
    const counts = noCounts();
    await writeRecords(
      tx,
      placeId,
      held.map((record, i) => ({ line: i + 1, record })),
      counts,
      [],
      new Set(),
    );
    await tx
      .updateTable('match_review')
      .set({
        status: decision.decision,
        person_id: personId,
        decided_by: decidedBy,
        decided_at: new Date(),
        held: '[]',
      })
      .where('id', '=', reviewId)
      .execute();
    return { personId, recordsWritten: counts.recordsAdded + counts.recordsUpdated };
  });
}
