// The checkout root, found from this file's location: it works both from the TypeScript source
// (scripts/ops/, run by vitest) and from the build output (dist/scripts/ops/, run by npm scripts).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'openapi'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no project root above ${from}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the checkout, from its root. */
export const fromRoot = (...segments: string[]): string => join(PROJECT_ROOT, ...segments);
