// Opaque page cursors. A cursor holds the sort key of the last record served, so the next page starts right
// after it even when records were added or changed in between (keyset paging); clients must not parse it.
import type { AnyRecord, Id } from './data/types.ts';
import { compareIds, compareTimes } from './store.ts';
import { CANONICAL_TIME } from './time.ts';

export type SortKey = readonly [updatedAt: string, id: Id];

export function keyOf(record: AnyRecord): SortKey {
  return [record.updated_at, record.id];
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key inside a cursor, or undefined when the text is not a cursor this server issued. */
export function decodeCursor(cursor: string): SortKey | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      CANONICAL_TIME.test(value[0]) &&
      (typeof value[1] === 'number' || typeof value[1] === 'string')
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // Not base64 JSON: reported as undefined below.
  }
  return undefined;
}

/** Index of the first record strictly after `key` in a list sorted by (updated_at, id). */
export function indexAfter(sorted: readonly AnyRecord[], key: SortKey): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const record = sorted[middle] as AnyRecord;
    const order = compareTimes(record.updated_at, key[0]) || compareIds(record.id, key[1]);
    if (order <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
