// `joinedup synth` in real processes on an embedded data folder: bad options write nothing, and an
// interrupted generation (kill -9, or Ctrl-C) leaves the previous population exactly as it was.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const BIN = path.resolve('bin/joinedup.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'joinedup-synth-cli-'));
// A plain file: no folder can be made under it, so a FHIR output path below it is unwritable.
const blocker = path.join(dataDir, 'not-a-folder');
writeFileSync(blocker, '');
after(() => rmSync(dataDir, { recursive: true, force: true }));

function start(args: string[]) {
  const { DATABASE_URL: _, ...env } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...env, JOINEDUP_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}
const run = (args: string[]) => start(args).done;

async function report() {
  const r = await run(['synth', 'report', '--json']);
  return JSON.parse(r.stdout) as { people: number; rows: { id: string; measured: number | null }[] };
}

test('synth, then report; bad options are refused and change nothing; an interrupted run changes nothing', {
  timeout: 600_000,
}, async () => {
  const first = await run(['synth', '--people', '6000', '--seed', '1']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout + first.stderr, /Generated and loaded 6,000 people/);
  const baseline = await report();
  assert.equal(baseline.people, 6000);

  for (const [args, message] of [
    [['--people', '0'], /--people must be a whole number from 1/],
    [['--people', 'lots'], /--people must be a whole number/],
    [['--place', 'atlantis'], /There is no place pack "atlantis"/],
    [['--start', '2025-01-01', '--end', '2023-01-01'], /ends \(2023-01-01\) before it starts/],
    [['--start', '2023-01-01', '--end', '2099-12-31'], /at most ten years/],
    [['--fhir-out', path.join(blocker, 'fhir')], /Cannot write FHIR files/],
  ] as const) {
    const r = await run(['synth', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.deepEqual(await report(), baseline);

  // Kill a larger generation at points from start-up to the swap; the previous population survives.
  for (const [signal, delay] of [
    ['SIGKILL', 4000],
    ['SIGKILL', 9000],
    ['SIGINT', 7000],
  ] as const) {
    const running = start(['synth', '--people', '60000', '--seed', '2']);
    await new Promise((r) => setTimeout(r, delay));
    running.child.kill(signal);
    const exit = await running.done;
    const now = await report();
    if (exit.code === 0 || now.people === 60000) {
      // It reached the swap before the signal: then the new population is there whole.
      assert.equal(now.people, 60000, `${signal} after ${delay} ms`);
      await run(['synth', '--people', '6000', '--seed', '1']);
      continue;
    }
    assert.deepEqual(now, baseline, `${signal} after ${delay} ms`);
  }
});
