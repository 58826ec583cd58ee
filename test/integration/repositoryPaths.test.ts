// `lifeboat repo init` on paths that cannot hold a repository: a file in the way (ENOTDIR), a parent that
// cannot be made (ENOENT), a read-only file system (EROFS) and a folder this account may not write (EACCES).
// Each is the user's input, never INTERNAL: a specific code naming the path, checked before the keychain is
// touched, so a failed init leaves no key behind.
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { chmod, chown, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli';
import { clusterOsUser } from '../support/unprivilegedUser';

const exec = promisify(execFile);
const keytar = createRequire(import.meta.url)('keytar') as typeof import('keytar');
let dir: string;
let globals: string[];

/** Repository keys in this (throwaway) keychain. */
const storedKeys = async () => (await keytar.findCredentials('Lifeboat')).map((c) => c.account).filter((a) => a.startsWith('repository-key/')).sort();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-repo-paths-'));
  await chmod(dir, 0o755);
  globals = ['--config', join(dir, 'fleet.yaml'), '--data-dir', join(dir, 'data'), '--json'];
});

describe('repo init on a path that cannot hold a repository', () => {
  it.each([
    ['a file in the way', '/etc/passwd/lifeboat-repo', 'INVALID_INPUT', 2, /a part of that path is a file/],
    ['a parent that cannot be made', '/proc/lifeboat-repo/deeper', 'INVALID_INPUT', 2, /cannot be created/],
  ])('%s: %s is %s (exit %i), and no key is made', async (_what, path, code, exit, message) => {
    const before = await storedKeys();
    const r = await runCli([...globals, 'repo', 'init', path]);
    expect(r.code, r.stderr).toBe(exit);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(JSON.parse(r.stdout).error.message).toContain(path);
    expect(JSON.parse(r.stdout).error.hint).toMatch(/lifeboat repo init /);
    expect(await storedKeys()).toEqual(before);
  });

  it('a read-only file system is PERMISSION_DENIED naming the path, and no key is made', async () => {
    const mountPoint = await mkdtemp(join(tmpdir(), 'lifeboat-ro-'));
    await exec('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', mountPoint]);
    try {
      const before = await storedKeys();
      const r = await runCli([...globals, 'repo', 'init', join(mountPoint, 'repo')]);
      expect(r.code, r.stderr).toBe(4);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'PERMISSION_DENIED', message: `${join(mountPoint, 'repo')} is on a read-only file system.` });
      expect(await storedKeys()).toEqual(before);
    } finally {
      await exec('umount', [mountPoint]);
    }
  });

  it('a folder this account may not write is PERMISSION_DENIED, decided before the keychain (which this account cannot reach) is asked', async () => {
    const user = clusterOsUser();
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o755 });
    const own = join(dir, 'own');
    await mkdir(own);
    await chown(own, user.uid, user.gid);
    const run = await new Promise<{ code: number | null; stdout: string }>((done) => {
      let stdout = '';
      const child = spawn(process.execPath, [resolve('bin/lifeboat.mjs'), '--config', join(own, 'fleet.yaml'), '--data-dir', join(own, 'data'), '--json', 'repo', 'init', join(locked, 'repo')], {
        uid: user.uid,
        gid: user.gid,
        // No session bus for this account: had init asked the keychain first, it would say KEYCHAIN_UNAVAILABLE.
        env: { PATH: process.env.PATH, HOME: own },
      });
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('exit', (code) => done({ code, stdout }));
    });
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'PERMISSION_DENIED', message: `This account may not create or write ${join(locked, 'repo')} (EACCES).` });
    expect(await readdir(locked)).toEqual([]);
  });

  it('an existing repository is CONFLICT with the command that uses it, and an empty folder works', async () => {
    const path = join(dir, 'good');
    const first = await runCli([...globals, 'repo', 'init', path, '--no-encryption']);
    expect(first.code, first.stderr).toBe(0);
    const again = await runCli([...globals, 'repo', 'init', path, '--no-encryption']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).error).toMatchObject({ code: 'CONFLICT', hint: `Use it as it is: lifeboat repo use ${path}.` });
    expect((await readdir(path)).sort()).toEqual(['lifeboat-repo.json']);
  });
});
