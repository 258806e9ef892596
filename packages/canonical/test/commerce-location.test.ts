import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { shopifyLikeLocation } from './fixtures/commerce-location.ts';

type Loose = Record<string, unknown>;
const rules = (value: unknown) =>
  validateCanonical('commerce.location@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('commerce.location@1', () => {
  it('accepts a Shopify-like location', () => {
    expect(validateCanonical('commerce.location@1', shopifyLikeLocation()).issues).toEqual([]);
  });

  it('accepts a virtual location without an address', () => {
    const location = { ...shopifyLikeLocation(), kind: { value: 'virtual', native: 'app' }, address: null, active: null };
    expect(validateCanonical('commerce.location@1', location).issues).toEqual([]);
  });

  it('rejects an unknown kind, a lower-case country and a text flag', () => {
    const location = shopifyLikeLocation() as unknown as Loose;
    location['kind'] = { value: 'depot', native: 'depot' };
    (location['address'] as Loose)['country'] = 'gb';
    location['active'] = 'yes';
    expect(rules(location)).toEqual([
      ['/kind/value', 'enum'],
      ['/address/country', 'pattern'],
      ['/active', 'type'],
    ]);
  });

  it('rejects a missing name and an unknown field', () => {
    const location = shopifyLikeLocation() as unknown as Loose;
    delete location['name'];
    location['legacy'] = false;
    expect(rules(location)).toEqual([
      ['/name', 'required'],
      ['/legacy', 'additionalProperties'],
    ]);
  });
});
