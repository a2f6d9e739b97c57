// Reads an NDJSON file in a worker thread: each line parsed strictly and validated against the FHIR R4
// definitions (the costly part, tens of microseconds a resource), in batches handed to the main
// thread, which writes them to the database meanwhile. One batch is read ahead and no more, so memory
// stays flat however large the file. A failure ends the worker; its owner (import-run.ts) sees it exit.
import { parentPort } from 'node:worker_threads';
import { fileLines } from './file-lines.ts';
import { type LineOutcome, readLine } from './ndjson-line.ts';

export interface NdjsonWorkerData {
  path: string;
  /** Resume here: the byte just after the last line written, and that line's number. */
  startByte: number;
  startLine: number;
  batchSize: number;
}

export interface ReadLine {
  line: number;
  end: number;
  outcome: LineOutcome;
}

export type NdjsonWorkerMessage = { kind: 'batch'; lines: ReadLine[] } | { kind: 'end' };

export type NdjsonWorkerRequest = { kind: 'read'; data: NdjsonWorkerData } | { kind: 'taken' };

const port = parentPort;
if (!port) throw new Error('ndjson.worker.ts runs as a worker thread');

/** Resolves when the main thread has taken the previous batch. */
let taken: Promise<void> = Promise.resolve();
let release: () => void = () => {};
let reading: Promise<void> = Promise.resolve();

async function send(lines: ReadLine[]): Promise<void> {
  await taken;
  taken = new Promise((resolve) => {
    release = resolve;
  });
  port?.postMessage({ kind: 'batch', lines } satisfies NdjsonWorkerMessage);
}

async function read(data: NdjsonWorkerData): Promise<void> {
  let batch: ReadLine[] = [];
  let line = data.startLine;
  for await (const { text, end } of fileLines(data.path, data.startByte)) {
    line++;
    batch.push({ line, end, outcome: readLine(text) });
    if (batch.length >= data.batchSize) {
      await send(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await send(batch);
  await taken;
  port?.postMessage({ kind: 'end' } satisfies NdjsonWorkerMessage);
}

// The worker serves one file at a time and then waits for the next, so the FHIR definitions are
// loaded once per worker, not once per file.
port.on('message', (m: NdjsonWorkerRequest) => {
  if (m.kind === 'taken') release();
  else reading = reading.then(() => read(m.data));
});
