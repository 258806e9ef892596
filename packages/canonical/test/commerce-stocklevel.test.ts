import { describe, expect, it } from 'vitest';
import { getCanonicalType, validateCanonical } from '../src/index.ts';
import { shopifyLikeStockLevel } from './fixtures/commerce-stocklevel.ts';

type Loose = Record<string, unknown>;
const rules = (value: unknown) =>
  validateCanonical('commerce.stocklevel@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('commerce.stocklevel@1', () => {
  it('accepts a Shopify-like stock level', () => {
    expect(validateCanonical('commerce.stocklevel@1', shopifyLikeStockLevel()).issues).toEqual([]);
  });

  it('is keyed by SKU and location, not by the source identity', () => {
    expect(getCanonicalType('commerce.stocklevel@1').key).toEqual(['sku', 'locationId']);
  });

  it('accepts an unknown quantity and keeps it null: validation never coerces', () => {
    const level = { ...shopifyLikeStockLevel(), quantity: null, available: null };
    const result = validateCanonical<typeof level>('commerce.stocklevel@1', level);
    expect(result.issues).toEqual([]);
    expect(level.quantity).toBeNull();
    expect(level.available).toBeNull();
    expect(result.valid && result.value.quantity).toBeNull();
  });

  it('accepts a real zero and keeps it 0', () => {
    const level = { ...shopifyLikeStockLevel(), quantity: 0, available: 0 };
    const result = validateCanonical<typeof level>('commerce.stocklevel@1', level);
    expect(result.issues).toEqual([]);
    expect(level.quantity).toBe(0);
  });

  it('accepts negative on-hand and available counts (oversold)', () => {
    const level = { ...shopifyLikeStockLevel(), quantity: -2, available: -7 };
    expect(validateCanonical('commerce.stocklevel@1', level).issues).toEqual([]);
  });

  it('rejects a fractional quantity', () => {
    expect(rules({ ...shopifyLikeStockLevel(), quantity: 1.5 })).toEqual([['/quantity', 'type']]);
  });

  it('rejects a quantity written as text and does not coerce it', () => {
    const level = { ...shopifyLikeStockLevel(), quantity: '3' };
    expect(rules(level)).toEqual([['/quantity', 'type']]);
    expect(level.quantity).toBe('3');
  });

  it('rejects a negative committed count', () => {
    expect(rules({ ...shopifyLikeStockLevel(), committed: -1 })).toEqual([['/committed', 'minimum']]);
  });

  it('requires the key fields: a SKU and a location, neither null nor empty', () => {
    const level = shopifyLikeStockLevel() as unknown as Loose;
    delete level['sku'];
    level['locationId'] = null;
    expect(rules(level)).toEqual([
      ['/sku', 'required'],
      ['/locationId', 'type'],
    ]);
    expect(rules({ ...shopifyLikeStockLevel(), sku: '' })).toEqual([['/sku', 'minLength']]);
  });

  it('rejects unknown fields', () => {
    expect(rules({ ...shopifyLikeStockLevel(), onHand: 42 })).toEqual([['/onHand', 'additionalProperties']]);
  });
});
