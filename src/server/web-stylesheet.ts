// Where the built web app's stylesheet is, for the pages the server renders itself (the public
// directory), so they look like the rest of Joined Up without a second copy of NHS.UK frontend. Vite's
// manifest (dist/web/.vite/manifest.json) names the CSS of the index.html entry; failing that, the
// <link rel="stylesheet"> in the built index.html; failing that (the web app not built, as in some
// tests), none: the pages still work, unstyled.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  css?: string[];
}

/** The addresses of the built web app's stylesheets ("/assets/index-…css"), in order; [] if there are none. */
export function builtStylesheets(webDir: string): string[] {
  return fromManifest(webDir) ?? fromIndexHtml(webDir) ?? [];
}

function fromManifest(webDir: string): string[] | undefined {
  const file = path.join(webDir, '.vite', 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ManifestChunk>;
    const entry = manifest['index.html'] ?? Object.values(manifest).find((c) => c.isEntry);
    const css = entry?.css ?? [];
    return css.length > 0 ? css.map((f) => `/${f.replace(/^\//, '')}`) : undefined;
  } catch {
    return undefined;
  }
}

function fromIndexHtml(webDir: string): string[] | undefined {
  const file = path.join(webDir, 'index.html');
  if (!existsSync(file)) return undefined;
  const links = [...readFileSync(file, 'utf8').matchAll(/<link\b[^>]*>/gi)].map((m) => m[0]);
  const hrefs = links
    .filter((l) => /\brel=["']?stylesheet["'\s>]/i.test(l))
    .flatMap((l) => /\bhref=["']([^"']+)["']/i.exec(l)?.[1] ?? []);
  return hrefs.length > 0 ? hrefs : undefined;
}
