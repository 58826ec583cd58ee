// A fact the core could not learn reads as such, with the last value kept: never a guess such as "Broken".
import { describe, expect, it } from 'vitest';
import { formatCompactDateTime } from '../../../src/renderer/src/format/dateTime';
import { unknownFactText } from '../../../src/renderer/src/format/unknownFact';

describe('unknownFactText', () => {
  it('says why the fact is unknown and what was last known, and when', () => {
    const at = '2026-12-01T09:00:00Z';
    expect(unknownFactText({ fact: 'replication', reason: 'no answer within 2 s', lastKnown: { text: 'Healthy', at } })).toBe(
      `unknown: no answer within 2 s, last known Healthy at ${formatCompactDateTime(at)}`,
    );
  });

  it('says only why when nothing was ever learned', () => {
    expect(unknownFactText({ fact: 'backups', reason: 'the repository is not reachable' })).toBe('unknown: the repository is not reachable');
  });
});
