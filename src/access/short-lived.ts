// Answers kept for a few seconds: the signed-in staff member behind a session token and a team's
// worklists, which every request needs and which change rarely. Whoever changes the underlying data
// in this process forgets the entry at once; another process sees the change within the time to live.
// Caches are per database (a process may hold several, as tests do).

export class ShortLived<T> {
  readonly #entries = new Map<string, { value: Promise<T>; until: number }>();
  readonly #ttlMs: number;
  readonly #limit: number;

  constructor(ttlMs: number, limit = 10_000) {
    this.#ttlMs = ttlMs;
    this.#limit = limit;
  }

  get(key: string, compute: () => Promise<T>, now = Date.now()): Promise<T> {
    const held = this.#entries.get(key);
    if (held && held.until > now) return held.value;
    const value = compute();
    this.#entries.set(key, { value, until: now + this.#ttlMs });
    // A failed answer is not kept.
    value.catch(() => this.#entries.delete(key));
    if (this.#entries.size > this.#limit) {
      for (const [k, e] of this.#entries) if (e.until <= now) this.#entries.delete(k);
      const oldest = this.#entries.keys().next().value;
      if (this.#entries.size > this.#limit && oldest !== undefined) this.#entries.delete(oldest);
    }
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** One cache per database object. */
export function perDatabase<T>(make: () => ShortLived<T>) {
  const caches = new WeakMap<object, ShortLived<T>>();
  return (db: object): ShortLived<T> => {
    let cache = caches.get(db);
    if (!cache) {
      cache = make();
      caches.set(db, cache);
    }
    return cache;
  };
}
