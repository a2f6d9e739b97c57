// The case-management issue's target: seeded with 5,000 open cases across the five INTs, the caseload, plan
// and MDT-agenda endpoints answer with p95 ≤ 50 ms at 50 concurrent users on PostgreSQL, and no worse than
// twice that on PGlite, each beside the floor: a bare Fastify route answering the same JSON from memory
// (bench/floor-server.ts). Each database is prepared as a deployment would be (`joinedup synth`, then
// `joinedup cases demo --per-team 1000`), the meeting is scheduled and its agenda built through the API, and
// the real server runs as its own process, signed in as the East INT's lead.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../src/db/create-db.ts';
import {
  type Account,
  type Answer,
  addBenchLead,
  type BenchContext,
  type BenchSection,
  type BenchTable,
  type CycleResult,
  type LoadRequest,
  loadRequests,
  ms,
  type Percentile,
  ratio,
  runCli,
  type Session,
  serverEnv,
  signIn,
  tempDir,
  withServer,
} from './harness.ts';

const PLACE = 'bury';
const TEAM = 'int-east';
const API = `/api/places/${PLACE}`;
/** The load: 50 concurrent users. */
const USERS = 50;
const PER_TEAM = 1000;
const POSTGRES_TARGET_MS = 50;
/** "No worse than 2× that on PGlite." */
const PGLITE_TARGET_MS = 2 * POSTGRES_TARGET_MS;
const PAGE_SIZE = 25;
/** Caseload pages are requested in turn, 1 to this. */
const PAGES = 20;
/** Case pages cycle over this many of East's cases (from the caseload's pages). */
const CASES = 200;
/** The MDT meeting is scheduled this many days ahead: its agenda holds the reviews due by then. */
const MEETING_IN_DAYS = 7;

interface Scenario {
  label: string;
  /** The route as the floor registers it. */
  route: string;
  requests: LoadRequest[];
}

interface Measured {
  database: string;
  target: number;
  scenarios: Scenario[];
  results: CycleResult[];
  /** The first answer to each scenario's first request: what the floor answers. */
  answers: Answer[];
  facts: string[];
  notes: string[];
}

export default async function casesBench(ctx: BenchContext): Promise<BenchSection> {
  const dataDir = tempDir('joinedup-bench-data-');
  const measured: Measured[] = [];
  const pgliteEnv = serverEnv(dataDir);
  measured.push(await measureDatabase('PGlite', PGLITE_TARGET_MS, pgliteEnv, { databaseUrl: null, dataDir }));
  const pglite = measured[0] as Measured;

  // The floor runs alone, like each server, answering what the real server answered first.
  const floor: CycleResult[] = [];
  const bodyDir = tempDir('joinedup-bench-floor-');
  for (const [i, scenario] of pglite.scenarios.entries()) {
    const answer = pglite.answers[i] as Answer;
    const bodyFile = path.join(bodyDir, `${i}.json`);
    writeFileSync(bodyFile, answer.body);
    const env = { ...process.env, ROUTE: scenario.route, BODY_FILE: bodyFile, CONTENT_TYPE: answer.type };
    const first = scenario.requests[0] as LoadRequest;
    floor.push(
      await withServer(['bench/floor-server.ts'], env, first.path, (base) =>
        loadRequests(base, scenario.requests, USERS),
      ),
    );
  }

  const notes: string[] = [];
  if (ctx.postgresUrl) {
    const env = serverEnv(dataDir, { DATABASE_URL: ctx.postgresUrl });
    measured.push(
      await measureDatabase('PostgreSQL', POSTGRES_TARGET_MS, env, { databaseUrl: ctx.postgresUrl, dataDir }),
    );
  } else {
    notes.push('PostgreSQL figures were not measured: no PostgreSQL server answered on 127.0.0.1:5432.');
  }
  for (const m of measured) notes.push(`${m.database}: ${m.facts.join('; ')}.`, ...m.notes);
  notes.push(
    `Each database: \`joinedup synth\` (Bury, 195,500 synthetic residents with risk scores), then ` +
      `\`joinedup cases demo --per-team ${PER_TEAM}\` (an accepted referral, a case, a plan with 1–2 goals, ` +
      '2–4 actions and version 1 of each, for the chosen residents of each INT), then the INT lead for East ' +
      '(`bench-lead`, added with `joinedup staff add --agency bury-community-health --practitioner ' +
      'int-east-int-lead`; demo accounts off) signs in, and every request carries the session cookie: ' +
      'session lookup, the matrix, the case relationship and consent rule in the query, and an audit event. ' +
      `Caseload: \`GET …/teams/${TEAM}/caseload?page=N&pageSize=${PAGE_SIZE}\`, pages 1–${PAGES} in turn ` +
      `(reviews due first). Case page (its plan, actions, reviews and consent): \`GET …/cases/:id\` cycling ` +
      `over ${CASES} of East's cases. MDT agenda: a meeting scheduled ${MEETING_IN_DAYS} days ahead with ` +
      '`POST …/teams/:teamId/mdt-meetings`, its agenda built with `POST …/mdt-meetings/:id/agenda`, then ' +
      '`GET …/mdt-meetings/:id` (agenda items with each person, attendance). ' +
      `${USERS} connections, each cycling through its requests; a 2 s warm-up, then 8 s with every response ` +
      'timed (a request still waiting at the end counts as at least its wait, marked ≥). The floor ' +
      '(`bench/floor-server.ts`, a bare Fastify route) answers each route with PGlite’s first answer.',
  );
  return { tables: [table(measured, floor)], notes };
}

