import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { CONDITIONS } from './catalogue.ts';
import { MEDICINES_FOR } from './medicines.ts';

type Row = Record<string, string>;
const read = (file: string): Row[] => parse(readFileSync(file), { columns: true, skip_empty_lines: true });

test('every eFI deficit condition is coded with a SNOMED CT code of that deficit in the eFI list, after the errata', () => {
  const dropped = new Set(
    read('reference/frailty/efi/efi_codes_errata.csv').map((r) => `${r.code}|${r.deficit_to_drop}`),
  );
  const efi = new Set(
    read('reference/frailty/efi/efi_codes_gm_sde.csv')
      .filter((r) => r.coding_system === 'snomed')
      .map((r) => `${r.code}|${r.deficit}`)
      .filter((key) => !dropped.has(key)),
  );
  for (const c of CONDITIONS)
    for (const deficit of c.efiDeficits)
      assert.ok(efi.has(`${c.snomed}|${deficit}`), `${c.id}: ${c.snomed} is not in ${deficit}`);
});

test('together the conditions cover all 35 coded eFI deficits (polypharmacy comes from medicines)', () => {
  const slugs = new Set(
    read('reference/frailty/efi/efi_deficits.csv').map((r) => (r.gm_sde_codeset ?? '').replace(/^efi-/, '')),
  );
  const covered = new Set(CONDITIONS.flatMap((c) => c.efiDeficits));
  const missing = [...slugs].filter((s) => !s.startsWith('(') && !covered.has(s));
  assert.deepEqual(missing, []);
});

test('every main QOF register has a condition, and every condition with medicines exists', () => {
  const registers = new Set(CONDITIONS.map((c) => c.qofRegister).filter(Boolean));
  for (const r of [
    'HYP',
    'DM',
    'CHD',
    'STIA',
    'AF',
    'HF',
    'COPD',
    'AST',
    'CKD',
    'CAN',
    'DEM',
    'DEP',
    'MH',
    'OST',
    'LD',
    'EP',
  ])
    assert.ok(registers.has(r), r);
  const ids = new Set(CONDITIONS.map((c) => c.id));
  for (const id of Object.keys(MEDICINES_FOR)) assert.ok(ids.has(id), id);
});
