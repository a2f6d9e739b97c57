// Lines of a file, read in chunks with flat memory, each with the byte offset just after it, so an
// import can record exactly where it got to and a resumed one can start reading there.
import { createReadStream } from 'node:fs';

export interface FileLine {
  /** The line's text without its line ending; null when its bytes are not UTF-8. */
  readonly text: string | null;
  /** Byte offset just after the line and its newline: where the next read would start. */
  readonly end: number;
}

const NEWLINE = 0x0a;

/** The lines of a file from byte `start`; a final line without a newline is yielded too. */
export async function* fileLines(path: string, start = 0): AsyncGenerator<FileLine> {
  let offset = start;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // A byte-order mark is kept, so that the line's strict reading refuses it with a clear message.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decode = (bytes: Uint8Array): string | null => {
    try {
      return decoder.decode(bytes);
    } catch {
      return null;
    }
  };
  for await (const chunk of createReadStream(path, {
    start,
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let at = chunk.indexOf(NEWLINE, from); at !== -1; at = chunk.indexOf(NEWLINE, from)) {
      const piece = chunk.subarray(from, at);
      const bytes = pendingBytes > 0 ? Buffer.concat([...pending, piece]) : piece;
      offset += bytes.length + 1;
      pending = [];
      pendingBytes = 0;
      const text = decode(bytes);
      yield { text: text?.endsWith('\r') ? text.slice(0, -1) : text, end: offset };
      from = at + 1;
    }
    if (from < chunk.length) {
      pending.push(chunk.subarray(from));
      pendingBytes += chunk.length - from;
    }
  }
  if (pendingBytes > 0) {
    const bytes = Buffer.concat(pending);
    offset += bytes.length;
    yield { text: decode(bytes), end: offset };
  }
}
