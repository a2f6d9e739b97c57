// `joinedup profiles`: recompute a stratified place's placemats, map layers and indicator series (they
// are also refreshed after every `joinedup stratify`).
import type { Config } from '../core/config.ts';
import { type RefreshOutcome, refreshProfiles } from '../profiles/refresh-profiles.ts';
import { onShutdown, openDatabase } from './open-db.ts';

export function describeProfiles(p: RefreshOutcome): string {
  return (
    `Refreshed ${p.placemats} placemats, ${p.mapLayers} map layers and ${p.series} indicator series for ${p.place} ` +
    `as of ${p.referenceDate} in ${(p.milliseconds / 1000).toFixed(1)} s ` +
    `(${p.cellsSuppressed.toLocaleString('en-GB')} of ${p.cells.toLocaleString('en-GB')} published counts suppressed; ` +
    `${p.peopleOptedOut.toLocaleString('en-GB')} residents with an opt-out left out).`
  );
}

export async function profilesCommand(config: Config, options: { place?: string }): Promise<void> {
  const db = await openDatabase(config);
  onShutdown(() => db.close());
  try {
    console.log(describeProfiles(await refreshProfiles(db, options.place ?? config.place)));
  } finally {
    await db.close();
  }
}
