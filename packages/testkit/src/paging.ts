// Cutting a sorted list into pages, shared by every pagination style. The endlessCursor fault is applied
// here: every request then gets the first page again and a pointer to "more", so clients must detect the loop.
// So is trailingEmptyPage: a last page that is not empty still points at a next one, which is empty.
import type { AnyRecord } from './data/types.ts';
import { decodeCursor, encodeCursor, indexAfter, keyOf } from './cursor.ts';
import { problem, type ApiStyle, type Parsed, type RequestContext } from './http.ts';

export interface KeysetPage {
  records: AnyRecord[];
  /** Cursor of the next page; null on the last page. */
  next: string | null;
}

/** A page after the record a cursor names (or the first page without one). */
export function keysetPage(ctx: RequestContext, style: ApiStyle, sorted: readonly AnyRecord[], cursor: string | null, limit: number): Parsed<KeysetPage> {
  let start = 0;
  if (cursor !== null && cursor !== '') {
    const key = decodeCursor(cursor);
    if (key === undefined) return { ok: false, reply: problem(style, 400, 'invalid_cursor', `cursor "${cursor}" is not one this API issued`) };
    start = ctx.paging?.kind === 'endlessCursor' ? 0 : indexAfter(sorted, key);
  }
  const records = sorted.slice(start, start + limit);
  const last = records[records.length - 1];
  const trailing = ctx.paging?.kind === 'trailingEmptyPage' && records.length > 0;
  const more = start + limit < sorted.length || ctx.paging?.kind === 'endlessCursor' || trailing;
  const next = more ? encodeCursor(last === undefined ? ['1970-01-01T00:00:00Z', 0] : keyOf(last)) : null;
  return { ok: true, value: { records, next } };
}

export interface OffsetPage<T = AnyRecord> {
  records: T[];
  /** What the response claims the total is: under endlessCursor, always more than what was asked for. */
  total: number;
}

/** The records from `offset`, at most `limit` of them. */
export function offsetPage<T>(ctx: RequestContext, sorted: readonly T[], offset: number, limit: number): OffsetPage<T> {
  if (ctx.paging?.kind === 'endlessCursor') return { records: sorted.slice(0, limit), total: Math.max(sorted.length, offset + limit + 1) };
  return { records: sorted.slice(offset, offset + limit), total: sorted.length };
}

/** Page `page` (1-based) of `perPage` records, and how many pages there are. */
export function numberedPage<T>(ctx: RequestContext, sorted: readonly T[], page: number, perPage: number): OffsetPage<T> & { totalPages: number } {
  const totalPages = Math.ceil(sorted.length / perPage);
  if (ctx.paging?.kind === 'endlessCursor') return { records: sorted.slice(0, perPage), total: sorted.length, totalPages: Math.max(totalPages, page + 1) };
  return { records: sorted.slice((page - 1) * perPage, page * perPage), total: sorted.length, totalPages };
}

/** An RFC 8288 Link header value from rel → URL. */
export function linkHeader(links: Record<string, string | undefined>): string {
  return Object.entries(links)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([rel, url]) => `<${url}>; rel="${rel}"`)
    .join(', ');
}
