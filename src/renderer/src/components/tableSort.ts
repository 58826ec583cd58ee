// How a table orders a column: numbers by value, text in the DBA's language with the numbers inside it read as
// numbers ("svc-2" before "svc-10"), and an empty value after every other whichever way the column is sorted.

export type SortValue = string | number | undefined;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function compareSortValues(a: SortValue, b: SortValue): number {
  if (a === undefined || a === '') return b === undefined || b === '' ? 0 : 1;
  if (b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** The ISO time as a number for sorting (undefined stays undefined, so it sorts last). */
export function timeSortValue(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
