// `npm run bench`: runs every bench/*.bench.ts in turn, prints its tables and appends them, with the
// machine they were measured on, to docs/performance.md. Not part of `npm test`.
// PostgreSQL: BENCH_DATABASE_URL, else the server on 127.0.0.1:5432 when one answers; a fresh database
// is created for the run and dropped after it.
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { type Bench, type BenchSection, type BenchTable, cleanup, ROOT } from './harness.ts';

const DOC = path.join(ROOT, 'docs/performance.md');
const HEADER = `# Performance

Each section below was appended by \`npm run bench\` (\`bench/run.ts\`), newest last, and names the machine
it ran on; compare figures only between runs on like machines.

- Every server runs as its own process, started with \`node bin/joinedup.js serve\` on the pinned Node.js,
  listening on 127.0.0.1; the benchmark process is the client. Start-up time runs from spawning the process
  (npm's own start-up is not included) to the first \`GET /\` answered 200 with the web app, polled every 10 ms.
- API figures come from autocannon with 20 connections: a 2 s warm-up, then 8 s in which every response
  time is kept, so p50/p95/p99 are exact (nearest rank). Non-2xx answers, connection errors and timeouts
  count as errors.
- Each figure has a peer for context: a bare Node.js \`http\` server for start-up, and for the API a bare
  Fastify 5 route answering the same JSON from memory (the floor that the database and the product's code
  add to).
- PostgreSQL is measured when a server answers on 127.0.0.1:5432 (or at \`BENCH_DATABASE_URL\`), in a fresh
  database created for the run and dropped after it; otherwise the section says it was not measured.
`;

interface Postgres {
  url: string;
  version: string;
  location: string;
  drop(): Promise<void>;
}

async function openPostgres(): Promise<Postgres | null> {
  const given = process.env.BENCH_DATABASE_URL;
  const server = given ?? 'postgres://root@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (e) {
    if (given) throw new Error(`BENCH_DATABASE_URL does not answer: ${(e as Error).message}`);
    return null;
  }
  const name = `joinedup_bench_${Date.now().toString(36)}`;
  let version: string;
  try {
    version =
      (await client.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '?';
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    version,
    location: `${url.hostname}:${url.port || 5432}`,
    async drop() {
      const admin = new pg.Client({ connectionString: server });
      await admin.connect();
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** The best of three timings of `fn`, in seconds. */
async function bestOfThree(fn: () => unknown): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}

/**
 * Two fixed pieces of work timed on this machine, at the start of a run and at its end, so that runs on
 * different machines, or on one whose speed drifts (a shared virtual machine), can be compared:
 * Node.js sorting ten million numbers, and PostgreSQL counting ten million generated rows (one core each).
 */
async function speedReference(postgres: Postgres | null): Promise<string> {
  // Sorting touches 80 MB, so memory shared with other machines' work shows as well as the processor.
  const numbers = Float64Array.from({ length: 10_000_000 }, (_, i) => Math.sin(i) * 1e6);
  const node = await bestOfThree(() => numbers.slice().sort());
  if (!postgres) return `${node.toFixed(2)} s / —`;
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const server = await bestOfThree(() => client.query('select count(*) from generate_series(1, 10000000)'));
    return `${node.toFixed(2)} s / ${server.toFixed(2)} s`;
  } finally {
    await client.end();
  }
}

function machine(postgres: Postgres | null): string[] {
  const cpu =
    /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  const pglite = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string };
  return [
    `- Machine: ${cpu ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.type()} ${os.release()}; ` +
      `load average ${os.loadavg()[0]?.toFixed(2)} at the start (other work on the machine skews the figures)`,
    `- Node.js ${process.version}; PGlite ${pglite.version}; ` +
      (postgres
        ? `PostgreSQL ${postgres.version} on ${postgres.location}`
        : 'PostgreSQL not measured (no server answered on 127.0.0.1:5432)'),
  ];
}

function markdown(table: BenchTable): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [
    `### ${table.title}`,
    '',
    line(table.columns),
    line(table.columns.map(() => '---')),
    ...table.rows.map(line),
    '',
  ].join('\n');
}

let postgres: Postgres | null = null;
let interrupted = false;
async function finish(): Promise<void> {
  await cleanup();
  await postgres
    ?.drop()
    .catch((e) => console.error(`Could not drop the bench database: ${(e as Error).message}`));
  postgres = null;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the benchmarks and cleaning up`);
    void finish().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

const started = new Date();
const parts: string[] = [];
let crashed = false;
let about: string[] = [];
let speedAtStart = '—';
let speedAtEnd = '—';
try {
  postgres = await openPostgres();
  about = machine(postgres);
  speedAtStart = await speedReference(postgres);
  // `npm run bench -- place` runs only the benchmarks whose file name contains "place".
  const only = process.argv[2];
  const files = readdirSync(import.meta.dirname)
    .filter((f) => f.endsWith('.bench.ts') && (only === undefined || f.includes(only)))
    .sort();
  for (const file of files) {
    if (interrupted) break;
    console.log(`Running bench/${file} …`);
    const t0 = performance.now();
    try {
      const bench = (await import(pathToFileURL(path.join(import.meta.dirname, file)).href)) as {
        default: Bench;
      };
      const section: BenchSection = await bench.default({ postgresUrl: postgres?.url ?? null });
      const text = [...section.tables.map(markdown), ...section.notes.map((n) => `Note: ${n}\n`)].join('\n');
      parts.push(text);
      console.log(`\n${text}\n(bench/${file}: ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    } catch (e) {
      crashed = true;
      parts.push(`### bench/${file}\n\nDid not complete: ${(e as Error).message}\n`);
      console.error(`bench/${file} did not complete: ${(e as Error).stack}`);
    } finally {
      await cleanup();
    }
  }
  if (!interrupted) speedAtEnd = await speedReference(postgres);
} finally {
  await finish();
}

const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(0);
const section = [
  `\n## ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC\n`,
  ...about,
  '- Speed reference, to compare runs across machines (best of 3; Node.js sorting 10 million numbers / ' +
    `PostgreSQL counting 10 million generated rows): ${speedAtStart} at the start, ${speedAtEnd} at the end`,
  `- Run took ${seconds} s; load average ${os.loadavg()[0]?.toFixed(2)} at the end\n`,
  ...parts,
].join('\n');
if (!interrupted) {
  if (!existsSync(DOC)) writeFileSync(DOC, HEADER);
  appendFileSync(DOC, section);
  console.log(`Appended to ${path.relative(process.cwd(), DOC)} (run took ${seconds} s).`);
  if (crashed) process.exitCode = 1;
}
