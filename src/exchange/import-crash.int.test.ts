// An import killed part-way leaves whole batches only and resumes to the same tables as an
// uninterrupted one: the command killed with SIGKILL part-way through a large file.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDb, type Db } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { type DbTarget, dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import {
  checksums,
  encounter,
  importFiles,
  ndjson,
  PACK,
  PLACE,
  patient,
  run,
  tableCounts,
} from './import-fixtures.test-helper.ts';
import { findJob, type ImportJob, STALE_SECONDS } from './import-job.store.ts';

const { write } = importFiles();

const PEOPLE = 400;
const ENCOUNTERS = 40_000;

/** Where the command's database is: a PostgreSQL database of its own, or a PGlite data folder. */
interface CrashDb {
  env: NodeJS.ProcessEnv;
  open(): Promise<Db>;
  /** Lets the command have the database: PGlite's data folder is for one process at a time. */
  handOver(): Promise<void>;
  /** Lines done so far by the running command, when they can be read while it runs (PostgreSQL). */
  poll: ((fileName: string) => Promise<number>) | null;
  close(): Promise<void>;
}

async function crashDb(target: DbTarget): Promise<CrashDb> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.JOINEDUP_DATA_DIR;
  if (target.name === 'postgres') {
    const db = await target.open();
    const server = new URL(process.env.DATABASE_URL as string);
    server.pathname = db.location.slice(db.location.indexOf('/'));
    return {
      env: { ...env, DATABASE_URL: server.toString() },
      open: async () => db,
      handOver: async () => {},
      async poll(fileName) {
        const row = await db.kysely
          .selectFrom('import_job')
          .select('lines_done')
          .where('file_name', '=', fileName)
          .executeTakeFirst();
        return row?.lines_done ?? 0;
      },
      close: () => db.close(),
    };
  }
  // PGlite: a data folder, as the command uses; it can be opened by one process at a time.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'joinedup-import-crash-'));
  let open: Db | null = null;
  return {
    env: { ...env, JOINEDUP_DATA_DIR: dataDir },
    async open() {
      open = await createDb({ databaseUrl: null, dataDir });
      await migrateToLatest(open.kysely);
      return open;
    },
    async handOver() {
      await open?.close();
      open = null;
    },
    poll: null,
    async close() {
      await open?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

for (const target of dbTargets())
  describe(`an import killed part-way resumes to the same tables (${target.name})`, () => {
    let crash: CrashDb;
    let reference: Db;
    let patientsFile: string;
    let encountersFile: string;
    const lineEnds: number[] = [];

    before(async () => {
      const people = Array.from({ length: PEOPLE }, (_, i) =>
        patient({ id: `crash-${i}`, birthDate: `19${40 + (i % 50)}-01-01` }),
      );
      patientsFile = await write(`Patient-${target.name}.ndjson`, ndjson(people));
      const lines = Array.from({ length: ENCOUNTERS }, (_, n) =>
        JSON.stringify(encounter(`crash-enc-${n}`, `Patient/crash-${n % PEOPLE}`, n)),
      );
      let end = 0;
      for (const l of lines) {
        end += Buffer.byteLength(l) + 1;
        lineEnds.push(end);
      }
      encountersFile = await write(`Encounter-${target.name}.ndjson`, `${lines.join('\n')}\n`);

      crash = await crashDb(target);
      const db = await crash.open();
      await loadPlacePack(db.kysely, PACK);
      assert.equal((await run(db, patientsFile)).job.counts.peopleAdded, PEOPLE);
      await crash.handOver();
      reference = await target.open();
      await loadPlacePack(reference.kysely, PACK);
      await run(reference, patientsFile);
    });
    after(async () => {
      await crash?.close();
      await reference?.close();
    });

    test('killed with SIGKILL: whole batches only, reported interrupted, then resumed to what an uninterrupted import gives', async (t) => {
      const fileName = path.basename(encountersFile);
      const child = spawn(process.execPath, ['bin/joinedup.js', 'import', encountersFile, '--no-stratify'], {
        env: crash.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let started!: () => void;
      const progressed = new Promise<void>((resolve) => {
        started = resolve;
      });
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        // The command reports progress after each batch it commits.
        if (/Importing .*: \d+% \([\d,]+ of/.test(output)) started();
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      const gone = exited(child);
      try {
        if (crash.poll) {
          const poll = crash.poll;
          const deadline = Date.now() + 60_000;
          while ((await poll(fileName)) === 0) {
            assert.ok(
              child.exitCode === null && Date.now() < deadline,
              `the command ended first:\n${output}`,
            );
            await new Promise((r) => setTimeout(r, 20));
          }
        } else await Promise.race([progressed, gone]);
        assert.equal(child.exitCode, null, `the command ended before it was killed:\n${output}`);
      } finally {
        if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
      }
      await gone;
      assert.equal(child.signalCode, 'SIGKILL');

      const db = await crash.open();
      const job = await db.kysely
        .selectFrom('import_job')
        .select('id')
        .where('file_name', '=', fileName)
        .executeTakeFirstOrThrow();
      const killed = (await findJob(db.kysely, PLACE, job.id)) as ImportJob;
      assert.equal(killed.status, 'running', 'within STALE_SECONDS of its last batch it still reads running');
      assert.ok(killed.linesDone > 0 && killed.linesDone < ENCOUNTERS, `lines done: ${killed.linesDone}`);
      t.diagnostic(`killed with ${killed.linesDone} of ${ENCOUNTERS} lines committed`);

      // Every committed batch is whole: the rows, their identities and the checkpoint agree.
      const encounters = (await tableCounts(db)).encounter;
      const identities = await db.kysely
        .selectFrom('import_identity')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('record_table', '=', 'encounter')
        .executeTakeFirstOrThrow();
      assert.equal(encounters, killed.linesDone, 'one encounter per line the checkpoint says is done');
      assert.equal(Number(identities.n), killed.linesDone);
      assert.equal(killed.counts.recordsAdded, killed.linesDone);
      assert.equal(
        killed.bytesDone,
        lineEnds[killed.linesDone - 1],
        'the checkpoint is the byte after its last line',
      );

      // Meanwhile, the same file imported without interruption into a second database.
      const whole = await run(reference, encountersFile);
      assert.equal(whole.job.status, 'completed');
      assert.equal(whole.job.counts.recordsAdded, ENCOUNTERS);

      // After STALE_SECONDS without a batch, the job reads interrupted.
      const deadline = Date.now() + (STALE_SECONDS + 15) * 1000;
      let stale = killed;
      while (stale.status === 'running' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        stale = (await findJob(db.kysely, PLACE, job.id)) as ImportJob;
      }
      assert.equal(stale.status, 'interrupted');

      const resumed = await run(db, encountersFile);
      assert.equal(resumed.alreadyImported, false);
      assert.equal(resumed.busy, false);
      assert.equal(resumed.job.id, job.id, 'the same job, resumed');
      assert.equal(resumed.job.status, 'completed', resumed.job.message ?? '');
      assert.equal(resumed.job.linesDone, ENCOUNTERS);
      assert.equal(resumed.job.counts.recordsAdded, ENCOUNTERS);
      assert.equal(resumed.job.counts.rejected, 0);
      assert.deepEqual(await checksums(db), await checksums(reference));
    });
  });
