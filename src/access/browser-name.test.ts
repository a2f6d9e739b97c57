import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserName } from './browser-name.ts';

test('a session is described by its browser, major version and system, as people name them', () => {
  assert.equal(
    browserName(
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
    ),
    'Chrome 156 on Linux',
  );
  assert.equal(
    browserName(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    ),
    'Microsoft Edge 131 on Windows 10',
  );
  assert.equal(
    browserName(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    ),
    'Safari 17 on iOS',
  );
});

test('a User-Agent naming no browser is shown as sent, and a missing one says so', () => {
  assert.equal(browserName('curl/8.5.0'), 'curl/8.5.0');
  assert.equal(browserName('  '), 'Browser not known');
  assert.equal(browserName(''), 'Browser not known');
});
