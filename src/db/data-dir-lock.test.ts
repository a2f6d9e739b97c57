import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from './data-dir-lock.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the lock records this process and is released once', () => {
  const release = lockDataDir(dir);
  const holder = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
  assert.equal(holder.pid, process.pid);
  release();
  release();
  assert.equal(existsSync(path.join(dir, LOCK_FILE)), false);
});

test('a live holder is named and refused', () => {
  // The parent of this test process is alive and is not us.
  const holder = {
    pid: process.ppid,
    host: hostname(),
    command: 'joinedup.js serve',
    since: '2026-11-23T19:00:00Z',
  };
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(holder));
  assert.throws(
    () => lockDataDir(dir),
    (e) =>
      e instanceof DataDirLockedError &&
      e.message.includes(`in use by process ${process.ppid} (joinedup.js serve`),
  );
  rmSync(path.join(dir, LOCK_FILE));
});

test('a stale lock (dead process, or unreadable file) is taken over', () => {
  writeFileSync(
    path.join(dir, LOCK_FILE),
    JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), command: 'x', since: '' }),
  );
  lockDataDir(dir)();
  writeFileSync(path.join(dir, LOCK_FILE), 'not json');
  lockDataDir(dir)();
  assert.equal(existsSync(path.join(dir, LOCK_FILE)), false);
});
