// Loading a place pack: read the files a manifest names (IO at the edge), validate them (pure), and
// replace the place in the database in one transaction. A bad pack changes nothing.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { AppError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import { replacePlace } from './place.store.ts';
import {
  MANIFEST_FILE,
  manifestFiles,
  type PackProblem,
  type PlacePack,
  parsePlacePack,
} from './place-pack.ts';

export interface ReadPack {
  manifestText: string | undefined;
  files: Record<string, string>;
  hash: string;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads a pack folder: its manifest and every file the manifest names, none outside the folder. */
export function readPlacePackDir(dir: string): ReadPack {
  const root = path.resolve(dir);
  const manifestText = readText(path.join(root, MANIFEST_FILE));
  const hash = createHash('sha256');
  const files: Record<string, string> = {};
  if (manifestText !== undefined) {
    hash.update(manifestText);
    for (const name of manifestFiles(manifestText)) {
      const file = path.resolve(root, name);
      if (!file.startsWith(root + path.sep)) continue; // reported as missing: a pack reads only its own files
      const text = readText(file);
      if (text !== undefined) {
        files[name] = text;
        hash.update(`\0${name}\0${text}`);
      }
    }
  }
  return { manifestText, files, hash: hash.digest('hex') };
}

export function problemsAsError(dir: string, problems: PackProblem[]): AppError {
  return new AppError(
    'invalid',
    `The place pack in ${dir} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was loaded.`,
    problems.map((p) => ({
      diagnostics: `${p.file}${p.row !== undefined ? `, line ${p.row}` : ''}${p.field ? `, field "${p.field}"` : ''}: ${p.message}`,
      expression: [[p.file, p.row, p.field].filter((x) => x !== undefined && x !== '').join(':')],
    })),
  );
}

/** Validates a pack folder and returns the pack, or throws an AppError listing every problem. */
export function readValidPlacePack(dir: string): { pack: PlacePack; hash: string } {
  const read = readPlacePackDir(dir);
  const result = parsePlacePack(read.manifestText, read.files);
  if (!result.ok) throw problemsAsError(dir, result.problems);
  return { pack: result.pack, hash: read.hash };
}

export async function loadPlacePack(db: Kysely<Database>, dir: string): Promise<PlacePack> {
  const { pack, hash } = readValidPlacePack(dir);
  await replacePlace(db, pack, hash);
  // Fresh planner statistics for the directory's search (autovacuum may be off or late; PGlite has none).
  await sql`analyze directory_service, directory_service_term, directory_service_at_location, directory_location`.execute(
    db,
  );
  return pack;
}
