// `joinedup synth` as a use case: check the options, generate the place's population, load it into the
// database (replacing the previous synthetic people in one swap), stratify them and, when asked, write the same data
// as FHIR R4 NDJSON. Bad options are refused before anything is written.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/create-db.ts';
import { checkWritable, NdjsonFileSet } from '../exchange/ndjson-files.ts';
import { readValidPlacePack } from '../place/load-place-pack.ts';
import { findPlace, replacePlace } from '../place/place.store.ts';
import { runStratify, type StratifyOutcome } from '../risk/run-stratify.ts';
import { personResources, practiceResource } from './fhir.ts';
import {
  checkOptions,
  type Generation,
  generatePeople,
  prepareGeneration,
  type SynthOptions,
  SynthOptionsError,
} from './generate.ts';
import { readSynthInputs } from './inputs.ts';
import { type LoadProgress, type LoadResult, loadSyntheticPopulation } from './load-population.ts';
import { DEFAULT_SYNTH } from './synth-defaults.ts';

const STEP: Record<LoadProgress['phase'], string> = {
  writing: 'Generating people',
  swapping: 'Swapping in the new population',
  done: 'Loaded the new population',
};

export interface SynthRequest {
  place: string;
  placePacksDir: string;
  referenceDir: string;
  people?: number;
  seed?: number;
  start?: string;
  end?: string;
  fhirOut?: string;
}

const FHIR_TYPES = [
  'Patient',
  'Condition',
  'MedicationStatement',
  'Encounter',
  'EpisodeOfCare',
  'Organization',
] as const;

function invalid(message: string, field: string): AppError {
  return new AppError('invalid', message, [{ diagnostics: message, expression: [field] }]);
}

/** Checks everything that can be checked before generating; throws an AppError naming the option. */
export function checkSynthRequest(request: SynthRequest): { packDir: string; options: SynthOptions } {
  const packDir = path.join(request.placePacksDir, request.place);
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(request.place) || !existsSync(path.join(packDir, 'pack.json')))
    throw invalid(`There is no place pack "${request.place}" in ${request.placePacksDir}.`, 'place');
  if (!existsSync(path.join(packDir, 'population')))
    throw invalid(`The place pack "${request.place}" has no population figures to generate from.`, 'place');
  const residents = readValidPlacePack(packDir).pack.population.residents;
  const options: SynthOptions = {
    seed: request.seed ?? DEFAULT_SYNTH.seed,
    people: request.people ?? residents,
    start: request.start ?? DEFAULT_SYNTH.start,
    end: request.end ?? DEFAULT_SYNTH.end,
  };
  try {
    checkOptions(options);
  } catch (e) {
    if (e instanceof SynthOptionsError) {
      const field = e.message.startsWith('--people')
        ? 'people'
        : e.message.startsWith('--seed')
          ? 'seed'
          : 'window';
      throw invalid(e.message, field);
    }
    throw e;
  }
  if (request.fhirOut !== undefined) checkWritable(request.fhirOut, 'fhirOut');
  return { packDir, options };
}

export interface SynthOutcome {
  generation: Generation;
  load: LoadResult;
  stratification: StratifyOutcome;
  fhirFiles: string[];
}

export async function runSynth(
  db: Db,
  request: SynthRequest,
  onProgress: (p: LoadProgress & { step: string }) => void = () => {},
  signal?: AbortSignal,
): Promise<SynthOutcome> {
  const { packDir, options } = checkSynthRequest(request);
  onProgress({
    step: 'Calibrating to the published figures',
    done: 0,
    total: options.people,
    phase: 'writing',
  });
  const generation = prepareGeneration(readSynthInputs(packDir, request.referenceDir), options);
  if (!(await findPlace(db.kysely, request.place))) {
    const { pack, hash } = readValidPlacePack(packDir);
    await replacePlace(db.kysely, pack, hash);
  }
  const load = await loadSyntheticPopulation(
    db,
    generation,
    (p) => onProgress({ ...p, step: STEP[p.phase] }),
    { signal },
  );
  onProgress({ step: 'Computing risk scores', done: options.people, total: options.people, phase: 'done' });
  const stratification = await runStratify(db, { place: request.place, referenceDir: request.referenceDir });
  const fhirFiles = request.fhirOut === undefined ? [] : writeFhir(generation, packDir, request.fhirOut);
  return { generation, load, stratification, fhirFiles };
}

/**
 * Writes FHIR R4 NDJSON, one file per resource type, streaming person by person. Files are written
 * under temporary names and renamed when complete, so a reader never sees half a file.
 */
export function writeFhir(g: Generation, packDir: string, dir: string): string[] {
  checkWritable(dir, 'fhirOut');
  const files = new NdjsonFileSet(dir, FHIR_TYPES);
  try {
    const { pack } = readValidPlacePack(packDir);
    for (const practice of pack.practices) files.add(practiceResource(practice));
    for (const person of generatePeople(g))
      for (const resource of personResources(person)) files.add(resource);
  } catch (e) {
    files.abandon();
    throw e;
  }
  return files.finish().map((f) => f.file);
}
