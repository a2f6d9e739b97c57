// The floor for the API benchmarks: a bare Fastify 5 app whose one route answers, from memory, the body the
// real server gave. Env: PORT, ROUTE, BODY_FILE, CONTENT_TYPE, METHOD (GET unless given; a POST's JSON body
// is parsed, as the real server's is).
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const { PORT, ROUTE, BODY_FILE, CONTENT_TYPE, METHOD } = process.env;
if (!PORT || !ROUTE || !BODY_FILE) throw new Error('floor-server needs PORT, ROUTE and BODY_FILE');
const body = readFileSync(BODY_FILE, 'utf8');
const type = CONTENT_TYPE || 'application/json; charset=utf-8';

const app = Fastify({ logger: false });
app.route({
  method: METHOD === 'POST' ? 'POST' : 'GET',
  url: ROUTE,
  handler: (_req, reply) => {
    reply.type(type).send(body);
  },
});
await app.listen({ port: Number(PORT), host: '127.0.0.1' });
