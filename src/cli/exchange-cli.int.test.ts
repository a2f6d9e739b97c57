// `joinedup export fhir` and `joinedup import` in real processes on embedded data folders: a place's
// export, imported into another folder, is taken in whole and stratified; the same folder again is
// recognised; what the product writes but does not read is left out with a message; bad options are
// refused before anything is done.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const BIN = path.resolve('bin/joinedup.js');
const root = mkdtempSync(path.join(tmpdir(), 'joinedup-exchange-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[], dataDir: string) {
  const { DATABASE_URL: _, ...env } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...env, JOINEDUP_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  return new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out })),
  );
}

test('export fhir from one folder, import into another, then again', { timeout: 600_000 }, async () => {
  const source = path.join(root, 'source');
  const copy = path.join(root, 'copy');
  const files = path.join(root, 'fhir');
  const synth = await run(['synth', '--people', '1500', '--seed', '4'], source);
  assert.equal(synth.code, 0, synth.out);

  const badType = await run(['export', 'fhir', '--out', files, '--types', 'Spaceship'], source);
  assert.notEqual(badType.code, 0);
  assert.match(badType.out, /Spaceship cannot be exported/);

  const exported = await run(['export', 'fhir', '--out', files], source);
  assert.equal(exported.code, 0, exported.out);
  assert.match(exported.out, /Exported [\d,]+ resources of bury/);
  assert.ok(readdirSync(files).includes('Patient.ndjson'));

  const placed = await run(['place', 'load', 'place-packs/bury'], copy);
  assert.equal(placed.code, 0, placed.out);
  const imported = await run(['import', files, '--as-of', '2025-12-31'], copy);
  assert.equal(imported.code, 0, imported.out);
  assert.match(imported.out, /Patient\.ndjson: completed/);
  assert.match(imported.out, /People: 1,500 added/);
  assert.match(imported.out, /AuditEvent\.ndjson: left out: Joined Up does not import AuditEvent resources/);
  assert.match(imported.out, /Observation\.ndjson: left out: the file is empty/);
  assert.match(imported.out, /Stratified 1,\d{3} residents of bury as of 2025-12-31/);

  const again = await run(['import', files], copy);
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /Patient\.ndjson: imported before/);
  assert.doesNotMatch(again.out, /Stratified/);

  const jobs = await run(['imports'], copy);
  assert.match(jobs.out, /completed\s+Patient\.ndjson\s+\(1,500 read, 0 refused/);

  const missing = await run(['import', path.join(root, 'nowhere.ndjson')], copy);
  assert.notEqual(missing.code, 0);
  assert.match(missing.out, /no such file or folder/);
});
