// The command line as an operator uses it, in real processes on a real PGlite data folder: a second
// process is refused with the holder named, kill -9 during `place load` leaves the previous place
// intact, SIGTERM closes the database cleanly, and data survives a restart.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../access/demo-users.ts';
import { LOCK_FILE } from '../db/data-dir-lock.ts';

const BIN = path.resolve('bin/joinedup.js');
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** GETs an API path as the demo analyst, signing in first (the embedded database has demo accounts). */
async function signedInGet(base: string, apiPath: string): Promise<Response> {
  const signIn = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'analyst', password: DEMO_PASSWORD }),
  });
  assert.equal(signIn.status, 200, await signIn.clone().text());
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return fetch(`${base}${apiPath}`, { headers: { cookie } });
}

function start(
  args: string[],
  dataDir: string,
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<Run> } {
  const { DATABASE_URL: _, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...base, JOINEDUP_DATA_DIR: dataDir, JOINEDUP_SYNTH: 'off', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<Run>((resolve) =>
    child.on('exit', (code, signal) =>
      resolve({
        code,
        signal,
        get stdout() {
          return stdout;
        },
        get stderr() {
          return stderr;
        },
      }),
    ),
  );
  Object.defineProperty(child, 'output', { get: () => stdout });
  return { child, done };
}
const run = (args: string[], dataDir: string) => start(args, dataDir).done;

function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; saw: ${seen}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      seen += d;
      const m = seen.match(pattern);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(m[0]);
      }
    };
    child.stdout?.on('data', onData);
  });
}

