// The layer rules bite: dependency-cruiser, with the project's own configuration, rejects a core file that
// imports electron and a renderer file that reaches for Node or the core; the real tree passes.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = process.cwd();
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

async function cruise(cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(depcruise, ['src', '--config', join(root, '.dependency-cruiser.cjs')], { cwd });
    return { code: 0, output: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, output: e.stdout };
  }
}

describe('layer rules', () => {
  it('reject a core that imports electron and a renderer that imports Node or the core', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-layers-'));
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
    await copyFile(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    for (const folder of ['core', 'renderer', 'shared', 'preload']) await mkdir(join(dir, 'src', folder), { recursive: true });
    await writeFile(join(dir, 'src/core/window.ts'), "import { BrowserWindow } from 'electron';\nexport const w = BrowserWindow;\n");
    await writeFile(join(dir, 'src/core/engine.ts'), 'export const engine = 1;\n');
    await writeFile(join(dir, 'src/renderer/page.ts'), "import { readFileSync } from 'node:fs';\nimport { engine } from '../core/engine';\nexport const p = [readFileSync, engine];\n");
    await writeFile(join(dir, 'src/shared/types.ts'), "import { engine } from '../core/engine';\nexport const t = engine;\n");
    await writeFile(join(dir, 'src/preload/index.ts'), "import { engine } from '../core/engine';\nexport const q = engine;\n");
    const { code, output } = await cruise(dir);
    expect(code).not.toBe(0);
    expect(output).toMatch(/core-runs-in-plain-node: src\/core\/window\.ts → .*electron/);
    expect(output).toMatch(/renderer-only-shared: src\/renderer\/page\.ts → (node:)?fs/);
    expect(output).toMatch(/renderer-only-shared: src\/renderer\/page\.ts → src\/core\/engine\.ts/);
    expect(output).toMatch(/shared-is-pure: src\/shared\/types\.ts → src\/core\/engine\.ts/);
    expect(output).toMatch(/preload-only-shared: src\/preload\/index\.ts → src\/core\/engine\.ts/);
  });

  it('pass on the real source tree', async () => {
    const { code, output } = await cruise(root);
    expect(output).toMatch(/no dependency violations found \(\d{2,} modules/);
    expect(code).toBe(0);
  });
});
