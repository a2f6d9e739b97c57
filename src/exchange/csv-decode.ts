// The bytes of a CSV extract to text. A file is read as one encoding. Bytes below 0x80 read the same
// in UTF-8 and windows-1252, so the choice is made at the first byte that is not ASCII: if the rest of
// that block of the file is valid UTF-8 the file is UTF-8, otherwise windows-1252 (what Excel's plain
// "CSV" writes in England). A UTF-8 byte-order mark is dropped. If a file chosen as UTF-8 later holds
// bytes that are not UTF-8 (a file pasted together from two encodings), those characters come out as
// U+FFFD and their rows are refused, rather than guessed at.

const firstNonAscii = (bytes: Uint8Array): number => bytes.findIndex((b) => b >= 0x80);

/** UTF-8 when `sample`, starting at the file's first non-ASCII byte, is valid UTF-8; windows-1252 otherwise. */
function decoderFor(sample: Uint8Array, isWholeRest: boolean): TextDecoder {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !isWholeRest });
    return new TextDecoder('utf-8');
  } catch {
    return new TextDecoder('windows-1252');
  }
}

/**
 * The text of a file of UTF-8 or windows-1252 bytes, chosen at the first non-ASCII byte (see the top
 * of this file), as it arrives. Holds back at most three bytes while a choice waits for the next block.
 */
export async function* decodeText(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const ascii = new TextDecoder('windows-1252');
  let decoder: TextDecoder | undefined;
  let carry = new Uint8Array(0);
  for await (const chunk of chunks) {
    if (decoder) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
      continue;
    }
    const bytes = carry.length > 0 ? concatBytes(carry, chunk) : chunk;
    carry = new Uint8Array(0);
    const at = firstNonAscii(bytes);
    if (at === -1) {
      if (bytes.length > 0) yield ascii.decode(bytes);
      continue;
    }
    if (at > 0) yield ascii.decode(bytes.subarray(0, at));
    const rest = bytes.subarray(at);
    if (rest.length < 4) {
      carry = rest.slice();
      continue;
    }
    decoder = decoderFor(rest, false);
    const text = decoder.decode(rest, { stream: true });
    if (text) yield text;
  }
  if (!decoder && carry.length > 0) decoder = decoderFor(carry, true);
  const tail = decoder?.decode(carry.length > 0 ? carry : undefined) ?? '';
  if (tail) yield tail;
}

export async function* utf8(texts: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  for await (const text of texts) yield Buffer.from(text, 'utf8');
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

/** The first non-empty block of bytes and the blocks after it, or null for an empty file. */
export async function firstBlock(
  bytes: AsyncIterable<Uint8Array>,
): Promise<{ first: Uint8Array; rest: AsyncIterator<Uint8Array> } | null> {
  const rest = bytes[Symbol.asyncIterator]();
  for (;;) {
    const next = await rest.next();
    if (next.done) return null;
    if (next.value.length > 0) return { first: next.value, rest };
  }
}

/** The blocks again, first one included; stopping early closes the source (a file, say) as well. */
export async function* blocks(
  first: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  let isDone = false;
  try {
    yield first;
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        isDone = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!isDone) await rest.return?.();
  }
}
