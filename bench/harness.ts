// What the benchmarks share: child processes and temporary folders that are always cleaned up, free
// ports, polling over HTTP, load runs that keep every response time, and the shape of their results.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface BenchContext {
  /** A fresh PostgreSQL database for this run, or null when no server answered. */
  postgresUrl: string | null;
}

export interface BenchTable {
  title: string;
  columns: string[];
  rows: string[][];
}

export interface BenchSection {
  tables: BenchTable[];
  notes: string[];
}

export type Bench = (ctx: BenchContext) => Promise<BenchSection>;

// ---- Child processes and temporary folders -------------------------------------------------------

const children = new Set<Child>();
const tempDirs = new Set<string>();
const cleanups = new Set<() => Promise<void>>();

/** Runs `fn` at the next cleanup (after the bench, or when the run is cut short), after the children stop. */
export function atCleanup(fn: () => Promise<void>): void {
  cleanups.add(fn);
}

export interface Child {
  process: ChildProcess;
  exited: Promise<number | null>;
  /** The last few kilobytes the process wrote to stderr, for messages. */
  stderr(): string;
}

/** Runs `node <args>` on the Node.js running the benchmarks, from the project folder. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', resolve);
    child.once('error', () => resolve(null));
  });
  const handle: Child = { process: child, exited, stderr: () => err.trim() };
  children.add(handle);
  void exited.then(() => children.delete(handle));
  return handle;
}

/** Runs a `joinedup` command to its end; throws with its message when it fails. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawnNode(['bin/joinedup.js', ...args], env);
  const code = await child.exited;
  if (code !== 0) throw new Error(`joinedup ${args.join(' ')} failed (exit ${code}): ${child.stderr()}`);
}

/** SIGTERM, then SIGKILL if the process has not exited within 10 s. */
export async function stop(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Stops every child still running and removes every temporary folder. */
export async function cleanup(): Promise<void> {
  await Promise.all([...children].map(stop));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  for (const fn of cleanups)
    await fn().catch((e) => console.error(`Cleanup failed: ${(e as Error).message}`));
  cleanups.clear();
}

// Last resort when the run is cut short: nothing may outlive the benchmark process.
process.on('exit', () => {
  for (const c of children) c.process.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

// ---- HTTP ----------------------------------------------------------------------------------------

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Answer {
  status: number;
  type: string;
  body: string;
}

/** One GET on a new connection (no keep-alive, so polling measures what a first visitor sees). */
export function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 5000, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`No answer from ${url} within 5 s`)));
    req.on('error', reject);
  });
}

