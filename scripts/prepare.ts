// Runs in `prepare` (during `npm ci` / `npm install`): links the project's own `joinedup` command into
// node_modules/.bin and builds the web app. When npm runs the project's command through `npx
// joinedup`, npm links the project into its own cache and runs `prepare` there: nothing to build then.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

if (process.env.npm_command !== 'exec') {
  const binDir = path.resolve('node_modules/.bin');
  const link = path.join(binDir, 'joinedup');
  mkdirSync(binDir, { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(path.relative(binDir, path.resolve('bin/joinedup.js')), link);
  chmodSync(path.resolve('bin/joinedup.js'), 0o755);
  execFileSync(process.execPath, [path.resolve('node_modules/vite/bin/vite.js'), 'build'], {
    stdio: 'inherit',
  });
}
