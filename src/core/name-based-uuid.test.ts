import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uuidV5 } from './name-based-uuid.ts';

// RFC 9562 appendix A.4: the version 5 UUID of "www.example.com" in the DNS namespace.
test('matches the RFC 9562 worked example', () => {
  assert.equal(
    uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com'),
    '2ed6657d-e927-568b-95e1-2665a8aea6a2',
  );
});

test('is stable for a name and differs between names', () => {
  const ns = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
  assert.equal(uuidV5(ns, 'bury:service:a'), uuidV5(ns, 'bury:service:a'));
  assert.notEqual(uuidV5(ns, 'bury:service:a'), uuidV5(ns, 'bury-copy:service:a'));
  assert.throws(() => uuidV5('not-a-uuid', 'x'), /not a UUID/);
});
