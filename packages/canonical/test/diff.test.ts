import { describe, expect, it } from 'vitest';
import { diffCanonical } from '../src/index.ts';
import { shopifyLikeOrder } from './fixtures/commerce-order.ts';

describe('diffCanonical', () => {
  it('finds nothing between equal records', () => {
    expect(diffCanonical(shopifyLikeOrder(), shopifyLikeOrder())).toEqual({ equal: true, changes: [] });
  });

  it('lists added, removed and changed paths as sorted JSON pointers', () => {
    const before = shopifyLikeOrder();
    const after = shopifyLikeOrder();
    after.note = null;
    after.totals.total = { amount: '56.99', currency: 'GBP' };
    after.tags.push('returning');
    after.custom = { 'gift/message': 'Happy birthday!' };
    const [firstLine] = after.lines;
    if (!firstLine) throw new Error('the fixture has lines');
    after.lines.push(...Array.from({ length: 9 }, () => ({ ...structuredClone(firstLine), quantity: 7 })));
    const { equal, changes } = diffCanonical(before, after, { ignore: ['/raw'] });
    expect(equal).toBe(false);
    const paths = changes.map((change) => `${change.kind} ${change.path}`);
    expect(paths).toEqual([
      'removed /custom/giftMessage',
      'added /custom/gift~1message',
      ...Array.from({ length: 9 }, (_, i) => `added /lines/${i + 3}`),
      'changed /note',
      'added /tags/2',
      'changed /totals/total/amount',
    ]);
    expect(changes.find((change) => change.path === '/note')).toEqual({
      kind: 'changed',
      path: '/note',
      before: 'Leave with the neighbour.',
      after: null,
    });
  });

  it('treats null against a value as a change and honours ignored paths', () => {
    const before = { quantity: 0, updatedAt: 'a', raw: { x: 1 } };
    const after = { quantity: null, updatedAt: 'b', raw: { x: 2 } };
    expect(diffCanonical(before, after, { ignore: ['/raw', '/updatedAt'] }).changes).toEqual([
      { kind: 'changed', path: '/quantity', before: 0, after: null },
    ]);
  });
});