/** Prepares one database (synthetic Bury, demo cases, the bench lead), then measures its server. */
async function measureDatabase(
  database: string,
  target: number,
  env: NodeJS.ProcessEnv,
  config: { databaseUrl: string | null; dataDir: string },
): Promise<Measured> {
  await runCli(['synth'], env);
  const seeding = performance.now();
  await runCli(['cases', 'demo', '--per-team', String(PER_TEAM)], env);
  const seeded = (performance.now() - seeding) / 1000;
  const open = await openCases(config);
  const lead = await addBenchLead(env);
  const measured = await measureServer(database, target, env, lead);
  measured.facts.unshift(
    `${n(open)} open cases after \`joinedup cases demo --per-team ${PER_TEAM}\`, which took ` +
      `${seeded.toFixed(1)} s (the command's start included)`,
  );
  return measured;
}

/** Open cases in the database, read while no server holds it (PGlite's folder is one process's at a time). */
async function openCases(config: { databaseUrl: string | null; dataDir: string }): Promise<number> {
  const db = await createDb(config);
  try {
    const row = await db.kysely
      .selectFrom('care_case')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await db.close();
  }
}

async function call(base: string, r: LoadRequest): Promise<Answer> {
  const res = await fetch(base + r.path, {
    method: r.method,
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.body === undefined ? {} : { body: r.body }),
  });
  const answer = { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  if (answer.status < 200 || answer.status > 299)
    throw new Error(`${r.method} ${r.path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  return answer;
}

const get = (path: string, session: Session): LoadRequest => ({ method: 'GET', path, headers: session.read });
const post = (path: string, session: Session, body: unknown): LoadRequest => ({
  method: 'POST',
  path,
  headers: { ...session.write, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function measureServer(
  database: string,
  target: number,
  env: NodeJS.ProcessEnv,
  lead: Account,
): Promise<Measured> {
  return withServer(['bin/joinedup.js', 'serve'], env, '/health', async (base) => {
    const session = await signIn(base, lead);
    const facts: string[] = [];
    const notes: string[] = [];
    const caseloadPath = (page: number) => `${API}/teams/${TEAM}/caseload?page=${page}&pageSize=${PAGE_SIZE}`;
    const caseload = Array.from({ length: PAGES }, (_, i) => get(caseloadPath(i + 1), session));
    const caseIds: string[] = [];
    let total = 0;
    for (const r of caseload) {
      const page = JSON.parse((await call(base, r)).body) as { total: number; cases: { id: string }[] };
      total = page.total;
      caseIds.push(...page.cases.map((c) => c.id));
    }
    facts.push(`East's caseload as its lead sees it: ${n(total)} open cases`);
    const scenarios: Scenario[] = [
      {
        label: `caseload page (pages 1–${PAGES} of ${PAGE_SIZE})`,
        route: `${API}/teams/${TEAM}/caseload`,
        requests: caseload,
      },
      {
        label: `case page with its plan (${Math.min(CASES, caseIds.length)} cases)`,
        route: `${API}/cases/:caseId`,
        requests: caseIds.slice(0, CASES).map((id) => get(`${API}/cases/${id}`, session)),
      },
    ];
    try {
      const startsAt = new Date(Date.now() + MEETING_IN_DAYS * 86_400_000).toISOString();
      const scheduled = await call(
        base,
        post(`${API}/teams/${TEAM}/mdt-meetings`, session, {
          startsAt,
          location: 'Bury Town Hall, committee room 2',
        }),
      );
      const meetingId = (JSON.parse(scheduled.body) as { id: string }).id;
      const built = JSON.parse(
        (await call(base, post(`${API}/mdt-meetings/${meetingId}/agenda`, session, {}))).body,
      ) as {
        added: number;
      };
      const meeting = get(`${API}/mdt-meetings/${meetingId}`, session);
      const shown = JSON.parse((await call(base, meeting)).body) as { items: unknown[]; hiddenItems: number };
      facts.push(
        `the MDT agenda built ${MEETING_IN_DAYS} days ahead holds ${n(built.added)} people ` +
          `(${n(shown.items.length)} shown to the lead, ${n(shown.hiddenItems)} hidden)`,
      );
      scenarios.push({
        label: 'MDT meeting with its agenda',
        route: `${API}/mdt-meetings/:meetingId`,
        requests: [meeting],
      });
    } catch (e) {
      notes.push(`${database}: the MDT agenda was not measured: ${(e as Error).message}`);
    }
    // Every request once, so that none is timed cold.
    for (const s of scenarios) for (const r of s.requests) await call(base, r);
    const answers: Answer[] = [];
    for (const s of scenarios) answers.push(await call(base, s.requests[0] as LoadRequest));
    const results: CycleResult[] = [];
    for (const s of scenarios)
      results.push(await loadRequests(base, s.requests, USERS, await settler(base, s)));
    return { database, target, scenarios, results, answers, facts, notes };
  });
}

