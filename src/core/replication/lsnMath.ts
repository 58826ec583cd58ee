// PostgreSQL LSNs ("16/B374D848") as byte positions, for the differences the server cannot compute for us
// (two LSNs read on different servers).
export function lsnToBigInt(lsn: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!match) throw new Error(`not an LSN: ${lsn}`);
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

/** a - b in bytes, never negative; null when either is unknown. */
export function lsnDistance(a: string | null | undefined, b: string | null | undefined): number | null {
  if (!a || !b) return null;
  const d = lsnToBigInt(a) - lsnToBigInt(b);
  return d > 0n ? Number(d) : 0;
}
