// The audit trail's SQL. Rows are only ever inserted; the database's trigger numbers and chains them
// (migration 2026-12-03T1400-access) and refuses any change. verifyAuditChain recomputes every hash.
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { isUuid } from '../core/uuid.ts';
import { exclusiveDatabases } from '../db/create-db.ts';
import type { AuditAction, Database } from '../db/database.ts';
import { executePrepared } from '../db/prepared.ts';
import { databaseUnreachable, refusedAs, sqlStateOf } from '../db/sql-state.ts';

type Db = Kysely<Database>;

export interface AuditEvent {
  requestId: string;
  actorId: string | null;
  actorName: string;
  role: string | null;
  teamId: string | null;
  action: AuditAction;
  route: string;
  personIds: readonly string[];
  purpose: string;
  relationship: string | null;
  outcome: 'allowed' | 'denied' | 'failed';
  detail?: string;
}

export async function writeAuditEvent(db: Db, e: AuditEvent): Promise<void> {
  await writeAuditEvents(db, [e]);
}

/**
 * Person ids as an array's text, '{id,id}', each checked to be a UUID first; refused with the error
 * code PostgreSQL gives text that is not a UUID.
 */
const uuidArray = (ids: readonly string[]) => {
  for (const id of ids) if (!isUuid(id)) throw refusedAs('22P02', `not a person id: ${id}`);
  return `{${ids.join(',')}}`;
};

/**
 * Whether a failed write was refused for what an event holds (PostgreSQL's error classes 22, data
 * exception, and 23, integrity constraint violation), rather than because the database could not be
 * written (unreachable, full, read-only, shutting down), when no event can be written.
 */
const refusedForItsContent = (error: unknown) => /^2[23]/.test(sqlStateOf(error) ?? '');

/**
 * Each column an event writes, the type it has, and its value. The values travel as text, one array a
 * column; person ids as an array's text, '{id,id}' (an array of arrays cannot be unnested to arrays).
 */
const COLUMNS: readonly [string, 'text' | 'uuid' | 'uuid[]', (e: AuditEvent) => string | null][] = [
  ['request_id', 'text', (e) => e.requestId],
  ['actor_id', 'uuid', (e) => e.actorId],
  ['actor_name', 'text', (e) => e.actorName],
  ['role', 'text', (e) => e.role],
  ['team_id', 'text', (e) => e.teamId],
  ['action', 'text', (e) => e.action],
  ['route', 'text', (e) => e.route],
  ['person_ids', 'uuid[]', (e) => uuidArray(e.personIds)],
  ['purpose', 'text', (e) => e.purpose],
  ['relationship', 'text', (e) => e.relationship],
  ['outcome', 'text', (e) => e.outcome],
  ['detail', 'text', (e) => e.detail ?? ''],
];
const COLUMN_NAMES = sql.join(COLUMNS.map(([name]) => sql.id(name)));

/** The insert of events, the same text whatever their number: each column an array, unnested in order. */
const INSERT_EVENTS = (db: Db) =>
  sql`
    insert into audit_event (${COLUMN_NAMES})
    select ${sql.join(COLUMNS.map(([name, type]) => sql`${sql.id(name)}::${sql.raw(type)}`))}
    from unnest(${sql.join(COLUMNS.map(() => sql`${[]}::text[]`))}) with ordinality as e(${COLUMN_NAMES}, n)
    order by n`.compile(db).sql;
/** Made once: both databases compile it to the same text. */
let insertEvents: string | undefined;

/**
 * Events in one statement: numbered and chained in the order given. Every request writes one, so the
 * statement's text is made once (building it took a tenth of an event's time in this process) and is
 * prepared once a connection (planned on every request, it took a tenth to a fifth longer).
 */
export async function writeAuditEvents(db: Db, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  insertEvents ??= INSERT_EVENTS(db);
  await executePrepared(
    db,
    CompiledQuery.raw(
      insertEvents,
      COLUMNS.map(([, , value]) => events.map(value)),
    ),
  );
}

/** The most events one statement writes. */
const BATCH = 500;

/**
 * While other requests are being answered, a write first waits up to this long for their events, so that
 * one statement and one commit serve several requests (PostgreSQL's own commit_delay and commit_siblings
 * do the same for commits). On PostgreSQL a statement of one event cost about 430 µs of processor time
 * (280 in the server, 150 here), one of four events about 150 µs an event. A request answered while no
 * other is in flight is not kept waiting, and the wait ends early once every request in flight has
 * brought its event.
 */
const GATHER_MS = 4;

/**
 * The wait when none is configured. The embedded database has one engine, on which every request's
 * queries take their turn, so a timed wait only delays each answer there, and it is off. Its requests
 * are gathered by the turn of the event loop each write takes first (see #drain).
 */
const defaultGatherMs = (db: Db) => (exclusiveDatabases.has(db) ? 0 : GATHER_MS);

/** How long after the latest failed write the health check still reports it. */
const FAILURE_SHOWN_MS = 60_000;

export interface AuditWriterOptions {
  /** How many other requests are being answered now: their events are likely to follow soon. */
  othersInFlight?: () => number;
  /** The longest wait (defaultGatherMs unless given; 0 writes each event at once). */
  gatherMs?: number | null;
}

interface Pending {
  event: AuditEvent;
  done: (error?: unknown) => void;
}

