import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCharlsonCodeList } from './charlson-codes.ts';
import type { RiskCodeLists } from './code-lists.ts';
import { loadEfiCodeList } from './efi-codes.ts';
import { loadEfiValueRules } from './efi-value-rules.ts';
import { loadHfrsWeights } from './hfrs-weights.ts';
import { loadLongTermConditions } from './long-term-conditions.ts';

/** Reads the models' code lists from the product's `reference/` folder. */
export function readRiskCodeLists(referenceDir: string): RiskCodeLists {
  const read = (name: string) => readFileSync(path.join(referenceDir, name), 'utf8');
  return {
    efi: loadEfiCodeList({
      codesCsv: read('frailty/efi/efi_codes_gm_sde.csv'),
      errataCsv: read('frailty/efi/efi_codes_errata.csv'),
      deficitsCsv: read('frailty/efi/efi_deficits.csv'),
    }),
    efiValueRules: loadEfiValueRules(read('frailty/efi/efi_value_rules.csv')),
    hfrs: loadHfrsWeights(read('frailty/hfrs/hfrs_icd10_weights.csv')),
    charlson: loadCharlsonCodeList(read('comorbidity/charlson_icd10_quan2005.csv')),
    longTermConditions: loadLongTermConditions(read('multimorbidity/long-term-conditions.csv')),
  };
}
