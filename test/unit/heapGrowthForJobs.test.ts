// A core lets the heap of its process grow to twice what was live after each full collection (V8 otherwise
// grows it by 1.3x after the process was idle, and jobs paid for extra full collections). Checked in a child
// process that creates a real core and then makes V8 collect: V8's own trace prints the factor it applied to
// each new limit. The child fails too if V8's flags were frozen (setting one would then abort the process).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const folder = mkdtempSync(join(tmpdir(), 'lifeboat-heap-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The factors V8 applied to the old generation's limit after the child's collections. */
function limitFactors(createsCore: boolean): number[] {
  const script = join(folder, `child-${createsCore}.mts`);
  writeFileSync(
    script,
    [
      `import { createCore } from ${JSON.stringify(resolve('src/core/api.ts'))};`,
      createsCore ? `const core = await createCore({ configPath: ${JSON.stringify(join(folder, 'fleet.yaml'))}, dataDir: ${JSON.stringify(join(folder, 'data'))} });` : '',
      // Enough live objects that the limits are V8's arithmetic, not its minimum heap size.
      'const kept: object[] = [];',
      'for (let round = 0; round < 3; round++) { for (let i = 0; i < 300_000; i++) kept.push({ i }); (globalThis as { gc?: () => void }).gc!(); }',
      createsCore ? 'await core.close();' : '',
      'console.log(`kept ${kept.length}`);',
    ].join('\n'),
  );
  const child = spawnSync(process.execPath, ['--expose-gc', '--trace-gc-verbose', '--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
  expect(child.status, child.stderr).toBe(0);
  expect(child.stdout).toContain('kept 900000');
  // "[HeapController] Limit: old size: 19846 KB, new limit: 47746 KB (2.0)"
  return [...child.stdout.matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g)].map((m) => Number(m[1]));
}

describe('the heap of a process that hosts a core', () => {
  it('grows by 2x after every full collection once a core exists, where V8 alone picks its own factor', () => {
    const withCore = limitFactors(true);
    expect(withCore.length).toBeGreaterThanOrEqual(3);
    // The core is created before the child's collections: every limit after it is set with the core's factor.
    expect(withCore.slice(-3)).toEqual([2, 2, 2]);
    // Without a core, V8's own choice (4x for a small heap in a busy process): what the core changes.
    const alone = limitFactors(false);
    expect(alone.length).toBeGreaterThanOrEqual(3);
    expect(alone.slice(-3).every((factor) => factor !== 2)).toBe(true);
  });
});
