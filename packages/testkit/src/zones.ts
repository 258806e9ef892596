// Wall-clock times in a named time zone, for APIs that write local times without an offset (WordPress's `date`
// and `modified`) and read zone-less times in the site's zone. Offsets, daylight saving time included, come from
// Intl; nothing here reads the machine's own time zone.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The wall-clock time in `zone` at an instant, to the second, without an offset: 2026-01-15T03:31:07. */
export function localTime(ms: number, zone: string): string {
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(new Date(Math.floor(ms / 1000) * 1000))) parts[part.type] = part.value;
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

/** The zone-less UTC form of an instant, to the second: 2026-01-15T08:31:07 (WordPress's `*_gmt` fields). */
export function utcTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds (negative west of Greenwich). */
export function zoneOffset(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return Date.parse(`${localTime(whole, zone)}Z`) - whole;
}

const DAY_MS = 86_400_000;

/**
 * The instant a zone-less wall-clock time (2026-03-08T02:30:00, fractions allowed) names in `zone`. A time that
 * occurs twice (when clocks go back) is its first occurrence; a time that never occurs (when clocks go forward)
 * is read with the offset from before the change, so it lands after the gap, as PHP's DateTime does.
 */
export function fromLocalTime(wall: string, zone: string): number {
  const asUtc = Date.parse(`${wall}Z`);
  const before = zoneOffset(asUtc - DAY_MS, zone);
  const after = zoneOffset(asUtc + DAY_MS, zone);
  const valid = [asUtc - before, asUtc - after].filter((instant) => zoneOffset(instant, zone) === asUtc - instant);
  return valid.length > 0 ? Math.min(...valid) : asUtc - before;
}
