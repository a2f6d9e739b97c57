// `joinedup serve` (and `npm start`). On a first start (no place, no synthetic population, or people
// not yet stratified) the
// server answers at once with a progress page while a worker thread prepares the database; then the
// product opens. Later starts open the database and serve straight away.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEMO_PASSWORD, ensureDemoSafeguarding, ensureDemoUsers } from '../access/demo-users.ts';
import type { Config } from '../core/config.ts';
import type { Db } from '../db/create-db.ts';
import { loadPlacePack, readValidPlacePack } from '../place/load-place-pack.ts';
import { findPlace, placeHash } from '../place/place.store.ts';
import { hasProfiles } from '../profiles/profile.store.ts';
import { refreshProfilesIfStratified } from '../profiles/refresh-profiles.ts';
import { stratificationRun } from '../risk/risk.store.ts';
import { buildApp } from '../server/app.ts';
import type { App } from '../server/app-types.ts';
import { newStartupState, type StartupState } from '../server/startup.ts';
import { countPeople, syntheticRun } from '../synth/synth.store.ts';
import type { FirstStartMessage } from './first-start.worker.ts';
import { onShutdown, openDatabase } from './open-db.ts';
import { progress } from './progress.ts';

async function needsPreparing(db: Db, config: Config): Promise<boolean> {
  if (!(await findPlace(db.kysely, config.place))) return true;
  if (config.synthOnFirstStart && !(await syntheticRun(db.kysely, config.place))) return true;
  return (
    !(await stratificationRun(db.kysely, config.place)) && (await countPeople(db.kysely, config.place)) > 0
  );
}

/**
 * Reloads the place pack when its files changed since it was loaded (a new release's pack, or a
 * partnership's edit): reference data only, in one short transaction; people and their records stay.
 */
async function refreshPlacePack(db: Db, config: Config): Promise<boolean> {
  const dir = path.join(config.placePacksDir, config.place);
  if (!existsSync(path.join(dir, 'pack.json'))) return false;
  const { hash } = readValidPlacePack(dir);
  if ((await placeHash(db.kysely, config.place)) === hash) return false;
  await loadPlacePack(db.kysely, dir);
  console.log(`Reloaded the ${config.place} place pack: its files have changed since it was loaded`);
  return true;
}

/**
 * Computes the profiles of a stratified place that has none (a database from before profiles
 * existed), or whose areas may have changed with a reloaded place pack.
 */
async function ensureProfiles(db: Db, config: Config, packReloaded: boolean): Promise<void> {
  if (!packReloaded && (await hasProfiles(db.kysely, config.place))) return;
  const outcome = await refreshProfilesIfStratified(db, config.place);
  if (!outcome) return;
  console.log(
    `Refreshed the ${config.place} profiles and outcomes framework in ${(outcome.milliseconds / 1000).toFixed(1)} s`,
  );
}

/** Runs the first-start preparation in a worker, reporting progress to the page and the terminal. */
function prepareInWorker(
  config: Config,
  startup: StartupState,
): { done: Promise<void>; stop: () => Promise<void> } {
  const worker = new Worker(new URL('./first-start.worker.ts', import.meta.url), {
    workerData: { ...config },
  });
  const bar = progress(process.stdout);
  console.log(`First start: preparing ${config.place} (this happens once)`);
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: FirstStartMessage) => {
      if (m.type === 'progress') {
        startup.step = m.step;
        startup.progress = m.total > 0 ? m.done / m.total : null;
        if (m.total > 0) bar.update(m.done, m.total, m.step);
      } else if (m.people !== null) {
        bar.finish(
          `Loaded ${m.people.toLocaleString('en-GB')} synthetic people in ${m.seconds.toFixed(1)} s`,
        );
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the preparation stopped (exit ${code})`)),
    );
  });
  return { done, stop: async () => void (await worker.terminate()) };
}

async function listen(app: App, config: Config): Promise<string> {
  await app.listen({ port: config.port, host: config.host });
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.port;
  return `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
}

export async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const startup = newStartupState();
  let db = await openDatabase(config);
  let current: { app: App; stopWorker?: () => Promise<void> } | null = null;
  onShutdown(async () => {
    await current?.stopWorker?.();
    await current?.app.close();
    await db.close();
  });

  let address: string;
  if (await needsPreparing(db, config)) {
    // The worker needs the database to itself (an embedded database has one writer).
    await db.close();
    const progressApp = await buildApp({ db: null, config, startup });
    const worker = prepareInWorker(config, startup);
    current = { app: progressApp, stopWorker: worker.stop };
    address = await listen(progressApp, config);
    console.log(`Joined Up is listening at ${address} (showing progress until it is ready)`);
    try {
      await worker.done;
    } catch (e) {
      startup.phase = 'failed';
      startup.error = (e as Error).message;
      console.error(`Joined Up could not get ready: ${(e as Error).message}`);
      return;
    }
    await progressApp.close();
    db = await openDatabase(config);
  }
  await ensureProfiles(db, config, await refreshPlacePack(db, config));
  if (config.demoUsers) {
    const added = await ensureDemoUsers(db.kysely, config.place);
    await ensureDemoSafeguarding(db.kysely, config.place);
    if (added > 0)
      console.log(`Added ${added} demo staff accounts (see the README); the password is "${DEMO_PASSWORD}"`);
  }
  startup.phase = 'ready';
  startup.step = 'Ready';
  startup.progress = 1;
  const app = await buildApp({ db, config, startup });
  current = { app };
  address = await listen(app, config);
  console.log(`Joined Up is ready at ${address} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
