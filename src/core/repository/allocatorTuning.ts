// Makes glibc keep freed memory for reuse instead of handing it back to the OS after every burst, which the
// repository's streams (hundreds of MB in 64 KiB – 1 MiB buffers, freed in bulk by each GC) otherwise do.
// Called by the jobs that stream whole backups (backup, verify, restore to a point in time), not at start-up.
//
// glibc's malloc starts with a 128 KiB mmap threshold and trims the heap top above 128 KiB; both rise once
// a freed mmap'ed block is larger (mallopt(3), "dynamic mmap threshold"), up to 32 MiB. Until then each
// large block is a fresh mmap and each trimmed heap top a fresh set of pages, and on virtual machines a
// fresh page is expensive: measured on a 2-vCPU VM, sealing 500 MB took 1.8–2.3 s before and 1.5–1.7 s
// after. Freeing one 31 MiB block raises both thresholds for the whole process, as a long-running
// program's allocation history would. The block is allocated and freed by a short-lived worker, because
// only an isolate's teardown frees a buffer at a known moment.
//
// Elsewhere (macOS, Windows, musl, Electron's PartitionAlloc) this costs one worker start and changes
// nothing.
import { Worker } from 'node:worker_threads';

const BLOCK = 31 << 20; // under glibc's 32 MiB ceiling for the dynamic threshold, header included

let tuned: Promise<void> | undefined;

/** Idempotent; resolves when the block has been freed (or at once where it does not apply). */
export function tuneAllocatorForBulkIo(): Promise<void> {
  tuned ??= process.platform !== 'linux'
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        const worker = new Worker(`Buffer.allocUnsafeSlow(${BLOCK}).fill(1, 0, 1);`, { eval: true });
        // Tuning is an optimisation: a worker that cannot start must never fail a backup.
        worker.once('exit', () => resolve());
        worker.once('error', () => resolve());
      });
  return tuned;
}
