// The fast JSON canonicalization behind content digests writes exactly what RFC 8785 (the `canonicalize` library)
// writes, for every JSON value: property-tested over arbitrary documents, unicode and lone surrogates included.
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/jcs.ts';

function outcome(run: () => string | undefined): { text?: string | undefined; error?: string } {
  try {
    return { text: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const strings = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('\ud800', 'a\udc00b', '"\\\n\u2028', '\u007f', '€'));
const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    strings,
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(strings, tie('value'), { maxKeys: 6 }),
  ),
}));

describe('canonicalJson', () => {
  it('writes what RFC 8785 canonicalization writes, for any JSON value', () => {
    fc.assert(
      fc.property(json.value, (value) => {
        expect(outcome(() => canonicalJson(value))).toEqual(outcome(() => canonicalize(value)));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves out what JSON leaves out, and hands what is not plain data to the library', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [undefined, () => 1] })).toBe('{"b":1,"c":[null,null]}');
    expect(canonicalJson({ at: new Date(0) })).toBe(canonicalize({ at: new Date(0) }));
    expect(() => canonicalJson({ n: Number.NaN })).toThrow('NaN');
  });

  it('a document nested 100,000 levels deep is canonicalized without a stack overflow', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(canonicalJson(deep)).toBe(canonicalize(deep));
  });
});
