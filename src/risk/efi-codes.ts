import { csvRows } from './csv-rows.ts';

/** The deficit slug used for the one deficit that is counted from medicines, not codes. */
export const POLYPHARMACY = 'polypharmacy';

export type EfiDeficit = { readonly number: number; readonly slug: string; readonly label: string };

/** The eFI SNOMED CT code list, built once from the reference files and passed to `scoreEfi`. */
export type EfiCodeList = {
  /** All 36 deficits in Clegg's order; `slug` is the gm-sde code-set name without `efi-`. */
  readonly deficits: readonly EfiDeficit[];
  /** SNOMED CT concept id → the deficits it counts towards (errata dropped, no duplicates). */
  readonly deficitsByCode: ReadonlyMap<string, readonly string[]>;
  /** How many (code, deficit) pairs the errata removed. */
  readonly droppedByErrata: number;
};

export type EfiCodeListFiles = {
  /** Text of `reference/frailty/efi/efi_codes_gm_sde.csv`. */
  readonly codesCsv: string;
  /** Text of `reference/frailty/efi/efi_codes_errata.csv`. */
  readonly errataCsv: string;
  /** Text of `reference/frailty/efi/efi_deficits.csv`. */
  readonly deficitsCsv: string;
};

function slugOf(codeset: string): string {
  return codeset.startsWith('efi-') ? codeset.slice('efi-'.length) : POLYPHARMACY;
}

/**
 * Builds the SNOMED CT → deficit map. Pure: takes the files' text, never reads the file system.
 * Throws if an erratum names a pair that is not in the list (a typo would silently do nothing).
 */
export function loadEfiCodeList(files: EfiCodeListFiles): EfiCodeList {
  const deficits = csvRows(files.deficitsCsv).map((r) => ({
    number: Number(r.deficit_number),
    slug: slugOf(r.gm_sde_codeset ?? ''),
    label: r.deficit_label ?? '',
  }));
  const known = new Set(deficits.map((d) => d.slug));
  const errata = new Set(
    csvRows(files.errataCsv)
      .filter((r) => r.coding_system === 'snomed')
      .map((r) => `${r.code}|${r.deficit_to_drop}`),
  );
  const pairs = new Set<string>();
  const found = new Set<string>();
  for (const r of csvRows(files.codesCsv)) {
    if (r.coding_system !== 'snomed' || !r.code || !r.deficit) continue;
    if (!known.has(r.deficit)) throw new Error(`eFI code list: unknown deficit '${r.deficit}'`);
    const pair = `${r.code}|${r.deficit}`;
    if (errata.has(pair)) found.add(pair);
    else pairs.add(pair);
  }
  const missing = [...errata].filter((p) => !found.has(p));
  if (missing.length > 0) throw new Error(`eFI errata not in the code list: ${missing.join(', ')}`);
  const deficitsByCode = new Map<string, string[]>();
  for (const pair of pairs) {
    const [code = '', deficit = ''] = pair.split('|');
    const list = deficitsByCode.get(code) ?? [];
    list.push(deficit);
    deficitsByCode.set(code, list);
  }
  return { deficits, deficitsByCode, droppedByErrata: found.size };
}