async function showJson(dataDir: string) {
  const r = await run(['place', 'show', '--json'], dataDir);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('joinedup on an embedded data folder', () => {
  const dataDir = tempDir('joinedup-cli-');

  test('place load, then place show --json reports the Bury place model; the directory’s reviews due', async () => {
    const load = await run(['place', 'load', 'place-packs/bury'], dataDir);
    assert.equal(load.code, 0, load.stderr);
    assert.match(load.stdout, /Loaded Bury: 5 neighbourhoods, 17 wards, 120 LSOAs, 26 practices/);
    const report = await showJson(dataDir);
    assert.equal(report.totals.neighbourhoods, 5);
    assert.equal(report.totals.lsoas, 120);
    assert.equal(report.totals.lsoasInExactlyOneNeighbourhood, 120);
    assert.equal(report.totals.lsoasInImd2019Decile1, 12);
    assert.equal(report.totals.practicesWithoutNeighbourhood, 0);
    const allLsoas = report.neighbourhoods.flatMap((n: { lsoas: string[] }) => n.lsoas);
    assert.equal(new Set(allLsoas).size, 120);
    const east = await run(['place', 'show', 'east'], dataDir);
    assert.match(east.stdout, /wards: Bury East, Moorside, Redvales/);
    const reviews = await run(['directory', 'reviews', '--csv'], dataDir);
    assert.equal(reviews.code, 0, reviews.stderr);
    assert.match(
      reviews.stdout,
      /^Next review,Review,Service,Organisation,Last checked,Checked by,Service id\n/,
    );
  });

  test('a bad pack is refused with the file, row and field named, and nothing changes', async () => {
    const bad = tempDir('joinedup-badpack-');
    cpSync('place-packs/bury', bad, { recursive: true });
    const file = path.join(bad, 'lsoas.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('E01004942,', 'E0100494X,'));
    const r = await run(['place', 'load', bad], dataDir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nothing was loaded/);
    assert.match(r.stderr, /lsoas\.csv, line 3, field "code": must be an LSOA code/);
    assert.equal((await showJson(dataDir)).totals.lsoas, 120);
  });

  test('a second process on the same data folder fails at once, naming the holder', async () => {
    const server = start(['serve'], dataDir, { PORT: '0', HOST: '127.0.0.1' });
    try {
      const url = (await waitFor(server.child, /Joined Up is ready at \S+/)).split(' ').at(-1);
      const began = performance.now();
      const second = await run(['place', 'show'], dataDir);
      assert.equal(second.code, 3);
      assert.match(second.stderr, new RegExp(`in use by process ${server.child.pid} \\(joinedup\\.js serve`));
      // It does not wait for the holder (which keeps running): the time is the new process's own start,
      // which on a loaded two-core machine can take several seconds.
      assert.ok(performance.now() - began < 20_000, 'the refusal should not wait for the holder');
      // The first process still reads and serves its data.
      const res = await signedInGet(`${url}`, '/api/places/bury');
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { totals: { lsoas: number } }).totals.lsoas, 120);
    } finally {
      server.child.kill('SIGTERM');
      const exit = await server.done;
      assert.equal(exit.code, 143, exit.stderr);
    }
    assert.equal(existsSync(path.join(dataDir, LOCK_FILE)), false, 'SIGTERM releases the lock');
    // Data survives the restart.
    assert.equal((await showJson(dataDir)).totals.lsoas, 120);
  });

  test('a lock left by a killed process is taken over', async () => {
    const server = start(['serve'], dataDir, { PORT: '0', HOST: '127.0.0.1' });
    await waitFor(server.child, /Joined Up is ready at \S+/);
    server.child.kill('SIGKILL');
    await server.done;
    assert.equal(existsSync(path.join(dataDir, LOCK_FILE)), true);
    assert.equal((await showJson(dataDir)).totals.lsoas, 120);
  });

  test('kill -9 during place load leaves the previous place intact', async () => {
    const changed = tempDir('joinedup-changed-');
    cpSync('place-packs/bury', changed, { recursive: true });
    const manifest = path.join(changed, 'pack.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"name": "Bury"', '"name": "Bury (new)"'));
    for (let i = 0; i < 6; i++) {
      const loading = start(['place', 'load', changed], dataDir);
      // Kill at a random point: while PGlite starts, during validation, or during the transaction.
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 2500));
      loading.child.kill('SIGKILL');
      await loading.done;
      const report = await showJson(dataDir);
      assert.ok(['Bury', 'Bury (new)'].includes(report.place.name), report.place.name);
      assert.equal(report.totals.lsoas, 120);
      assert.equal(report.totals.neighbourhoods, 5);
      assert.equal(report.totals.practices, 26);
      if (report.place.name === 'Bury (new)') {
        const back = await run(['place', 'load', 'place-packs/bury'], dataDir);
        assert.equal(back.code, 0, back.stderr);
      }
    }
  });

  test('a first start answers at once with a progress page while it generates, then opens', async () => {
    const fresh = tempDir('joinedup-first-start-');
    const server = start(['serve'], fresh, {
      PORT: '0',
      HOST: '127.0.0.1',
      JOINEDUP_SYNTH: 'on',
      JOINEDUP_SYNTH_PEOPLE: '40000',
    });
    try {
      const url = (await waitFor(server.child, /listening at \S+/)).split(' ').at(-1) as string;
      const began = performance.now();
      const page = await fetch(`${url}/`);
      assert.ok(performance.now() - began < 1000, 'the progress page answers at once');
      assert.equal(page.status, 503);
      assert.match(await page.text(), /Joined Up is getting ready/);
      const api = await fetch(`${url}/api/places/bury`);
      assert.equal(api.status, 503);
      assert.equal(((await api.json()) as { resourceType: string }).resourceType, 'OperationOutcome');
      const health = (await (await fetch(`${url}/health`)).json()) as { status: string };
      assert.equal(health.status, 'starting');
      const ready = (await waitFor(server.child, /Joined Up is ready at \S+/, 120_000))
        .split(' ')
        .at(-1) as string;
      const overview = await signedInGet(ready, '/api/places/bury');
      assert.equal(overview.status, 200);
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
    }
  });
});
