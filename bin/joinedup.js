#!/usr/bin/env node
// The `joinedup` command. Run it as `npx joinedup …` from the project folder so that it runs on the
// Node.js 24 the project pins (older Node cannot run TypeScript).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `Joined Up needs Node.js 24 or later, but this is Node.js ${process.versions.node}.\n` +
      'Run it from the project folder as "npx joinedup …" (or through npm scripts), which use the pinned Node.js 24.',
  );
  process.exit(1);
}
await import('../src/cli/main.ts');
