// `joinedup stratify`: recompute every risk model for a place inside the database.
import type { Config } from '../core/config.ts';
import { runStratify, type StratifyOutcome } from '../risk/run-stratify.ts';
import { onShutdown, openDatabase } from './open-db.ts';
import { describeProfiles } from './profiles.ts';

export function describeStratification(s: StratifyOutcome): string {
  const skipped =
    s.skippedOutsidePlace > 0
      ? ` ${s.skippedOutsidePlace.toLocaleString('en-GB')} people were left out: their LSOA is not one of the place's.`
      : '';
  return `Stratified ${s.people.toLocaleString('en-GB')} residents of ${s.place} as of ${s.asOf} in ${s.seconds.toFixed(1)} s.${skipped}\n${describeProfiles(s.profiles)}`;
}

export async function stratifyCommand(
  config: Config,
  options: { place?: string; asOf?: string },
): Promise<void> {
  const db = await openDatabase(config);
  onShutdown(() => db.close());
  try {
    const outcome = await runStratify(db, {
      place: options.place ?? config.place,
      referenceDir: config.referenceDir,
      asOf: options.asOf,
    });
    console.log(describeStratification(outcome));
  } finally {
    await db.close();
  }
}
