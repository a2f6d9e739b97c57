// A folder of NDJSON files, one per FHIR resource type, as FHIR Bulk Data lays them out. Lines are
// buffered and written in large writes; each file is written under a `.partial` name and renamed when
// the set is complete, so a reader never sees half a file. Used by the synthetic population's FHIR
// output and by the export.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors.ts';

/** Makes the folder if needed and proves it can be written, before any work is done. */
export function checkWritable(dir: string, option: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.joinedup-write-check-${process.pid}`);
    closeSync(openSync(probe, 'w'));
    rmSync(probe);
  } catch (e) {
    const message = `Cannot write FHIR files to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`;
    throw new AppError('invalid', message, [{ diagnostics: message, expression: [option] }]);
  }
}

interface OpenFile {
  file: string;
  partial: string;
  fd: number;
  buffer: string[];
  count: number;
}

export class NdjsonFileSet {
  private readonly files = new Map<string, OpenFile>();
  private readonly dir: string;

  /** `types` are opened at once, in this order, so each has a file even when it stays empty. */
  constructor(dir: string, types: readonly string[] = []) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    for (const type of types) this.open(type);
  }

  private open(type: string): OpenFile {
    const file = path.join(this.dir, `${type}.ndjson`);
    const opened = {
      file,
      partial: `${file}.partial`,
      fd: openSync(`${file}.partial`, 'w'),
      buffer: [],
      count: 0,
    };
    this.files.set(type, opened);
    return opened;
  }

  add(resource: { resourceType: string }): void {
    const f = this.files.get(resource.resourceType) ?? this.open(resource.resourceType);
    f.buffer.push(`${JSON.stringify(resource)}\n`);
    f.count++;
    if (f.buffer.length >= 5000) this.write(f);
  }

  private write(f: OpenFile): void {
    if (f.buffer.length === 0) return;
    writeSync(f.fd, f.buffer.join(''));
    f.buffer = [];
  }

  /** Writes what is buffered, closes every file and gives them their names. */
  finish(): { type: string; file: string; count: number }[] {
    this.close();
    for (const f of this.files.values()) renameSync(f.partial, f.file);
    return [...this.files].map(([type, f]) => ({ type, file: f.file, count: f.count }));
  }

  /** Closes the files without naming them (after a failure); the `.partial` files are removed. */
  abandon(): void {
    this.close();
    for (const f of this.files.values()) rmSync(f.partial, { force: true });
  }

  private close(): void {
    for (const f of this.files.values()) {
      if (f.fd < 0) continue;
      this.write(f);
      closeSync(f.fd);
      f.fd = -1;
    }
  }
}
