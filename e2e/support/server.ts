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
 * other test files share). Its first start generates a small synthetic population (`people`).
 */
export async function startServer({ timeoutMs = 120_000, people = 2000 } = {}): Promise<RunningServer> {
  if (!existsSync(path.join(ROOT, 'dist/web/index.html'))) {
    throw new Error('The web app has not been built: run "npm run build" before the browser tests.');
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'joinedup-e2e-'));
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
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await waitForReady(child, timeoutMs);
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
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
