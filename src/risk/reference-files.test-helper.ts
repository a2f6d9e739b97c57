import { readFileSync } from 'node:fs';

/** Reads a file under `reference/` (the real lists the product ships). For tests only. */
export function readReference(path: string): string {
  return readFileSync(new URL(`../../reference/${path}`, import.meta.url), 'utf8');
}
