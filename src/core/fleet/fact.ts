// A fact about a service that may be unknown (a server that does not answer, no repository...): every
// fleet-wide view and document gathers facts this way, so one failing read makes that fact "unknown:
// <reason>", never the whole view fail. A read of a server inside a fleet view fails at the view's deadline
// (the connection honours it, serverDeadline.ts); reads of the repository are not cut short.
import { reasonOf } from './fanOut';

/** `lastKnown`: the last value learned, in words, when the fact is unknown now (lastKnownFacts.ts). */
export type Fact<T> = { known: true; value: T } | { known: false; reason: string; lastKnown?: { text: string; at: string } };

export async function fact<T>(read: () => Promise<T> | T): Promise<Fact<T>> {
  try {
    return { known: true, value: await read() };
  } catch (err) {
    return { known: false, reason: reasonOf(err) };
  }
}

/** A fact derived from another: the derivation may fail too; an unknown source stays unknown, same reason. */
export async function mapFact<T, U>(source: Fact<T>, derive: (value: T) => U | Promise<U>): Promise<Fact<U>> {
  return source.known ? fact(() => derive(source.value)) : source;
}

/** "unknown: <reason>" or "unknown: <reason>, last known <text> at <time>". */
export function unknownText(f: { reason: string; lastKnown?: { text: string; at: string } }, formatTime: (iso: string) => string): string {
  return `unknown: ${f.reason}${f.lastKnown ? `, last known ${f.lastKnown.text} at ${formatTime(f.lastKnown.at)}` : ''}`;
}
