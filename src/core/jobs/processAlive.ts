// Whether a process still exists: for pid files and lock files whose holder may have died.
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another account.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
