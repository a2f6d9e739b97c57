import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configErrors, DEFAULT_UPLOADS_PER_HOUR, readConfig } from './config.ts';

test('with no environment the product runs on the embedded database, port 3000, Bury', () => {
  const config = readConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.databaseUrl, null);
  assert.equal(config.dataDir, 'data');
  assert.equal(config.place, 'bury');
  assert.ok(Object.isFrozen(config));
});

test('DATABASE_URL and JOINEDUP_DATA_DIR are read', () => {
  const config = readConfig({
    DATABASE_URL: 'postgres://u@h:5432/db',
    JOINEDUP_DATA_DIR: '/srv/ju',
    PORT: '8080',
  });
  assert.equal(config.databaseUrl, 'postgres://u@h:5432/db');
  assert.equal(config.dataDir, '/srv/ju');
  assert.equal(config.port, 8080);
});

test('every problem is named at once, and readConfig refuses to start', () => {
  const env = { PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', JOINEDUP_PLACE: 'Bury!' };
  const errors = configErrors(env);
  assert.equal(errors.length, 4);
  assert.match(errors.join('\n'), /PORT must be a whole number/);
  assert.match(errors.join('\n'), /DATABASE_URL must start with postgres/);
  assert.throws(() => readConfig(env), /The configuration is not usable/);
  assert.deepEqual(configErrors({ PORT: '70000' }), ['PORT must be between 0 and 65535, not 70000']);
});

test('JOINEDUP_AUDIT_GATHER_MS: the product default unless set; 0 to 100 whole milliseconds', () => {
  assert.equal(readConfig({}).auditGatherMs, null);
  assert.equal(readConfig({ JOINEDUP_AUDIT_GATHER_MS: '0' }).auditGatherMs, 0);
  assert.equal(readConfig({ JOINEDUP_AUDIT_GATHER_MS: '10' }).auditGatherMs, 10);
  for (const bad of ['-1', '2.5', '101', 'soon', ''])
    assert.deepEqual(
      configErrors({ JOINEDUP_AUDIT_GATHER_MS: bad }),
      ['JOINEDUP_AUDIT_GATHER_MS must be a whole number of milliseconds from 0 to 100, such as 4'],
      bad,
    );
});

test('JOINEDUP_UPLOADS_PER_HOUR: 100 unless set; a whole number of files from 1', () => {
  assert.equal(readConfig({}).uploadsPerHour, DEFAULT_UPLOADS_PER_HOUR);
  assert.equal(DEFAULT_UPLOADS_PER_HOUR, 100);
  assert.equal(readConfig({ JOINEDUP_UPLOADS_PER_HOUR: '20' }).uploadsPerHour, 20);
  for (const bad of ['0', '-1', '2.5', '100000', 'lots', ''])
    assert.deepEqual(
      configErrors({ JOINEDUP_UPLOADS_PER_HOUR: bad }),
      ['JOINEDUP_UPLOADS_PER_HOUR must be a whole number of files from 1 to 99999, such as 100'],
      bad,
    );
});

test('JOINEDUP_TRUST_PROXY: none unless set; the proxies’ addresses or ranges, or a number of hops', () => {
  assert.equal(readConfig({}).trustProxy, false);
  assert.deepEqual(readConfig({ JOINEDUP_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, [
    '10.0.0.0/8',
    '127.0.0.1',
  ]);
  assert.deepEqual(readConfig({ JOINEDUP_TRUST_PROXY: 'fd00::/8' }).trustProxy, ['fd00::/8']);
  assert.equal(readConfig({ JOINEDUP_TRUST_PROXY: '1' }).trustProxy, 1);
  for (const bad of ['yes', 'loopback', '10.0.0.1; rm', ''])
    assert.match(configErrors({ JOINEDUP_TRUST_PROXY: bad }).join(), /^JOINEDUP_TRUST_PROXY must be/, bad);
});
