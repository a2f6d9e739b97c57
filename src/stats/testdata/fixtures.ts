// Reads the published worked examples beside this file (see PROVENANCE.md). Test support only.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export type Row = Record<string, string>;

export function readCsv(name: string): Row[] {
  return parse(readFileSync(join(import.meta.dirname, name), 'utf8'), { columns: true }) as Row[];
}

export function readJson(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, name), 'utf8'));
}

/** A cell as a number; a blank cell (R's NA) as null. */
export function num(cell: string | undefined): number | null {
  return cell === undefined || cell.trim() === '' ? null : Number(cell);
}

export function field(row: Row, name: string): string {
  const value = row[name];
  if (value === undefined) throw new Error(`column ${name} missing`);
  return value;
}

/** Equal within a relative tolerance (absolute near zero); null only equals null. */
export function assertClose(
  actual: number | null,
  expected: number | null,
  rel: number,
  label: string,
): void {
  if (expected === null || actual === null) {
    assert.equal(actual, expected, label);
    return;
  }
  const tolerance = rel * Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${label}: got ${actual}, expected ${expected} (diff ${actual - expected})`,
  );
}
