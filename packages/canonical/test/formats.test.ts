import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDate, isDateTime, validateCanonical } from '../src/index.ts';

// ajv-formats' own "full" implementations serve as the oracle for ours.
const plugin: FormatsPlugin = formatsModule.default ?? (formatsModule as unknown as FormatsPlugin);
const oracle = (name: 'date-time' | 'date') => (plugin.get(name, 'full') as { validate: (text: string) => boolean }).validate;
const dateTimeOracle = oracle('date-time');
const dateOracle = oracle('date');

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const nearDateTime = fc
  .tuple(digits(4), digits(2), digits(2), fc.constantFrom('T', 't', ' ', 'X'), digits(2), digits(2), digits(2),
    fc.constantFrom('', '.5', '.123456789'), fc.constantFrom('Z', 'z', '', '+01:00', '-05:30', '+24:00', '-23:59'))
  .map(([y, mo, d, sep, h, mi, s, frac, tz]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${tz}`);

describe('isDateTime / isDate', () => {
  it('agree with ajv-formats on near-valid and arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(nearDateTime, fc.string()), (text) => {
        expect(isDateTime(text)).toBe(dateTimeOracle(text));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.tuple(digits(4), digits(2), digits(2)).map((p) => p.join('-')), fc.string()), (text) => {
        expect(isDate(text)).toBe(dateOracle(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every instant JavaScript can print and rejects impossible dates', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        expect(isDateTime(date.toISOString())).toBe(true);
      }),
    );
    expect(isDateTime('2026-02-29T10:00:00Z')).toBe(false);
    expect(isDateTime('2024-02-29T10:00:00Z')).toBe(true);
    expect(isDateTime('2026-12-31T23:59:60Z')).toBe(true);
    expect(isDateTime('2026-12-31T22:59:60Z')).toBe(false);
    expect(isDate('2026-04-31')).toBe(false);
  });
});

describe('decimal strings', () => {
  const gbp = (amount: unknown) => ({ amount, currency: 'GBP' });

  it('accept plain decimals and refuse floats, exponents, leading zeros and absurd lengths', () => {
    const money = (amount: unknown) => {
      const { issues } = validateCanonical('accounting.payment@1', { amount: gbp(amount) });
      return issues.filter((issue) => issue.pointer.startsWith('/amount'));
    };
    for (const ok of ['0', '0.00', '-12.5', '19.99', '1234567890.123456789']) expect(money(ok)).toEqual([]);
    for (const bad of ['1e3', '01.5', '.5', '5.', '+1', '1,50', ' 1', '']) {
      expect(money(bad)).toEqual([expect.objectContaining({ pointer: '/amount/amount', rule: 'pattern' })]);
    }
    expect(money(19.99)).toEqual([expect.objectContaining({ pointer: '/amount/amount', rule: 'type' })]);
    expect(money('9'.repeat(65))).toEqual([expect.objectContaining({ pointer: '/amount/amount', rule: 'maxLength' })]);
  });
});
