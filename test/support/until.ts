// Waits for a state, not for a time: probes until it answers with a value (not undefined or false), and on
// timeout says what it waited for, the probe's last error and, when given, what explain() finds.
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000, explain?: () => Promise<unknown>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = [last ? (last as Error).message : '', explain ? JSON.stringify(await explain()) : ''].filter(Boolean).join('; ');
      throw new Error(`timed out waiting for ${what}${why ? `: ${why}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
