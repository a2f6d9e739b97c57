// The outcomes framework's catalogue: each indicator's name, numerator, denominator, periods, source,
// polarity and target (where one exists), read from catalogue.json and checked here. An indicator is a
// rate (numerator ÷ denominator × multiplier) or, when both parts name what they are a rate "per", a
// ratio of two rates (the inequality indicators). The measures are the monthly counts the profiles
// refresh computes for every LSOA (profile-counts.store.ts).
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Monthly counts an indicator can use, per LSOA. */
export const SERIES_MEASURES = [
  'ed',
  'em',
  'em65',
  'bed',
  'readmit',
  'carehome65',
  'em-core20',
  'em-rest',
] as const;
/** Monthly populations an indicator can be a rate of. */
export const SERIES_POPULATIONS = ['pop', 'pop65', 'pop-core20', 'pop-rest'] as const;

const part = z.object({
  measure: z.enum([...SERIES_MEASURES, ...SERIES_POPULATIONS]),
  label: z.string().min(1),
  per: z.enum(SERIES_POPULATIONS).optional(),
});

export const indicatorSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    outcome: z.string().min(1),
    numerator: part,
    denominator: part,
    multiplier: z.number().positive(),
    unit: z.string().min(1),
    periods: z.array(z.enum(['month', 'quarter'])).min(1),
    source: z.string().min(1),
    polarity: z.enum(['higher-is-better', 'lower-is-better', 'neither']),
    target: z.number().nullable(),
  })
  .superRefine((i, ctx) => {
    const isRatio = i.numerator.per !== undefined || i.denominator.per !== undefined;
    if (isRatio && (i.numerator.per === undefined || i.denominator.per === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['denominator', 'per'],
        message: 'a ratio of rates needs "per" on both parts',
      });
    if (!(SERIES_MEASURES as readonly string[]).includes(i.numerator.measure))
      ctx.addIssue({
        code: 'custom',
        path: ['numerator', 'measure'],
        message: 'the numerator must be a count of events',
      });
  });

export type Indicator = z.infer<typeof indicatorSchema>;

export const catalogueSchema = z
  .object({ version: z.string().min(1), indicators: z.array(indicatorSchema).min(1) })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.indicators.forEach((i, n) => {
      if (seen.has(i.id))
        ctx.addIssue({ code: 'custom', path: ['indicators', n, 'id'], message: `"${i.id}" is listed twice` });
      seen.add(i.id);
    });
  });

export type Catalogue = z.infer<typeof catalogueSchema>;

export const isRatioOfRates = (i: Indicator): boolean => i.numerator.per !== undefined;

let cached: Catalogue | undefined;

/** The product's catalogue (checked once). */
export function outcomesCatalogue(): Catalogue {
  cached ??= catalogueSchema.parse(
    JSON.parse(readFileSync(new URL('./catalogue.json', import.meta.url), 'utf8')),
  );
  return cached;
}
