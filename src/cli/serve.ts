// `joinedup serve` (and `npm start`): opens the database, answers at once, and on a first start loads
// the default place before the product opens.
import path from 'node:path';
import type { Config } from '../core/config.ts';
import type { Db } from '../db/create-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import { findPlace } from '../place/place.store.ts';
import { buildApp } from '../server/app.ts';
import { newStartupState, type StartupState } from '../server/startup.ts';
import { onShutdown, openDatabase } from './open-db.ts';
import { progress } from './progress.ts';

/** On a first start, a synthetic population for the place, so a newcomer lands on a populated product. */
async function ensureSyntheticPopulation(db: Db, config: Config, startup: StartupState): Promise<void> {
  const { syntheticRun } = await import('../synth/synth.store.ts');
  if (await syntheticRun(db.kysely, config.place)) return;
  const { runSynth } = await import('../synth/run-synth.ts');
  console.log(`First start: generating a synthetic population for ${config.place} (this happens once)`);
  const bar = progress(process.stdout);
  const outcome = await runSynth(
    db,
    {
      place: config.place,
      placePacksDir: config.placePacksDir,
      referenceDir: config.referenceDir,
      ...(config.synthPeople === null ? {} : { people: config.synthPeople }),
    },
    (p) => {
      startup.step = p.step;
      startup.progress = p.total > 0 ? p.done / p.total : null;
      bar.update(p.done, p.total, p.step);
    },
  );
  bar.finish(
    `Loaded ${outcome.load.rows.person.toLocaleString('en-GB')} synthetic people in ${outcome.load.seconds.toFixed(1)} s`,
  );
}

export async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const db = await openDatabase(config);
  const startup = newStartupState();
  const app = await buildApp({ db, config, startup });
  onShutdown(async () => {
    await app.close();
    await db.close();
  });
  await app.listen({ port: config.port, host: config.host });
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.port;
  const address = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  console.log(`Joined Up is listening at ${address}`);
  try {
    if (!(await findPlace(db.kysely, config.place))) {
      startup.step = `Loading the ${config.place} place pack`;
      console.log(`First start: loading the ${config.place} place pack into ${db.location}`);
      await loadPlacePack(db.kysely, path.join(config.placePacksDir, config.place));
    }
    if (config.synthOnFirstStart) await ensureSyntheticPopulation(db, config, startup);
    startup.phase = 'ready';
    startup.step = 'Ready';
    console.log(`Joined Up is ready at ${address} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    startup.phase = 'failed';
    startup.error = (e as Error).message;
    console.error(`Joined Up could not get ready: ${(e as Error).message}`);
  }
}