/**
 * Writes the audit events of concurrent requests together (group commit). The chain's head is one
 * row, so writers take turns on it; each turn held for one event and its commit would cap a busy
 * server at one commit's time per request. Instead an event waits for the write in progress, and, while
 * other requests are in flight, a few milliseconds for theirs, then goes with every event that arrived
 * meanwhile, in one statement. Each request still waits for its own event to be committed before its
 * answer leaves. When a statement of several events is refused for what one of them holds, each is
 * written again on its own, so that only the faulty event's request fails; when the database cannot be
 * written, every request in the statement fails at once.
 */
export class AuditWriter {
  readonly #db: Db;
  readonly #othersInFlight: () => number;
  readonly #gatherMs: number;
  #pending: Pending[] = [];
  #writing = false;
  /** The first and the latest failure since an event was last written. */
  #failing: { since: Date; last: number } | null = null;
  /** Ends the wait for other requests' events, while there is one. */
  #gathered: (() => void) | null = null;

  constructor(db: Db, options: AuditWriterOptions = {}) {
    this.#db = db;
    this.#othersInFlight = options.othersInFlight ?? (() => 0);
    this.#gatherMs = options.gatherMs ?? defaultGatherMs(db);
  }

  /**
   * Since when events could not be written to a database that answers (full, read-only), while the
   * latest such failure is under a minute old and none has been written since: what the health check
   * reports. Errors of a database gone are left to its own check, and an event refused for what it holds
   * says nothing of the database. The minute lets a server whose health check took it out of service
   * come back and try again.
   */
  failingSince(now = Date.now()): Date | null {
    const failing = this.#failing;
    return failing && now - failing.last < FAILURE_SHOWN_MS ? failing.since : null;
  }

  write(event: AuditEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ event, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.#othersInFlight() === 0) this.othersSettled();
      if (!this.#writing) void this.#drain();
    });
  }

  /** No other request is in flight any more: a write waiting for their events goes now. */
  othersSettled(): void {
    this.#gathered?.();
  }

  /** Waits until no other request is in flight, or for gatherMs, whichever comes first. */
  #gather(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#gathered = null;
        resolve();
      };
      // Unreferenced: a wait never keeps the process alive.
      const timer = setTimeout(done, this.#gatherMs).unref();
      this.#gathered = done;
    });
  }

  async #writeAlone(b: Pending): Promise<void> {
    try {
      await writeAuditEvents(this.#db, [b.event]);
      this.#failing = null;
      b.done();
    } catch (error) {
      this.#failed(error);
      b.done(error ?? new Error('the audit write failed'));
    }
  }

  #failed(error: unknown): void {
    if (refusedForItsContent(error) || databaseUnreachable(error)) return;
    this.#failing = { since: this.#failing?.since ?? new Date(), last: Date.now() };
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#pending.length > 0) {
        // One turn of the event loop first, so that requests already sent but not yet read are read, and
        // those that bring their events join this write. The embedded database answers a query without
        // returning to the event loop, so a request runs from its start to this write without letting
        // another in: without the turn, 20 users at once wrote one event a statement; with it, about 7,
        // and the server answered a sixth more requests in the same time.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.#gatherMs > 0 && this.#othersInFlight() > 0) await this.#gather();
        const batch = this.#pending.splice(0, BATCH);
        try {
          await writeAuditEvents(
            this.#db,
            batch.map((b) => b.event),
          );
          this.#failing = null;
          for (const b of batch) b.done();
        } catch (error) {
          this.#failed(error);
          // One event's fault must not fail the others' requests: each is tried again on its own, in order.
          if (batch.length > 1 && refusedForItsContent(error))
            for (const b of batch) await this.#writeAlone(b);
          else for (const b of batch) b.done(error ?? new Error('the audit write failed'));
        }
      }
    } finally {
      this.#writing = false;
    }
  }
}

export interface ChainReport {
  events: number;
  /** The first events whose hash, link or place in the sequence is wrong, with what is wrong. */
  problems: { seq: number; problem: string }[];
}

/** Recomputes every event's hash and link in one pass inside the database. */
export async function verifyAuditChain(db: Db, limit = 20): Promise<ChainReport> {
  const { rows } = await sql<{ seq: number; problem: string }>`
    with chain as (
      select e.seq, e.hash, e.prev_hash,
             encode(sha256(convert_to(audit_event_text(e), 'UTF8')), 'hex') as computed,
             lag(e.hash) over (order by e.seq) as previous,
             lag(e.seq) over (order by e.seq) as previous_seq
      from audit_event e
    )
    select seq, problem from (
      select seq, 'its content does not match its hash: it was changed' as problem from chain where computed <> hash
      union all
      select seq, 'it does not link to the event before it' from chain
        where prev_hash <> coalesce(previous, repeat('0', 64))
      union all
      select seq, 'events before it are missing' from chain where seq <> coalesce(previous_seq, 0) + 1
      union all
      select h.seq, 'the newest event is missing: the chain ends early'
        from audit_head h
        where h.seq <> coalesce((select max(seq) from audit_event), 0)
           or h.hash <> coalesce((select hash from audit_event order by seq desc limit 1), repeat('0', 64))
    ) p order by seq limit ${limit}`.execute(db);
  const { count } = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return { events: count, problems: rows };
}
