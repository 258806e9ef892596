import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../src/index.ts';
import { shopDefinition } from './fixtures.ts';

describe('expression variables', () => {
  it('allows JSONata context ($) and root ($$) in mappings', () => {
    const doc = shopDefinition();
    doc['streams']['customers']['mapping']['fields']['tags'] = { expr: "[tags.{ 'tag': $, 'customer': $$.id }].tag" };
    expect(validateDefinition(doc).errors).toEqual([]);
  });
});
