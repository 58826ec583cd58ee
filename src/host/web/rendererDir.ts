// Finds the built renderer (out/renderer) from the repository root, wherever the host was started from.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LifeboatError } from '../../core/lifeboatError';

export function findRendererDir(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'out', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new LifeboatError('NOT_FOUND', 'The renderer has not been built (out/renderer/index.html is missing).', 'Run "npm run build" first, or use "npm run web", which builds it.');
}
