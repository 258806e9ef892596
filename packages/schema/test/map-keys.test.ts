// Maps (streams, headers, mapped fields, writes) check their keys: a bad name is reported, not ignored.
import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../src/index.ts';
import { shopDefinition } from './fixtures.ts';

describe('map keys', () => {
  it('refuses a stream name that is not lower snake case, and checks nothing silently', () => {
    const doc = shopDefinition();
    doc['streams']['Customers'] = { foo: 1 };
    expect(validateDefinition(doc).errors).toEqual([
      expect.objectContaining({ code: 'DSL_INVALID_VALUE', pointer: '/streams/Customers', message: expect.stringContaining('is not a valid name here') }),
    ]);
  });

  it('refuses a header name with a space and a write key that is not a canonical type reference', () => {
    const doc = shopDefinition();
    doc['http']['headers'] = { 'Bad Header': 'x' };
    doc['writes'] = { 'CRM.Contact': {} };
    const pointers = validateDefinition(doc).errors.map((error) => `${error.code} ${error.pointer}`);
    expect(pointers).toEqual(expect.arrayContaining(['DSL_INVALID_VALUE /http/headers/Bad Header', 'DSL_INVALID_VALUE /writes/CRM.Contact']));
  });
});
