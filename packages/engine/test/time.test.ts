// Timestamps as APIs write them, and the waits they ask for: the parser and formatter of time.ts hold for every
// style an API may use (property tests), and retry-timing.ts reads every form of Retry-After and rate-limit reset.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestedWaitMs, retryAfterMs, windowResetMs } from '../src/net/retry-timing.ts';
import { formatTimestamp, parseTimestamp, zoneOffsetMs, type TimestampStyle } from '../src/time.ts';

const RUNS = { numRuns: 2000 };
const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];

const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) });
const offset = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45), fc.boolean()).map(([sign, hours, minutes, colon]) => {
  const hh = String(hours).padStart(2, '0');
  const mm = String(minutes).padStart(2, '0');
  return `${sign}${hh}${colon ? ':' : ''}${mm}`;
});
const style: fc.Arbitrary<TimestampStyle> = fc.record({
  dateOnly: fc.constant(false),
  separator: fc.constantFrom('T' as const, ' ' as const),
  seconds: fc.constant(true),
  fraction: fc.integer({ min: 0, max: 3 }),
  zone: fc.oneof(fc.constant('Z'), offset, fc.constant(undefined)),
});

describe('timestamps', () => {
  it('written in any style with a zone, read back to the same instant and style (to the precision written)', () => {
    fc.assert(
      fc.property(instant, style, fc.constantFrom(...ZONES), (ms, written, zone) => {
        fc.pre(written.zone !== undefined);
        const text = formatTimestamp(ms, written, zone);
        const parsed = parseTimestamp(text, zone);
        const precision = 10 ** (3 - written.fraction);
        expect(parsed?.instant).toBe(Math.floor(ms / precision) * precision);
        expect(parsed?.style).toEqual(written);
        expect(formatTimestamp(parsed?.instant as number, parsed?.style as TimestampStyle, zone)).toBe(text);
      }),
      RUNS,
    );
  });

  it('without a zone, a wall-clock time of the given zone: reading what was written writes it again, whatever DST did', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        const written: TimestampStyle = { dateOnly: false, separator: 'T', seconds: true, fraction: 0, zone: undefined };
        const text = formatTimestamp(ms, written, zone);
        const parsed = parseTimestamp(text, zone) as { instant: number };
        expect(formatTimestamp(parsed.instant, written, zone)).toBe(text);
        // In the hour a clock repeats, the earlier of the two instants: never one after the one written.
        expect(parsed.instant).toBeLessThanOrEqual(Math.floor(ms / 1000) * 1000);
        expect(Math.floor(ms / 1000) * 1000 - parsed.instant).toBeLessThanOrEqual(3_600_000);
      }),
      RUNS,
    );
  });

  it('a time without a zone is UTC by default, and the zone given otherwise', () => {
    expect(parseTimestamp('2026-01-15T08:31:07')?.instant).toBe(Date.parse('2026-01-15T08:31:07Z'));
    expect(parseTimestamp('2026-01-15T08:31:07', 'America/New_York')?.instant).toBe(Date.parse('2026-01-15T13:31:07Z'));
    expect(parseTimestamp('2026-07-15T08:31:07', 'America/New_York')?.instant).toBe(Date.parse('2026-07-15T12:31:07Z'));
    expect(parseTimestamp('2026-01-15', 'Europe/Berlin')?.instant).toBe(Date.parse('2026-01-14T23:00:00Z'));
    expect(zoneOffsetMs('Asia/Kolkata', Date.UTC(2026, 0, 1))).toBe(5.5 * 3_600_000);
  });

  it('refuses what is not a timestamp, whatever the text', () => {
    for (const text of ['yesterday', '2026-02-30T00:00:00Z', '2026-13-01', '20260101', '2026-01-01T25:00:00Z', '']) expect(parseTimestamp(text)).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseTimestamp(text);
        if (parsed) expect(Number.isFinite(parsed.instant)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('the waits an API asks for', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  const headers = (values: Record<string, string>) => new Headers(values);

  it('reads Retry-After as delay seconds or as an HTTP date', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 29 Nov 2026 12:00:45 GMT', now)).toBe(45_000);
    expect(retryAfterMs('Sun, 29 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('reads a rate-limit reset as delay seconds (RateLimit-Reset) or an epoch (X-RateLimit-Reset), only when nothing remains', () => {
    expect(windowResetMs(headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '7' }), undefined, now)).toBe(7000);
    expect(windowResetMs(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 12) }), undefined, now)).toBe(12_000);
    expect(windowResetMs(headers({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '7' }), undefined, now)).toBeUndefined();
    expect(windowResetMs(headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '7' }), 'x-ratelimit', now)).toBeUndefined();
    expect(windowResetMs(headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '7' }), 'none', now)).toBeUndefined();
  });

  it('Retry-After wins over a window reset', () => {
    expect(requestedWaitMs(headers({ 'retry-after': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '60' }), undefined, now)).toBe(2000);
  });
});
