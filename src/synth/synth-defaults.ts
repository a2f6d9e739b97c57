// What `joinedup synth` uses unless told otherwise: read by the command line's help without loading the
// generator.
export const DEFAULT_SYNTH = { seed: 20230101, start: '2023-01-01', end: '2025-12-31' } as const;
