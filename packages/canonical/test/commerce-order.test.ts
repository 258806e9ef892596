import { describe, expect, it } from 'vitest';
import { assertCanonical, PullPushError, validateCanonical } from '../src/index.ts';
import { shopifyLikeOrder } from './fixtures/commerce-order.ts';

describe('commerce.order@1', () => {
  it('accepts a Shopify-like order', () => {
    expect(validateCanonical('commerce.order@1', shopifyLikeOrder()).issues).toEqual([]);
  });

  it('rejects float money, unknown currencies, local timestamps and unknown fields with exact pointers', () => {
    const order = shopifyLikeOrder() as Record<string, unknown> & ReturnType<typeof shopifyLikeOrder>;
    const line = order.lines[1] as unknown as Record<string, unknown>;
    line['unitPrice'] = { amount: 20, currency: 'GBP' };
    order.totals.total = { amount: '55.99', currency: 'XXQ' };
    order.updatedAt = '2026-03-15T12:02:00+01:00';
    order['shippingMethod'] = 'express';
    const result = validateCanonical('commerce.order@1', order);
    expect(result.valid).toBe(false);
    expect(result.issues.map((issue) => [issue.pointer, issue.rule])).toEqual(
      expect.arrayContaining([
        ['/lines/1/unitPrice/amount', 'type'],
        ['/totals/total/currency', 'format'],
        ['/updatedAt', 'pattern'],
        ['/shippingMethod', 'additionalProperties'],
      ]),
    );
  });

  it('rejects a status outside the closed enum and a missing field', () => {
    const order = shopifyLikeOrder() as unknown as Record<string, unknown>;
    order['status'] = { value: 'shipped', native: 'shipped' };
    delete order['totals'];
    const { issues } = validateCanonical('commerce.order', order);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/status/value', rule: 'enum' }),
        expect.objectContaining({ pointer: '/totals', rule: 'required' }),
      ]),
    );
  });

  it('assertCanonical throws a coded error listing the pointers', () => {
    const order = { ...shopifyLikeOrder(), currency: 'pounds' };
    let error: unknown;
    try {
      assertCanonical('commerce.order@1', order);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PullPushError);
    expect(error).toMatchObject({ code: 'CANONICAL_INVALID_RECORD', issues: [expect.objectContaining({ pointer: '/currency' })] });
    expect((error as Error).message).toContain('/currency');
  });
});
