// Answers that depend only on a place's stratification run and the question asked: the rule vocabulary
// and cohort breakdowns. Scores change only when `joinedup stratify` runs, which gives the run a new
// `computed_at`; every key includes it, so a new run is never answered from an old one. Held in the
// process's memory, least recently used first out.

export class RecentAnswers<T> {
  readonly #entries = new Map<string, T>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const held = this.#entries.get(key);
    if (held !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, held);
      return held;
    }
    const value = await compute();
    this.#entries.set(key, value);
    if (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return value;
  }
}

/** The key of an answer about a place's current run. */
export function runKey(placeId: string, computedAt: Date | string, question = ''): string {
  return `${placeId}|${new Date(computedAt).toISOString()}|${question}`;
}
