// What `joinedup cases demo` and an embedded first start use unless told otherwise: read by the command
// line's help without loading case management.
export const DEMO_CASES = { perTeam: 40, seed: 20261203 } as const;
