// Starts a real Joined Up server for a spec: its own port (PORT=0), its own fresh embedded database, and
// the built web app from dist/web. Call stop() when done; it kills the server and removes the data.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, ...rest } = env;
  return rest;
}

const READY = /Joined Up is ready at (http:\/\/\S+)/;

/**
 * Starts a server on a fresh embedded database of its own (never the DATABASE_URL of the test run, which
 * other test files share). Its first start generates a small synthetic population (`people`). Given a
 * `dataDir` the spec has already prepared (say with `joinedup synth`), it serves that instead, and leaves
 * the folder for the spec to remove.
 */
export async function startServer({
  timeoutMs = 120_000,
  people = 2000,
  dataDir: preparedDir,
}: {
  timeoutMs?: number;
  people?: number;
  dataDir?: string;
} = {}): Promise<RunningServer> {
  if (!existsSync(path.join(ROOT, 'dist/web/index.html'))) {
    throw new Error('The web app has not been built: run "npm run build" before the browser tests.');
  }
  const dataDir = preparedDir ?? (await mkdtemp(path.join(os.tmpdir(), 'joinedup-e2e-')));
  const child = spawn(process.execPath, ['bin/joinedup.js', 'serve'], {
    cwd: ROOT,
    env: {
      ...withoutDatabaseUrl(process.env),
      PORT: '0',
      HOST: '127.0.0.1',
      JOINEDUP_DATA_DIR: dataDir,
      JOINEDUP_SYNTH_PEOPLE: String(people),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const stop = async () => {
    await killServer(child);
    if (!preparedDir) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await waitForReady(child, timeoutMs);
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * A fresh embedded database folder holding a generated, stratified population, made by `joinedup synth`
 * as a user would, so that a spec can read ids from it before it starts a server on it.
 */
export async function synthDataDir({ people = 2000, timeoutMs = 120_000 } = {}): Promise<string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'joinedup-e2e-'));
  const child = spawn(process.execPath, ['bin/joinedup.js', 'synth', '--people', String(people)], {
    cwd: ROOT,
    env: { ...withoutDatabaseUrl(process.env), JOINEDUP_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (code !== 0) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`"joinedup synth" failed (exit ${code}).\n--- output ---\n${output}`);
  }
  return dataDir;
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => fail(`The server did not say it was ready within ${timeoutMs / 1000} s.`),
      timeoutMs,
    );
    function fail(message: string) {
      clearTimeout(timer);
      reject(new Error(`${message}\n--- server output ---\n${stdout}${stderr}`));
    }
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const ready = READY.exec(stdout);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', (e) => fail(`The server could not be started: ${e.message}`));
    child.once('exit', (code, signal) =>
      fail(`The server stopped before it was ready (exit ${code ?? signal}).`),
    );
  });
}

async function killServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
