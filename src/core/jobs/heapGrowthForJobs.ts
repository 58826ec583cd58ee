// How far V8 lets the heap grow between full collections, in a process that hosts a core. V8 shrinks the heap
// whenever the process looks idle (its memory reducer) and afterwards grows it by only 1.3x of what was live
// before the next full collection. A core is idle between jobs, and a job streams hundreds of megabytes: every
// backup or restore began against a tight limit and paid for two to four full collections, with their
// concurrent marking on the cores that pg_basebackup, the walsender and the object store also need. An S3
// upload keeps its requests' objects alive while a part is in flight (they reach the old generation), so it
// reached the limit more often than a backup into a folder.
//
// Growth of 2x (V8's own range is 1.1x to 4x) keeps the old generation under twice its live size (a core here
// holds about 33 MB) and cut the core's CPU per backup by a quarter to a half (README, "npm run
// bench:objectstore"). V8 reads the flag at every collection, so setting it while the process runs takes effect
// at the next one; Node and Electron start V8 with its flags unfrozen (--no-freeze-flags-after-init) for
// v8.setFlagsFromString.
import { setFlagsFromString } from 'node:v8';

const GROWING_PERCENT = 100;
let applied = false;

/** Sets the heap's growth for this process once; every core calls it, the first call does it. */
export function letHeapGrowForJobs(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT}`);
}
