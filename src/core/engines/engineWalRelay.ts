// Hands archived WAL to a scratch cluster restored through pgBackRest. The cluster runs as the unprivileged
// scratch account, which must not read the engine's repository or its config (with the repository's cipher
// pass), so its restore_command only asks: it leaves a request file and waits; the relay fetches the file
// through the engine as the repository's owner and puts it beside the request, or says it is missing.
import { chownSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { engineWritableDir } from './engineProcess';
import type { ExistingEngine } from './existingEngine';

export interface WalRelay {
  /** The restore_command that asks the relay. */
  restoreCommand: string;
  /** Files handed over so far. */
  handedOver(): number;
  /** Rejects when the engine fails to fetch a file (a missing one is an answer, not a failure). */
  failed: Promise<never>;
  stop(): Promise<void>;
}

export async function startWalRelay(o: { engine: ExistingEngine; walDir: string; owner?: { uid: number; gid: number }; signal: AbortSignal }): Promise<WalRelay> {
  const dirs = { requests: join(o.walDir, 'requests'), missing: join(o.walDir, 'missing'), failed: join(o.walDir, 'failed') };
  for (const d of Object.values(dirs)) {
    await mkdir(d, { mode: 0o700 });
    if (o.owner) chownSync(d, o.owner.uid, o.owner.gid);
  }
  const workDir = await engineWritableDir(o.engine.account);
  let count = 0;
  let stopped = false;
  let fail!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const inFlight = new Set<string>();

  const answer = async (name: string) => {
    const fetched = join(workDir, name);
    try {
      if (await o.engine.fetchWal(name, fetched, o.signal)) {
        // Whole or not at all: the restore_command waits for the name to appear.
        const temp = join(o.walDir, `.${name}.relay`);
        await copyFile(fetched, temp);
        if (o.owner) chownSync(temp, o.owner.uid, o.owner.gid);
        await rename(temp, join(o.walDir, name));
        count++;
      } else await writeFile(join(dirs.missing, name), '');
    } catch (err) {
      await writeFile(join(dirs.failed, name), '').catch(() => undefined);
      fail(err);
    } finally {
      await rm(fetched, { force: true });
      await rm(join(dirs.requests, name), { force: true });
      inFlight.delete(name);
    }
  };

  const loop = (async () => {
    while (!stopped && !o.signal.aborted) {
      for (const name of await readdir(dirs.requests).catch(() => [] as string[]))
        if (!inFlight.has(name) && /^[0-9A-F]{8}([0-9A-F]{16}|\.history)$/.test(name)) {
          inFlight.add(name);
          void answer(name);
        }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const d = o.walDir;
  return {
    // Exit 126 on a fetch failure: PostgreSQL stops recovery rather than taking it as the end of the archive.
    restoreCommand: `[ -f "${d}/%f" ] || { : > "${dirs.requests}/%f"; while [ ! -f "${d}/%f" ] && [ ! -f "${dirs.missing}/%f" ] && [ ! -f "${dirs.failed}/%f" ]; do sleep 0.02; done; }; [ -f "${dirs.failed}/%f" ] && exit 126; [ -f "${d}/%f" ] && { ln -f "${d}/%f" "%p" 2>/dev/null || cp "${d}/%f" "%p"; }`,
    handedOver: () => count,
    failed,
    stop: async () => {
      stopped = true;
      await loop;
      while (inFlight.size) await new Promise((r) => setTimeout(r, 20));
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
