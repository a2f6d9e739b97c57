// Runs before `npm test`: names plainly anything this machine lacks for the full test suite, and
// fails rather than letting those tests be skipped.
import { existsSync } from 'node:fs';

const problems: string[] = [];
const chromium = process.env.JOINEDUP_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  problems.push(
    `Chromium is missing (looked for ${chromium}). The browser tests need it: install it with\n` +
      '    sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  or set JOINEDUP_CHROMIUM to a Chromium binary.',
  );
}
if (!existsSync('dist/web/index.html')) {
  problems.push('The web app is not built (dist/web/index.html is missing). Build it with: npm run build');
}
if (problems.length > 0) {
  console.error(`npm test cannot run every test on this machine:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
if (!process.env.DATABASE_URL) {
  console.log('DATABASE_URL is not set: integration tests run on the embedded database (PGlite) only.');
} else {
  console.log(
    'Integration tests run on the embedded database (PGlite) and on the PostgreSQL server in DATABASE_URL.',
  );
}
