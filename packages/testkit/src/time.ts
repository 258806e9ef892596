// Timestamps. Data is spread over a fixed base date instead of "now", so it never changes between runs.

/** Every generated timestamp is at or after this instant. */
export const BASE_DATE = '2026-01-01T00:00:00Z';
export const BASE_MS = Date.parse(BASE_DATE);

const DAY_MS = 86_400_000;

/**
 * ISO 8601 UTC with second precision and a `Z`, the form of every record timestamp: 2026-01-15T08:31:07Z. Being
 * fixed-width, such strings sort by time as plain text, which keeps list routes fast.
 */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function daysAfterBase(days: number): number {
  return BASE_MS + days * DAY_MS;
}

/** Milliseconds of an ISO timestamp. */
export function timeOf(iso: string): number {
  return Date.parse(iso);
}

/** The canonical form: every record timestamp is written by isoSeconds, so their text order is their time order. */
export const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The earliest canonical timestamp at or after an instant: `updated_at >= sinceText(ms)` compares as text. */
export function atOrAfter(ms: number): string {
  return isoSeconds(Math.ceil(ms / 1000) * 1000);
}

/** Parses a timestamp given by a client (ISO 8601, with or without zone); undefined when it is not one. */
export function parseClientTime(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) || value.length === 10 ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function unixSeconds(iso: string): number {
  return Math.floor(timeOf(iso) / 1000);
}

/** Jira's timestamp form: 2026-01-15T08:31:07.000+0000. */
export function jiraTime(iso: string): string {
  return new Date(timeOf(iso)).toISOString().replace('Z', '+0000');
}

/** A calendar date (YYYY-MM-DD). */
export function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether YYYY-MM-DD names a real day (Date.parse rolls 2026-02-30 over to March; this does not). */
export function isCalendarDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}
