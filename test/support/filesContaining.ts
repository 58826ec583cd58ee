// Lists every file below the given folders whose bytes contain a needle: used to prove a secret was
// written nowhere.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function filesContaining(roots: string[], needle: string): Promise<string[]> {
  const hits: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && (await readFile(path)).includes(needle)) hits.push(path);
    }
  };
  for (const root of roots) await walk(root);
  return hits;
}

/** Every file below the folders, to show a test looked at something. */
export async function countFiles(roots: string[]): Promise<number> {
  let count = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else count++;
    }
  };
  for (const root of roots) await walk(root);
  return count;
}
