import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { shopifyLikeCustomer } from './fixtures/commerce-customer.ts';

type Loose = Record<string, unknown>;
const rules = (value: unknown) =>
  validateCanonical('commerce.customer@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('commerce.customer@1', () => {
  it('accepts a Shopify-like customer', () => {
    expect(validateCanonical('commerce.customer@1', shopifyLikeCustomer()).issues).toEqual([]);
  });

  it('accepts a customer with no data: nulls and empty lists', () => {
    const customer = {
      ...shopifyLikeCustomer(),
      firstName: null, lastName: null, email: null, phone: null, addresses: [], defaultAddress: null,
      acceptsMarketing: null, totalSpent: null, ordersCount: null, tags: [], locale: null, taxExempt: null,
    };
    expect(validateCanonical('commerce.customer@1', customer).issues).toEqual([]);
  });

  it('rejects total spent as a float, a fractional orders count and an unknown state', () => {
    const customer = shopifyLikeCustomer() as unknown as Loose;
    customer['totalSpent'] = { amount: 412.37, currency: 'GBP' };
    customer['ordersCount'] = 7.5;
    customer['state'] = { value: 'banned', native: 'banned' };
    expect(rules(customer)).toEqual([
      ['/state/value', 'enum'],
      ['/totalSpent/amount', 'type'],
      ['/ordersCount', 'type'],
    ]);
  });

  it('rejects a bad email, an address with an unknown field, a missing field and an extra field', () => {
    const customer = shopifyLikeCustomer() as unknown as Loose;
    customer['email'] = 'not-an-email';
    (customer['addresses'] as Loose[])[1] = { ...(customer['addresses'] as Loose[])[1], province_code: 'ENG' };
    delete customer['state'];
    customer['verifiedEmail'] = true;
    expect(rules(customer)).toEqual(
      expect.arrayContaining([
        ['/email', 'format'],
        ['/addresses/1/province_code', 'additionalProperties'],
        ['/state', 'required'],
        ['/verifiedEmail', 'additionalProperties'],
      ]),
    );
    expect(rules(customer)).toHaveLength(4);
  });
});
