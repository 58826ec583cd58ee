// SQL Server log sequence numbers: numeric(25,0) in msdb and RESTORE HEADERONLY, compared as BigInt because a
// JS number loses the low digits (98000000017600001 arrives as ...600000).
import { LifeboatError } from '../lifeboatError';

const DECIMAL = /^\d{1,25}$/;
/** The form DBCC LOG and fn_dblog print: VLF sequence : log block offset : slot, all hex. */
const HEX = /^([0-9a-f]{1,8}):([0-9a-f]{1,8}):([0-9a-f]{1,4})$/i;

/** The common case without a regex: history files hold tens of thousands of LSNs. */
function isPlainDecimal(text: string): boolean {
  if (text.length === 0 || text.length > 25) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A decimal LSN string (or the hex "0000001a:000000b4:0001" form) as a BigInt. */
export function parseLsn(value: string | number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new LifeboatError('INVALID_INPUT', `LSN ${value} arrived as a number and has lost precision.`, 'Select LSNs as text: CONVERT(varchar(25), first_lsn).');
    }
    return BigInt(value);
  }
  if (isPlainDecimal(value)) return BigInt(value);
  const text = value.trim();
  if (DECIMAL.test(text)) return BigInt(text);
  const hex = HEX.exec(text);
  // The decimal form is VLF * 10^15 + block * 10^5 + slot, which is how 37000000012800001 reads as 37:128:1.
  if (hex) return BigInt(parseInt(hex[1]!, 16)) * 10n ** 15n + BigInt(parseInt(hex[2]!, 16)) * 10n ** 5n + BigInt(parseInt(hex[3]!, 16));
  throw new LifeboatError('INVALID_INPUT', `"${value}" is not an LSN.`, 'An LSN is a decimal number of up to 25 digits, as msdb prints it (e.g. 37000000012800001).');
}

export function isLsn(value: string): boolean {
  return DECIMAL.test(value.trim()) || HEX.test(value.trim());
}

/** Negative, zero or positive, like a sort comparator. */
export function compareLsn(a: string | bigint, b: string | bigint): number {
  const x = parseLsn(a);
  const y = parseLsn(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The decimal form msdb uses, without leading zeros. */
export function formatLsn(lsn: bigint): string {
  return lsn.toString();
}

/** The VLF:block:slot form (hex) some tools print, for messages next to the decimal form. */
export function formatLsnHex(lsn: bigint): string {
  const vlf = lsn / 10n ** 15n;
  const block = (lsn / 10n ** 5n) % 10n ** 10n;
  const slot = lsn % 10n ** 5n;
  return `${vlf.toString(16).padStart(8, '0')}:${block.toString(16).padStart(8, '0')}:${slot.toString(16).padStart(4, '0')}`;
}
