// A first start's preparation, in a worker thread so that the server stays responsive (generation
// and the bulk load are long, busy work): load the place pack if the database lacks it, then generate
// the synthetic population, stratify it and open a demo caseload in each INT (or only stratify people
// loaded before risk scores existed). Progress and the outcome go back to the main thread as messages.
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { seedDemoCases } from '../cases/demo-cases.ts';
import { DEMO_CASES } from '../cases/demo-defaults.ts';
import type { Config } from '../core/config.ts';
import { todayInEngland } from '../core/dates.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import { findPlace } from '../place/place.store.ts';
import { stratificationRun } from '../risk/risk.store.ts';
import { runStratify } from '../risk/run-stratify.ts';
import { runSynth } from '../synth/run-synth.ts';
import { syntheticRun } from '../synth/synth.store.ts';
import { openDatabase } from './open-db.ts';

export type FirstStartMessage =
  | { type: 'progress'; step: string; done: number; total: number }
  | { type: 'done'; people: number | null; seconds: number };

const config = workerData as Config;
const post = (message: FirstStartMessage) => parentPort?.postMessage(message);

const db = await openDatabase(config);
try {
  if (!(await findPlace(db.kysely, config.place))) {
    post({ type: 'progress', step: `Loading the ${config.place} place pack`, done: 0, total: 0 });
    await loadPlacePack(db.kysely, path.join(config.placePacksDir, config.place));
  }
  let people: number | null = null;
  let seconds = 0;
  if (config.synthOnFirstStart && !(await syntheticRun(db.kysely, config.place))) {
    const outcome = await runSynth(
      db,
      {
        place: config.place,
        placePacksDir: config.placePacksDir,
        referenceDir: config.referenceDir,
        ...(config.synthPeople === null ? {} : { people: config.synthPeople }),
      },
      (p) => post({ type: 'progress', step: p.step, done: p.done, total: p.total }),
    );
    people = outcome.load.rows.person;
    seconds = outcome.load.seconds + outcome.stratification.seconds;
    // Synthetic people only: a caseload in each INT, so that case management has something to explore.
    post({ type: 'progress', step: 'Opening demo cases in each INT', done: 0, total: 0 });
    const started = performance.now();
    await seedDemoCases(db.kysely, config.place, { ...DEMO_CASES, today: todayInEngland() });
    seconds += (performance.now() - started) / 1000;
  } else if (!(await stratificationRun(db.kysely, config.place))) {
    post({ type: 'progress', step: 'Computing risk scores', done: 0, total: 0 });
    await runStratify(db, { place: config.place, referenceDir: config.referenceDir });
  }
  post({ type: 'done', people, seconds });
} finally {
  await db.close();
}
