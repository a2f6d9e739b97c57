// Test support: the real app over a test database, ready (no first-start gate), with a stand-in built
// web app beside the API so that unknown paths behave as in production; signed-in clients, one staff
// account each, that send the session cookie and CSRF token with every request; and hand-built residents.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Insertable } from 'kysely';
import { hashPassword } from '../access/password.ts';
import type { OidcConfig } from '../core/config.ts';
import { addDays, todayInEngland } from '../core/dates.ts';
import type { Db } from '../db/create-db.ts';
import type { PersonTable, Role } from '../db/database.ts';
import { buildApp } from './app.ts';
import type { App } from './app-types.ts';
import { newStartupState } from './startup.ts';

export async function openTestApp(
  db: Db,
  options: {
    publicUrl?: string;
    oidc?: OidcConfig | null;
    auditGatherMs?: number;
    uploadsPerHour?: number;
    /** Where the app's log lines go (at level info); without it, nothing is logged. */
    logStream?: NodeJS.WritableStream;
  } = {},
): Promise<App> {
  const startup = newStartupState();
  startup.phase = 'ready';
  const webDir = mkdtempSync(path.join(tmpdir(), 'joinedup-web-'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Joined Up</title>');
  return buildApp({
    db,
    config: {
      logLevel: options.logStream ? 'info' : 'silent',
      place: 'bury',
      webDir,
      publicUrl: options.publicUrl ?? 'http://localhost',
      oidc: options.oidc ?? null,
      referenceDir: 'reference',
      auditGatherMs: options.auditGatherMs,
      uploadsPerHour: options.uploadsPerHour,
    },
    startup,
    logger: options.logStream ?? false,
  });
}

export const TEST_PASSWORD = 'correct horse battery staple';
let testHash: Promise<string> | undefined;

export interface StaffSpec {
  role: Role;
  /** An INT by id, e.g. 'int-east'. */
  teamId?: string | null;
  practiceCode?: string | null;
  /** The agency they work for, e.g. 'bury-adult-social-care' or a practice's ODS code. */
  agencyId?: string | null;
  /** Links this practitioner of the place (e.g. 'int-east-social-worker') to the account. */
  practitionerId?: string;
  username?: string;
  placeId?: string;
}

/** Adds a staff account with TEST_PASSWORD; returns its id and username. */
export async function addStaff(db: Db, spec: StaffSpec): Promise<{ id: string; username: string }> {
  testHash ??= hashPassword(TEST_PASSWORD);
  const id = randomUUID();
  const username = spec.username ?? `${spec.role}-${id.slice(0, 8)}`;
  await db.kysely
    .insertInto('staff_user')
    .values({
      id,
      place_id: spec.placeId ?? 'bury',
      username,
      display_name: `Test ${spec.role}`,
      role: spec.role,
      team_id: spec.teamId ?? null,
      practice_code: spec.practiceCode ?? null,
      agency_id: spec.agencyId ?? null,
      password_hash: await testHash,
    })
    .execute();
  if (spec.practitionerId) {
    const linked = await db.kysely
      .updateTable('practitioner')
      .set({ staff_user_id: id })
      .where('place_id', '=', spec.placeId ?? 'bury')
      .where('id', '=', spec.practitionerId)
      .executeTakeFirst();
    if (Number(linked.numUpdatedRows) !== 1)
      throw new Error(`no practitioner ${spec.practitionerId} to link`);
  }
  return { id, username };
}

/** A hand-built Bury resident (a woman born in 1940 unless told otherwise); answers their id. */
export async function addPerson(
  db: Db,
  values: Partial<Insertable<PersonTable>> & { lsoa_code: string },
): Promise<string> {
  const id = values.id ?? randomUUID();
  await db.kysely
    .insertInto('person')
    .values({
      place_id: 'bury',
      nhs_number: null,
      given_name: 'Test',
      family_name: 'Person',
      sex: 'female',
      date_of_birth: '1940-06-01',
      ethnic_category: 'A',
      practice_code: 'P00000',
      date_of_death: null,
      cause_of_death: null,
      source: 'test',
      synthetic_index: null,
      ...values,
      id,
    })
    .execute();
  return id;
}

export interface Client {
  staffId: string;
  username: string;
  headers: Record<string, string>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
}

/** Signs in through the API, as a browser would; throws if sign-in fails. */
export async function signIn(app: App, username: string, password = TEST_PASSWORD) {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name.endsWith('joinedup_session'));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return {
    cookie: `${cookie.name}=${cookie.value}`,
    'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken,
  };
}

/** A new staff account, signed in: its requests carry the session cookie and CSRF token. */
export async function staffClient(app: App, db: Db, spec: StaffSpec): Promise<Client> {
  const { id, username } = await addStaff(db, spec);
  const headers = await signIn(app, username);
  const inject = (options: InjectOptions) =>
    app.inject({ ...options, headers: { ...headers, ...(options.headers ?? {}) } });
  return { staffId: id, username, headers, inject, get: (url) => inject({ method: 'GET', url }) };
}

/** The date some days from today in England (negative for the past), as the API takes dates. */
export const inDays = (days: number) => addDays(todayInEngland(), days);
