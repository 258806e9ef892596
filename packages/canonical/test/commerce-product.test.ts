import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { shopifyLikeProduct } from './fixtures/commerce-product.ts';

type Loose = Record<string, unknown>;
const at = (list: unknown, index: number) => (list as Loose[])[index] as Loose;
const rules = (value: unknown) =>
  validateCanonical('commerce.product@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('commerce.product@1', () => {
  it('accepts a Shopify-like product with embedded variants', () => {
    expect(validateCanonical('commerce.product@1', shopifyLikeProduct()).issues).toEqual([]);
  });

  it('rejects a float price', () => {
    const product = shopifyLikeProduct();
    at(product.variants, 0)['price'] = { amount: 12.5, currency: 'GBP' };
    expect(rules(product)).toEqual([['/variants/0/price/amount', 'type']]);
  });

  it('rejects a weight unit and a status outside their enums', () => {
    const product = shopifyLikeProduct();
    at(product.variants, 1)['weightUnit'] = { value: 'stone', native: 'STONE' };
    product.status = { value: 'published', native: 'published' } as never;
    expect(rules(product)).toEqual([
      ['/status/value', 'enum'],
      ['/variants/1/weightUnit/value', 'enum'],
    ]);
  });

  it('rejects a weight given as text and a negative weight', () => {
    const product = shopifyLikeProduct();
    at(product.variants, 0)['weight'] = '0.35';
    at(product.variants, 1)['weight'] = -1;
    expect(rules(product)).toEqual([
      ['/variants/0/weight', 'type'],
      ['/variants/1/weight', 'minimum'],
    ]);
  });

  it('rejects a missing title, a variant without id and unknown fields', () => {
    const product = shopifyLikeProduct() as unknown as Loose;
    delete product['title'];
    product['bodyHtml'] = '<p>duplicate</p>';
    delete at(product['variants'], 1)['id'];
    at(at(product['variants'], 0)['options'], 0)['position'] = 1;
    at(product['images'], 0)['width'] = 800;
    expect(rules(product)).toEqual(
      expect.arrayContaining([
        ['/title', 'required'],
        ['/bodyHtml', 'additionalProperties'],
        ['/variants/1/id', 'required'],
        ['/variants/0/options/0/position', 'additionalProperties'],
        ['/images/0/width', 'additionalProperties'],
      ]),
    );
    expect(rules(product)).toHaveLength(5);
  });
});
