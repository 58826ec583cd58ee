// How much smaller a backup is on disk than what the tool produced: sourceBytes / storedBytes, e.g. "4.2×".

export function compressionRatio(sourceBytes: number, storedBytes: number): number | undefined {
  if (!(storedBytes > 0) || !(sourceBytes >= 0)) return undefined;
  return sourceBytes / storedBytes;
}

export function formatCompressionRatio(sourceBytes: number, storedBytes: number): string {
  const ratio = compressionRatio(sourceBytes, storedBytes);
  if (ratio === undefined) return '—';
  // Large ratios (an empty database compresses a lot) lose nothing without a decimal.
  return `${ratio >= 100 ? Math.round(ratio) : ratio.toFixed(1)}×`;
}
