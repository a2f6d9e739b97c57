// `joinedup synth` and `joinedup synth report`.
import type { Config } from '../core/config.ts';
import { AppError } from '../core/errors.ts';
import { calibrationReport, formatReport } from '../synth/calibration-report.ts';
import { readSynthInputs } from '../synth/inputs.ts';
import { checkSynthRequest, runSynth, type SynthRequest } from '../synth/run-synth.ts';
import { populationAggregates, syntheticRun } from '../synth/synth.store.ts';
import { onShutdown, openDatabase } from './open-db.ts';
import { progress } from './progress.ts';
import { describeStratification } from './stratify.ts';

export interface SynthCliOptions {
  place?: string;
  people?: string;
  seed?: string;
  start?: string;
  end?: string;
  fhirOut?: string;
}

function wholeNumber(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.replaceAll(',', '').replaceAll('_', '')))
    throw new AppError('invalid', `${option} must be a whole number, not "${value}"`, [
      {
        diagnostics: `${option} must be a whole number, not "${value}"`,
        expression: [option.replace(/^--/, '')],
      },
    ]);
  return Number(value.replaceAll(',', '').replaceAll('_', ''));
}

export async function synthCommand(config: Config, options: SynthCliOptions): Promise<void> {
  const request: SynthRequest = {
    place: options.place ?? config.place,
    placePacksDir: config.placePacksDir,
    referenceDir: config.referenceDir,
    people: wholeNumber(options.people, '--people'),
    seed: wholeNumber(options.seed, '--seed'),
    start: options.start,
    end: options.end,
    fhirOut: options.fhirOut,
  };
  checkSynthRequest(request); // refuse bad options before opening the database
  const db = await openDatabase(config);
  // Ctrl-C or SIGTERM stops generating and leaves the previous population; once the swap has begun it
  // is allowed to finish (it is one transaction), then the database is closed.
  const stop = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  onShutdown(async () => {
    stop.abort();
    await running.catch(() => {});
    await db.close();
  });
  try {
    const bar = progress();
    const work = runSynth(db, request, (p) => bar.update(p.done, p.total, p.step), stop.signal);
    running = work;
    const outcome = await work;
    const { rows, seconds } = outcome.load;
    bar.finish(
      `Generated and loaded ${rows.person.toLocaleString('en-GB')} people into ${db.location} in ${seconds.toFixed(1)} s: ` +
        `${rows.condition.toLocaleString('en-GB')} conditions, ${rows.medication.toLocaleString('en-GB')} repeat medicines, ` +
        `${rows.encounter.toLocaleString('en-GB')} hospital encounters, ${rows.social_care.toLocaleString('en-GB')} social care episodes.`,
    );
    console.log(describeStratification(outcome.stratification));
    for (const file of outcome.fhirFiles) console.log(`Wrote ${file}`);
  } finally {
    await db.close();
  }
}

export async function synthReportCommand(
  config: Config,
  options: { place?: string; json?: boolean },
): Promise<number> {
  const place = options.place ?? config.place;
  const db = await openDatabase(config);
  try {
    const run = await syntheticRun(db.kysely, place);
    if (!run)
      throw new AppError(
        'not-found',
        `There is no synthetic population for "${place}". Make one with: npx joinedup synth`,
      );
    const inputs = readSynthInputs(`${config.placePacksDir}/${place}`, config.referenceDir);
    const window = { start: run.window_start, end: run.window_end };
    const report = calibrationReport(
      inputs,
      await populationAggregates(db.kysely, place, window),
      window,
      run.people,
    );
    console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.allWithinTolerance ? 0 : 1;
  } finally {
    await db.close();
  }
}
