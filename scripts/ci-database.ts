// For .ci/run: when a PostgreSQL server answers on 127.0.0.1:5432, creates a fresh database for this
// run and prints its URL; prints nothing when no server answers. `--drop URL` drops that database.
import pg from 'pg';

const server = process.env.CI_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
if (process.argv[2] === '--drop') {
  const name = new URL(process.argv[3] ?? '').pathname.slice(1);
  if (!/^joinedup_ci_[a-z0-9]+$/.test(name)) throw new Error(`not a CI database: ${name}`);
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
  process.exit(0);
}
try {
  await client.connect();
} catch {
  process.exit(0);
}
const name = `joinedup_ci_${Date.now().toString(36)}`;
await client.query(`create database ${name}`);
await client.end();
const url = new URL(server);
url.pathname = `/${name}`;
console.log(url.toString());
