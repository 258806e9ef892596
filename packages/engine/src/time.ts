// Timestamps as APIs write them. A timestamp without a zone (`2026-01-15T08:31:07`, WordPress's modified_gmt) is
// read in the definition's time zone (UTC unless it declares another), never in the host's: the same inputs give
// the same requests on any machine. Formatting keeps an API's own style, so a cursor goes back the way it came.
import { PullPushError } from '@pullpush/canonical';
import { EngineErrorCode } from './errors.ts';

/** ISO 8601 date, optional time (T or space), fraction and zone: the parts a timestamp is written with. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** How a timestamp was written, so another instant can be written the same way. */
export interface TimestampStyle {
  /** No time part: a calendar date. */
  dateOnly: boolean;
  separator: 'T' | ' ';
  seconds: boolean;
  /** Digits after the seconds (0: none). */
  fraction: number;
  /** `Z`, an offset as written (`+02:00`, `+0200`, `+02`), or none: the definition's zone. */
  zone: string | undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    } catch {
      throw new PullPushError(EngineErrorCode.InvalidDefinition, `"${zone}" is not a time zone.`, { hint: 'Use an IANA time zone name in the definition\'s timeZone: UTC, Europe/Berlin, America/New_York.' });
    }
    formatters.set(zone, format);
  }
  return format;
}

/** Milliseconds to add to UTC to get the wall-clock time of `zone` at `instant`. */
export function zoneOffsetMs(zone: string, instant: number): number {
  if (zone === 'UTC') return 0;
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(instant))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts['year'] as number, (parts['month'] as number) - 1, parts['day'] as number, parts['hour'] as number, parts['minute'] as number, parts['second'] as number);
  return wall - Math.floor(instant / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/**
 * The instant a wall-clock time of `zone` names. The offsets a day before and after are the two a transition near
 * it can have; a candidate is right when it shows that wall-clock time. In an hour the clock repeats both are: the
 * earlier wins. In a gap (the hour skipped) neither is: the offset from before the gap reads it, as clocks do.
 */
function fromWallClock(wall: number, zone: string): number {
  if (zone === 'UTC') return wall;
  const before = zoneOffsetMs(zone, wall - DAY_MS);
  const after = zoneOffsetMs(zone, wall + DAY_MS);
  const fits = [wall - before, wall - after].filter((candidate) => candidate + zoneOffsetMs(zone, candidate) === wall);
  return fits.length > 0 ? Math.min(...fits) : wall - before;
}

function offsetMs(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
}

export interface ParsedTimestamp {
  instant: number;
  style: TimestampStyle;
}

/** Reads an ISO 8601 timestamp; without a zone it is a wall-clock time of `zone`. Undefined when it is not one. */
export function parseTimestamp(text: string, zone = 'UTC'): ParsedTimestamp | undefined {
  const match = ISO.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, separator, hour, minute, second, fraction, designator] = match;
  const milliseconds = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000;
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0)) + Math.floor(milliseconds);
  if (!Number.isFinite(wall)) return undefined;
  const check = new Date(wall);
  if (check.getUTCDate() !== Number(day) || check.getUTCMonth() !== Number(month) - 1) return undefined;
  const instant = designator === undefined ? fromWallClock(wall, zone) : wall - offsetMs(designator);
  return {
    instant,
    style: {
      dateOnly: hour === undefined,
      separator: separator === ' ' ? ' ' : 'T',
      seconds: second !== undefined,
      fraction: fraction?.length ?? 0,
      zone: designator,
    },
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Writes `instant` in `style`; a zone-less style writes the wall-clock time of `zone`. */
export function formatTimestamp(instant: number, style: TimestampStyle, zone = 'UTC'): string {
  const shift = style.zone === undefined ? zoneOffsetMs(zone, instant) : offsetMs(style.zone);
  const wall = new Date(instant + shift);
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  if (style.dateOnly) return date;
  let time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
  if (style.seconds) time += `:${pad(wall.getUTCSeconds())}`;
  if (style.seconds && style.fraction > 0) time += `.${pad(wall.getUTCMilliseconds(), 3).padEnd(style.fraction, '0').slice(0, style.fraction)}`;
  return `${date}${style.separator}${time}${style.zone ?? ''}`;
}

/** UTC ISO 8601 with whole seconds: 2026-11-29T22:20:58Z (rounded down, so an inclusive filter reads a little more). */
export function isoSeconds(instant: number): string {
  return formatTimestamp(instant, { dateOnly: false, separator: 'T', seconds: true, fraction: 0, zone: 'Z' });
}

export function isoMillis(instant: number): string {
  return new Date(instant).toISOString();
}

/** The calendar date of `instant` in `zone`. */
export function dateIn(instant: number, zone = 'UTC'): string {
  return formatTimestamp(instant, { dateOnly: true, separator: 'T', seconds: false, fraction: 0, zone: undefined }, zone);
}
