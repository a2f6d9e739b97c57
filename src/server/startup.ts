// What the server is doing while it gets ready: on a first start it loads the place (and, later, the
// synthetic population) while already answering with a progress page.

export interface StartupState {
  phase: 'starting' | 'ready' | 'failed';
  /** What is happening now, in plain words. */
  step: string;
  /** 0..1 when known. */
  progress: number | null;
  error: string | null;
}

export function newStartupState(): StartupState {
  return { phase: 'starting', step: 'Opening the database', progress: null, error: null };
}
