import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDate, isDateTime, validateCanonical } from '../src/index.ts';

// ajv-formats' own "full" implementations serve as the oracle for ours.
const plugin: FormatsPlugin = formatsModule.default ?? (formatsModule as unknown as FormatsPlugin);
const oracle = (name: 'date-time' | 'date') => (plugin.get(name, 'full') as { validate: (text: string) => boolean }).validate;
/**
 * ajv-formats' date-time, less its one departure from RFC 3339: it reads an hour of 24 or a minute of 60 that comes
 * to 23:59 UTC with the offset as a leap second, whatever the seconds ("0000-01-01T24:59:00+01:00"). RFC 3339 has
 * no hour 24 and no minute 60; its leap second is second 60 at 23:59 UTC.
 */
function dateTimeOracle(text: string): boolean {
  const clock = /^\d{4}-\d{2}-\d{2}[Tt ](\d{2}):(\d{2}):/.exec(text);
  if (clock !== null && (Number(clock[1]) > 23 || Number(clock[2]) > 59)) return false;
  return oracle('date-time')(text);
}
const dateOracle = oracle('date');

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
/** Mostly in range (so the other parts decide), now and then any two digits. */
const part = (min: number, max: number) => fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max }).map((n) => String(n).padStart(2, '0')) }, { weight: 1, arbitrary: digits(2) });
const nearDateTime = fc
  .tuple(digits(4), part(1, 12), part(1, 31), fc.constantFrom('T', 't', ' ', 'X'), part(0, 23), part(0, 59), part(0, 60),
    fc.constantFrom('', '.5', '.123456789', '.'), fc.constantFrom('Z', 'z', '', '+01:00', '-05:30', '+24:00', '-23:59', '+00:60', 'Z0'))
  .map(([y, mo, d, sep, h, mi, s, frac, tz]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${tz}`);

/** The regular expression isDateTime replaced (RFC 3339 to the letter: an offset is ±HH:MM), as a reference. */
function referenceDateTime(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = match.slice(1).map((group) => Number(group ?? 0)) as number[];
  const leap = (year as number) % 4 === 0 && ((year as number) % 100 !== 0 || (year as number) % 400 === 0);
  const days = [0, 31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as number];
  if (days === undefined || (month as number) < 1 || (day as number) < 1 || (day as number) > days) return false;
  if ((hour as number) > 23 || (minute as number) > 59 || (offsetHours as number) > 23 || (offsetMinutes as number) > 59 || (second as number) > 60) return false;
  if ((second as number) < 60) return true;
  const sign = match[7] === '-' ? -1 : 1;
  return ((((hour as number) * 60 + (minute as number) - sign * ((offsetHours as number) * 60 + (offsetMinutes as number))) % 1440) + 1440) % 1440 === 23 * 60 + 59;
}

/** A near-valid timestamp with one character replaced, inserted or removed: every position's check is tried. */
const mutatedDateTime = fc
  .tuple(nearDateTime, fc.nat(40), fc.constantFrom('replace', 'insert', 'remove'), fc.constantFrom('0', '9', '-', ':', '.', 'T', 'Z', '+', ' ', '/', 'a', '\u0663', '\uff10'))
  .map(([text, at, edit, char]) => {
    const index = at % (text.length + 1);
    if (edit === 'insert') return text.slice(0, index) + char + text.slice(index);
    return text.slice(0, index) + (edit === 'replace' ? char : '') + text.slice(index + 1);
  });

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

  it('isDateTime reads character by character what the regular expression it replaced matched', () => {
    fc.assert(
      fc.property(fc.oneof(nearDateTime, mutatedDateTime, fc.string()), (text) => {
        expect(isDateTime(text)).toBe(referenceDateTime(text));
      }),
      { numRuns: 30000 },
    );
    // ajv-formats also takes +0100 and +01; RFC 3339 does not.
    expect(isDateTime('2026-01-01T00:00:00+0100')).toBe(false);
    expect(isDateTime('2026-01-01T00:00:00+01')).toBe(false);
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
    // 29 February: every fourth year, not a century's unless it divides by 400.
    expect(['1900-02-29', '2000-02-29', '2024-02-29', '2026-02-29', '2024-02-30'].map(isDate)).toEqual([false, true, true, false, false]);
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
