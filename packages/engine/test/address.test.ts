import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../src/index.ts';

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '224.0.0.1', 'not-an-ip'])(
    'refuses %s',
    (address) => {
      expect(isPrivateAddress(address)).toBe(true);
    },
  );

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('IPv6 forms that embed an IPv4 address', () => {
  it('are judged as the IPv4 address they carry, however they are written (property)', () => {
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), fc.boolean(), ([a, b, c, d], upper) => {
        const ipv4 = `${a}.${b}.${c}.${d}`;
        const expected = isPrivateAddress(ipv4);
        const forms = [`::ffff:${ipv4}`, `::ffff:${hex(a, b)}:${hex(c, d)}`, `::ffff:0:${hex(a, b)}:${hex(c, d)}`, `::ffff:0:${ipv4}`, `2002:${hex(a, b)}:${hex(c, d)}::1`, `0:0:0:0:0:ffff:${hex(a, b)}:${hex(c, d)}`];
        for (const form of forms) expect([form, isPrivateAddress(upper ? form.toUpperCase() : form)]).toEqual([form, expected]);
        // The deprecated IPv4-compatible form is never public.
        expect(isPrivateAddress(`::${hex(a, b)}:${hex(c, d)}`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

