import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { shopifyLikeFulfillment } from './fixtures/commerce-fulfillment.ts';

type Loose = Record<string, unknown>;
const at = (list: unknown, index: number) => (list as Loose[])[index] as Loose;
const rules = (value: unknown) =>
  validateCanonical('commerce.fulfillment@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('commerce.fulfillment@1', () => {
  it('accepts a Shopify-like fulfillment', () => {
    expect(validateCanonical('commerce.fulfillment@1', shopifyLikeFulfillment()).issues).toEqual([]);
  });

  it('rejects an unknown status, a fractional or negative line quantity and a local timestamp', () => {
    const fulfillment = shopifyLikeFulfillment() as unknown as Loose;
    fulfillment['status'] = { value: 'lost', native: 'lost' };
    at(fulfillment['lines'], 0)['quantity'] = 1.5;
    at(fulfillment['lines'], 1)['quantity'] = -1;
    fulfillment['shippedAt'] = '2026-03-14T16:12:00+01:00';
    expect(rules(fulfillment)).toEqual([
      ['/status/value', 'enum'],
      ['/lines/0/quantity', 'type'],
      ['/lines/1/quantity', 'minimum'],
      ['/shippedAt', 'pattern'],
    ]);
  });

  it('rejects a bad tracking URL, a line without quantity and unknown fields', () => {
    const fulfillment = shopifyLikeFulfillment() as unknown as Loose;
    at(fulfillment['tracking'], 0)['url'] = 'not a url';
    at(fulfillment['tracking'], 0)['company'] = 'Royal Mail';
    delete at(fulfillment['lines'], 1)['quantity'];
    fulfillment['notifyCustomer'] = true;
    expect(rules(fulfillment)).toEqual(
      expect.arrayContaining([
        ['/tracking/0/url', 'format'],
        ['/tracking/0/company', 'additionalProperties'],
        ['/lines/1/quantity', 'required'],
        ['/notifyCustomer', 'additionalProperties'],
      ]),
    );
    expect(rules(fulfillment)).toHaveLength(4);
  });
});
