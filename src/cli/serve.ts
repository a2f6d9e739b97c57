// `joinedup serve` (and `npm start`): opens the database, answers at once, and on a first start loads
// the default place before the product opens.
import path from 'node:path';
import type { Config } from '../core/config.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import { findPlace } from '../place/place.store.ts';
import { buildApp } from '../server/app.ts';
import { newStartupState } from '../server/startup.ts';
import { onShutdown, openDatabase } from './open-db.ts';

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
    startup.phase = 'ready';
    startup.step = 'Ready';
    console.log(`Joined Up is ready at ${address} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    startup.phase = 'failed';
    startup.error = (e as Error).message;
    console.error(`Joined Up could not get ready: ${(e as Error).message}`);
  }
}
