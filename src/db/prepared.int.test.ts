// Prepared statements on both databases: the same answers as the query run directly, every kind of
// parameter arriving exactly as given (quotes, backslashes and SQL in text and arrays included), one
// PREPARE per text and connection, and a statement whose parameters change answering each time afresh.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from './create-db.ts';
import { executePrepared, literal } from './prepared.ts';
import { dbTargets } from './test-db.ts';

const AWKWARD = [
  "O'Brien",
  'back\\slash',
  "'); drop table person; --",
  "E'\\x27",
  '"quoted" {braces}, commas',
  'tab\tand\nnewline',
  'Zoë, Łódź, 😀',
  '',
];

test('literals: numbers and booleans as such, text as escape-string constants, no NUL', () => {
  assert.equal(literal(null), 'NULL');
  assert.equal(literal(true), 'TRUE');
  assert.equal(literal(-3.5), '(-3.5)');
  assert.equal(literal("it's"), "E'it''s'");
  assert.equal(literal('a\\b'), "E'a\\\\b'");
  assert.throws(() => literal('nul\0'), { message: /NUL/, code: '22021' });
  assert.throws(() => literal(Number.NaN), /finite/);
  assert.throws(() => literal({}), /cannot be a object/);
});

for (const target of dbTargets()) {
  describe(`prepared statements on ${target.name}`, () => {
    let db: Db;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db?.close();
    });

    test('every kind of parameter arrives exactly as given', async () => {
      for (const text of AWKWARD) {
        const query = sql<{
          t: string;
          a: string[];
          n: number;
          b: boolean;
          none: string | null;
        }>`select ${text}::text as t, ${[text, 'x', null]}::text[] as a, ${42}::int as n, ${false}::boolean as b, ${null}::text as none`.compile(
          db.kysely,
        );
        const { rows } = await executePrepared(db.kysely, query);
        assert.deepEqual(rows, [{ t: text, a: [text, 'x', null], n: 42, b: false, none: null }], text);
      }
    });

    test('the same text with other values answers afresh each time; concurrent calls agree', async () => {
      const query = (n: number) =>
        sql<{ doubled: number }>`select ${n}::int * 2 as doubled`.compile(db.kysely);
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => executePrepared(db.kysely, query(i))),
      );
      assert.deepEqual(
        answers.map((a) => a.rows[0]?.doubled),
        Array.from({ length: 30 }, (_, i) => i * 2),
      );
    });

    test('past 200 statements on a connection they are let go and prepared again as needed', async () => {
      const query = (i: number) =>
        sql<{ i: number }>`select ${i}::int + ${sql.lit(i)} as i`.compile(db.kysely);
      for (let i = 0; i < 230; i++)
        assert.equal((await executePrepared(db.kysely, query(i))).rows[0]?.i, 2 * i);
      assert.equal((await executePrepared(db.kysely, query(0))).rows[0]?.i, 0);
      assert.equal((await executePrepared(db.kysely, query(229))).rows[0]?.i, 458);
    });
  });
}
