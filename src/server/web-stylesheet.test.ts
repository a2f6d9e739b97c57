import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { builtStylesheets } from './web-stylesheet.ts';

const webDir = () => mkdtempSync(path.join(tmpdir(), 'joinedup-web-'));

test('the stylesheet of the built web app, from Vite’s manifest', () => {
  const dir = webDir();
  mkdirSync(path.join(dir, '.vite'));
  writeFileSync(
    path.join(dir, '.vite', 'manifest.json'),
    JSON.stringify({
      'index.html': {
        file: 'assets/index-a1.js',
        src: 'index.html',
        isEntry: true,
        css: ['assets/index-b2.css'],
      },
    }),
  );
  writeFileSync(path.join(dir, 'index.html'), '<link rel="stylesheet" href="/assets/other.css">');
  assert.deepEqual(builtStylesheets(dir), ['/assets/index-b2.css']);
});

test('failing that, from the built index.html; failing that, none', () => {
  const dir = webDir();
  writeFileSync(
    path.join(dir, 'index.html'),
    '<link rel="icon" href="data:,"><script type="module" src="/assets/i.js"></script><link rel="stylesheet" crossorigin href="/assets/index-c3.css">',
  );
  assert.deepEqual(builtStylesheets(dir), ['/assets/index-c3.css']);
  const bare = webDir();
  writeFileSync(path.join(bare, 'index.html'), '<!doctype html><title>Joined Up</title>');
  assert.deepEqual(builtStylesheets(bare), []);
  assert.deepEqual(builtStylesheets(path.join(bare, 'missing')), []);
});
