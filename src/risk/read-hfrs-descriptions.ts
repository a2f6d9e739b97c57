import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type HfrsDescriptions, loadHfrsDescriptions } from './hfrs-descriptions.ts';

/** The product's own reference folder, wherever the process was started from. */
export const PRODUCT_REFERENCE_DIR = path.resolve(import.meta.dirname, '../../reference');

/** Reads the HFRS diagnosis descriptions from a reference folder (the product's own by default). */
export function readHfrsDescriptions(referenceDir: string = PRODUCT_REFERENCE_DIR): HfrsDescriptions {
  return loadHfrsDescriptions(
    readFileSync(path.join(referenceDir, 'frailty/hfrs/hfrs_icd10_weights.csv'), 'utf8'),
  );
}