/** Polls `url` every 10 ms until `accept` says yes; returns performance.now() at that moment. */
export async function waitFor(
  url: string,
  child: Child,
  accept: (a: Answer) => boolean,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (performance.now() < deadline) {
    if (exited) throw new Error(`The process exited before ${url} answered: ${child.stderr()}`);
    const answer = await get(url).catch(() => null);
    if (answer && accept(answer)) return performance.now();
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not answer as expected within ${timeoutMs / 1000} s: ${child.stderr()}`);
}

/** Starts a process, waits until `readyPath` answers 200, runs `fn` against it, then stops it. */
export async function withServer<T>(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyPath: string,
  fn: (base: string, child: Child) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawnNode(args, { ...env, PORT: String(port) });
  try {
    await waitFor(base + readyPath, child, (a) => a.status === 200, 60_000);
    return await fn(base, child);
  } finally {
    await stop(child);
  }
}

// ---- Signing in ----------------------------------------------------------------------------------

/** An account the benchmarks sign in as. */
export interface Account {
  username: string;
  password: string;
}

/**
 * The INT lead (East) the benchmarks sign in as, on either database: added with `joinedup staff add`
 * (unless it exists already), as a deployment adds its staff. Run before the server starts (PGlite's
 * folder is opened by one process at a time). The servers run with the demo accounts off (see serverEnv).
 */
export const BENCH_INT_LEAD: Account = { username: 'bench-lead', password: 'bench-lead-password-2026' };

export async function addBenchLead(env: NodeJS.ProcessEnv): Promise<Account> {
  // The East INT's lead in the place pack, working for community health: case management shows a case
  // to an account by its agency and practitioner (decision 0015).
  const args = ['staff', 'add', BENCH_INT_LEAD.username, '--role', 'int-lead', '--team', 'int-east'];
  args.push('--agency', 'bury-community-health', '--practitioner', 'int-east-int-lead');
  try {
    await runCli([...args, '--name', 'Benchmark INT lead'], {
      ...env,
      JOINEDUP_STAFF_PASSWORD: BENCH_INT_LEAD.password,
    });
  } catch (e) {
    if (!/already an account/.test((e as Error).message)) throw e;
  }
  return BENCH_INT_LEAD;
}

/**
 * A Joined Up process's environment: this process's, without its database settings, plus these. The
 * demo accounts are off, so that both databases are measured alike: signed in as bench-lead, added the
 * way a deployment adds its staff.
 */
export function serverEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, JOINEDUP_PLACE: _place, ...env } = process.env;
  return {
    ...env,
    HOST: '127.0.0.1',
    JOINEDUP_DATA_DIR: dataDir,
    JOINEDUP_DEMO_USERS: 'off',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** A signed-in session: the headers every request sends (cookie, and the CSRF token for POST/PUT/DELETE). */
export interface Session {
  cookie: string;
  csrfToken: string;
  /** For GET: the cookie. */
  read: Record<string, string>;
  /** For POST, PUT and DELETE: the cookie and the CSRF token. */
  write: Record<string, string>;
}

/** Signs in with POST /api/session; the session cookie and CSRF token come back for later requests. */
export async function signIn(base: string, account: Account): Promise<Session> {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  const body = await res.text();
  if (res.status !== 200)
    throw new Error(`Signing in as ${account.username} answered ${res.status}: ${body.slice(0, 300)}`);
  const { csrfToken } = JSON.parse(body) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => /^(__Host-)?joinedup_session=/.test(c));
  if (!cookie) throw new Error(`Signing in as ${account.username} set no session cookie`);
  return { cookie, csrfToken, read: { cookie }, write: { cookie, 'x-csrf-token': csrfToken } };
}

// ---- Load ----------------------------------------------------------------------------------------

export const CONNECTIONS = 20;
const WARM_UP_S = 2;
const MEASURE_S = 8;

export interface LoadResult {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
}

/**
 * GET `url` from 20 connections: a 2 s warm-up, then 8 s with every response time kept. `headers` go with
 * every request (a signed-in session's cookie).
 */
export async function load(url: string, headers: Record<string, string> = {}): Promise<LoadResult> {
  await autocannon({ url, headers, connections: CONNECTIONS, duration: WARM_UP_S });
  const times: number[] = [];
  let non2xx = 0;
  const instance = autocannon({ url, headers, connections: CONNECTIONS, duration: MEASURE_S });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    times.push(responseTime);
    if (statusCode < 200 || statusCode > 299) non2xx++;
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    count: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    perSecond: times.length / result.duration,
    errors: non2xx + result.errors,
  };
}

/** One request of a load run; each connection cycles through the list. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A nearest-rank percentile; `atLeast` when it fell on a request still waiting when the window closed. */
export interface Percentile {
  ms: number;
  atLeast: boolean;
}

export interface CycleResult {
  /** Answered within the window. */
  count: number;
  perSecond: number;
  p50: Percentile;
  p95: Percentile;
  p99: Percentile;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  /** Sent but not answered when the window closed, and the longest of their waits so far. */
  inFlight: number;
  longestWait: number;
}

// autocannon takes more than bench/autocannon.d.ts declares: requests each connection cycles through, and
// a hook on each connection's client (which emits 'request', 'response', 'timeout' and 'connError').
type CycleOptions = Parameters<typeof autocannon>[0] & {
  requests: LoadRequest[];
  setupClient?: (client: EventEmitter) => void;
};
const cycle = autocannon as unknown as (options: CycleOptions) => ReturnType<typeof autocannon>;

/**
 * `requests` from `connections` connections, each cycling through them: a 2 s warm-up, then 8 s with every
 * response time kept; `settle` runs after each window, for the server to finish what the closed connections
 * left. Requests still waiting when the window closes are the slowest: they count as lower bounds (their
 * wait so far) rather than being dropped.
 */
export async function loadRequests(
  base: string,
  requests: LoadRequest[],
  connections: number,
  settle: () => Promise<void> = async () => {},
): Promise<CycleResult> {
  const options: CycleOptions = { url: base, connections, requests };
  await cycle({ ...options, duration: WARM_UP_S });
  await settle();
  const times: number[] = [];
  let non2xx = 0;
  const sentAt = new Map<EventEmitter, number>();
  const instance = cycle({
    ...options,
    duration: MEASURE_S,
    setupClient: (client) => {
      client.on('request', () => sentAt.set(client, performance.now()));
      for (const end of ['response', 'timeout', 'connError']) client.on(end, () => sentAt.delete(client));
    },
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    times.push(responseTime);
    if (statusCode < 200 || statusCode > 299) non2xx++;
  });
  const result = await instance;
  const closed = performance.now();
  const waits = [...sentAt.values()].map((t) => closed - t);
  await settle();
  const all = [
    ...times.map((ms) => ({ ms, atLeast: false })),
    ...waits.map((ms) => ({ ms, atLeast: true })),
  ].sort((a, b) => a.ms - b.ms);
  const at = (p: number): Percentile =>
    all.length === 0
      ? { ms: Number.NaN, atLeast: false }
      : (all[Math.max(0, Math.ceil((p / 100) * all.length) - 1)] as Percentile);
  return {
    count: times.length,
    perSecond: times.length / result.duration,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    errors: non2xx + result.errors,
    inFlight: waits.length,
    longestWait: Math.max(0, ...waits),
  };
}

// ---- Processor time ------------------------------------------------------------------------------

let ticksPerSecond: number | undefined;

/** User and system processor time a process has used so far, in ms (Linux /proc); null if it is gone. */
function processMs(pid: number): number | null {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  try {
    // The command name, in brackets, may hold spaces: the fields are counted from after it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** The ids of this machine's PostgreSQL server processes (the server and every backend). */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/**
 * Processor time used so far by each of these processes and, when asked, by every PostgreSQL server
 * process on the machine (a request's queries run in those), by process id. Null where there is no
 * /proc to read it from (not Linux).
 */
export function processorTimes(pids: readonly number[], withPostgres: boolean): Map<number, number> | null {
  if (process.platform !== 'linux') return null;
  const times = new Map<number, number>();
  for (const pid of [...pids, ...(withPostgres ? postgresPids() : [])]) {
    const used = processMs(pid);
    if (used !== null) times.set(pid, used);
  }
  return times;
}

/** Processor time used between two readings, in ms: a process started in between counts from zero. */
export function processorMsBetween(
  before: Map<number, number> | null,
  after: Map<number, number> | null,
): number {
  if (!before || !after) return Number.NaN;
  let total = 0;
  for (const [pid, used] of after) total += used - (before.get(pid) ?? 0);
  return total;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export const ms = (v: number) => (Number.isNaN(v) ? '—' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`);
export const ratio = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');
