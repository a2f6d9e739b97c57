// Organisation names come in capitals from ODS: "ST GABRIEL'S MEDICAL CENTRE" reads as
// "St Gabriel's Medical Centre". Names already in mixed case are left as they are.
export function titleCaseOdsName(name: string): string {
  if (name !== name.toUpperCase()) return name;
  return name
    .toLowerCase()
    .replace(/(^|[\s(/&-])([a-z])/g, (_all, before: string, c: string) => before + c.toUpperCase())
    .replace(/\bPcn\b/g, 'PCN')
    .replace(/\bGps\b/g, 'GPs')
    .replace(/\b(And|Of|The)\b/g, (w, _m, offset: number) => (offset === 0 ? w : w.toLowerCase()));
}
