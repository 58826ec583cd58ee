// The desktop door's hardening, checked without the Electron binary: electronegativity (Doyensec's scanner)
// over src/, and the built preload, which a sandboxed renderer loads as one CommonJS file.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

interface Finding {
  id: string;
  file: string;
  manualReview: boolean;
  severity: { name: string };
}

const run = promisify(execFile);

async function scan(folder: string): Promise<{ issues: Finding[]; errors: unknown[] }> {
  const electronVersion = JSON.parse(await readFile('node_modules/electron/package.json', 'utf8')).version as string;
  const { stdout } = await run('node', ['-r', './test/support/offline.cjs', 'test/support/electronegativityScan.mjs', folder, electronVersion], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('Electron hardening', () => {
  it('has no finding from electronegativity that is not a manual-review note', async () => {
    const { issues, errors } = await scan(`${process.cwd()}/src`);
    expect(errors).toEqual([]);
    const ids = issues.map((i) => i.id);
    // Checks that must have run and found nothing: they are what contextIsolation, sandbox, nodeIntegration
    // and friends look like when they are wrong.
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'NODE_INTEGRATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'ALLOW_POPUPS_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'AUXCLICK_JS_CHECK', 'INSECURE_CONTENT_JS_CHECK'])
      expect(ids).not.toContain(id);
    expect(issues.filter((i) => !i.manualReview).map((i) => `${i.id} ${i.file}`)).toEqual([]);
  });

  it('builds the preload as a single CommonJS file that requires nothing but electron', async () => {
    const preload = await readFile('out/preload/index.cjs', 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld');
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
  });

  it('ships the strict Content-Security-Policy in the renderer page', async () => {
    const html = await readFile('out/renderer/index.html', 'utf8');
    expect(html).toContain("script-src 'self'");
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
