// A fact the core could not learn, in the words the fleet page and a service's overview show: why, and the last
// value kept with its time, never a guess such as "Broken" for a server that did not answer.
import type { UnknownFact } from '../../../shared/monitoring';
import { formatCompactDateTime } from './dateTime';

export function unknownFactText(fact: UnknownFact, now?: Date): string {
  const known = fact.lastKnown ? `, last known ${fact.lastKnown.text} at ${formatCompactDateTime(fact.lastKnown.at, now)}` : '';
  return `unknown: ${fact.reason}${known}`;
}