/**
 * After a window, waits until the scenario's first request answers about as fast as on an idle server: a
 * closed window leaves requests half-answered in the server, which would otherwise be timed in the next.
 */
async function settler(base: string, s: Scenario): Promise<() => Promise<void>> {
  const probe = async () => {
    const began = performance.now();
    await call(base, s.requests[0] as LoadRequest);
    return performance.now() - began;
  };
  let idle = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) idle = Math.min(idle, await probe());
  return async () => {
    for (let i = 0; i < 100 && (await probe()) > 2 * idle + 20; i++);
  };
}

const n = (v: number) => (Number.isNaN(v) ? '—' : Math.round(v).toLocaleString('en-GB'));
const pct = (p: Percentile) => (p.atLeast ? `≥ ${ms(p.ms)}` : ms(p.ms));

function verdict(r: CycleResult, target: number): string {
  if (r.errors > 0) return 'FAIL (errors)';
  if (Number.isNaN(r.p95.ms)) return 'not judged (no answers)';
  if (r.p95.ms > target) return `FAIL (${r.p95.atLeast ? '≥ ' : ''}+${ms(r.p95.ms - target)})`;
  if (r.p95.atLeast) return 'not judged (too few answers)';
  return 'pass';
}

function table(measured: Measured[], floor: CycleResult[]): BenchTable {
  const rows: string[][] = [];
  const labels = (measured[0] as Measured).scenarios.map((s) => s.label);
  for (const [i, label] of labels.entries()) {
    const f = floor[i] as CycleResult;
    for (const m of measured) {
      const r = m.results[i];
      if (!r) continue;
      rows.push([
        label,
        m.database,
        pct(r.p50),
        pct(r.p95),
        ms(f.p95.ms),
        `${r.p95.atLeast ? '≥ ' : ''}${ratio(r.p95.ms / f.p95.ms)}`,
        `${n(r.count)} (${r.perSecond.toFixed(0)}/s)`,
        String(r.errors),
        `p95 ≤ ${m.target} ms`,
        verdict(r, m.target),
      ]);
    }
    rows.push([
      label,
      'floor (bare Fastify)',
      pct(f.p50),
      pct(f.p95),
      ms(f.p95.ms),
      '1.00×',
      `${n(f.count)} (${f.perSecond.toFixed(0)}/s)`,
      String(f.errors),
      '—',
      '—',
    ]);
  }
  return {
    title:
      `Case management at ${USERS} concurrent users: caseload, case page and MDT agenda, seeded with ` +
      `${n(5 * PER_TEAM)} open cases (Bury, 195,500 synthetic residents; 2 s warm-up, then 8 s, every response timed)`,
    columns: [
      'Endpoint',
      'Database',
      'p50',
      'p95',
      'Floor p95',
      'p95 ÷ floor',
      'Answered in 8 s',
      'Errors',
      'Target',
      'Result',
    ],
    rows,
  };
}
