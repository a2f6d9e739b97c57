// Test support: the real app over a test database, ready (no first-start gate), with a stand-in built
// web app beside the API so that unknown paths behave as in production.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../db/create-db.ts';
import { buildApp } from './app.ts';
import type { App } from './app-types.ts';
import { newStartupState } from './startup.ts';

export async function openTestApp(db: Db): Promise<App> {
  const startup = newStartupState();
  startup.phase = 'ready';
  const webDir = mkdtempSync(path.join(tmpdir(), 'joinedup-web-'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Joined Up</title>');
  return buildApp({ db, config: { logLevel: 'silent', place: 'bury', webDir }, startup, logger: false });
}
