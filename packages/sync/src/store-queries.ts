// What the SQLite and PostgreSQL stores share in asking their tables: the WHERE clause of a checkpoint filter,
// and the instant of a stored version (records are compared by time, not by their text).
import type { StreamIdentity } from './destination.ts';

/** `WHERE connector = ? AND …` for the given parts of a stream identity; `placeholder(n)` writes the n-th value. */
export function filterClause(filter: Partial<StreamIdentity>, placeholder: (position: number) => string): { where: string; values: string[] } {
  const parts: string[] = [];
  const values: string[] = [];
  for (const column of ['connector', 'connection', 'stream'] as const) {
    const value = filter[column];
    if (value !== undefined) {
      values.push(value);
      parts.push(`${column} = ${placeholder(values.length)}`);
    }
  }
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', values };
}

/** Milliseconds of an ISO timestamp (or a Date, as PostgreSQL returns one), or undefined. */
export function instant(value: unknown): number | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}
