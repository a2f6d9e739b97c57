// Answers that are the same for everyone (the public directory's pages and its Open Referral UK feed),
// kept in memory for as long as they tell browsers they may be kept (a minute), the most recently used
// first, at most `limit` of them. A search on a busy day is then answered without asking the database
// again. A change made through this server (a directory editor's save) clears it; one made elsewhere shows
// within the minute, as it would from any browser's cache. Only GET answers with status 200 and no
// session-dependent content may use it.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface PublicCacheOptions {
  maxAgeMs: number;
  limit: number;
}

interface Held {
  at: number;
  type: string;
  body: string;
}

export type PublicCache = ReturnType<typeof publicCache>;

export function publicCache(options: PublicCacheOptions) {
  const held = new Map<string, Held>();
  return {
    /** Forgets every answer: the next request of each asks the database again. */
    clear(): void {
      held.clear();
    },
    /** Answers from memory when it can (route-level `onRequest`). */
    async onRequest(req: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (req.method !== 'GET') return;
      const hit = held.get(req.url);
      if (!hit) return;
      held.delete(req.url);
      if (Date.now() - hit.at > options.maxAgeMs) return;
      held.set(req.url, hit);
      const age = Math.floor((Date.now() - hit.at) / 1000);
      await reply
        .code(200)
        .type(hit.type)
        .header('Age', String(age))
        .header('Cache-Control', `public, max-age=${Math.round(options.maxAgeMs / 1000)}`)
        .send(hit.body);
    },
    /** Keeps a good answer (route-level `onSend`). */
    async onSend(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
      if (
        req.method === 'GET' &&
        reply.statusCode === 200 &&
        typeof payload === 'string' &&
        !reply.hasHeader('Age')
      ) {
        held.set(req.url, {
          at: Date.now(),
          type: String(reply.getHeader('content-type') ?? 'text/plain'),
          body: payload,
        });
        if (held.size > options.limit) {
          const oldest = held.keys().next().value;
          if (oldest !== undefined) held.delete(oldest);
        }
      }
      return payload;
    },
  };
}
