// The generic collections, served in every pagination style the DSL knows, one path prefix per style:
//   /cursor/{r}         ?limit&cursor           → { data, next_cursor, has_more }
//   /cursor-header/{r}  ?limit&cursor           → [ … ] with X-Next-Cursor
//   /offset/{r}         ?offset&limit           → { items, total, offset, limit }
//   /page/{r}           ?page&per_page          → { results, page, per_page, total_pages, total }
//   /link/{r}           ?page&per_page          → [ … ] with Link: <…>; rel="next"
//   /next-url/{r}       ?limit&page_token       → { records, next } (relative URL; ?absolute=true for absolute)
//   /after/{r}          ?after|before&limit     → [ … ] in id order, no paging metadata at all
// Each also answers /{style}/{parent}/{id}/{child} (e.g. /cursor/tickets/10001/comments). The server's
// pagination settings cap page sizes, add totals in headers and write numbers as strings.
import type { AnyRecord, Id } from '../data/types.ts';
import { intParam, jsonReply, pointNextUrl, problem, selfUrl, type Reply, type RequestContext } from '../http.ts';
import { listRequest } from '../listing.ts';
import { keysetPage, linkHeader, numberedPage, offsetPage } from '../paging.ts';
import type { Route, Services } from '../router.ts';
import type { Settings } from '../settings.ts';
import { compareIds } from '../store.ts';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../settings.ts';

type Handler = (ctx: RequestContext, records: readonly AnyRecord[], settings: Settings) => Reply;

/** Selects the records, then lets the style cut and wrap them. */
function listRoute(handler: Handler) {
  return (ctx: RequestContext, { store, settings }: Services): Reply => {
    const list = listRequest(ctx, store);
    return list.ok ? handler(ctx, list.value.records, settings) : list.reply;
  };
}

function limitOf(ctx: RequestContext, settings: Settings, name = 'limit') {
  return intParam(ctx, 'generic', name, { default: settings.defaultPageSize, min: 1, max: settings.maxPageSize });
}

/** Counts as the body writes them: numbers, or their decimal text when the API types them as strings. */
function counted(settings: Settings): (n: number) => number | string {
  return settings.numbersAsStrings ? String : (n) => n;
}

/** X-Total-Count and X-Total-Pages, when the server is set to send totals in headers too. */
function totalHeaders(settings: Settings, total: number, pageSize: number): Record<string, string> {
  return settings.totalHeaders ? { 'x-total-count': String(total), 'x-total-pages': String(Math.ceil(total / pageSize)) } : {};
}

const cursorBody: Handler = (ctx, records, settings) => {
  const limit = limitOf(ctx, settings);
  if (!limit.ok) return limit.reply;
  const page = keysetPage(ctx, 'generic', records, ctx.query.get('cursor'), limit.value);
  if (!page.ok) return page.reply;
  return jsonReply(200, { data: page.value.records, next_cursor: page.value.next, has_more: page.value.next !== null });
};

const cursorHeader: Handler = (ctx, records, settings) => {
  const limit = limitOf(ctx, settings);
  if (!limit.ok) return limit.reply;
  const page = keysetPage(ctx, 'generic', records, ctx.query.get('cursor'), limit.value);
  if (!page.ok) return page.reply;
  return jsonReply(200, page.value.records, page.value.next === null ? {} : { 'x-next-cursor': page.value.next });
};

const offsetStyle: Handler = (ctx, records, settings) => {
  const offset = intParam(ctx, 'generic', 'offset', { default: 0, min: 0 });
  if (!offset.ok) return offset.reply;
  const limit = limitOf(ctx, settings);
  if (!limit.ok) return limit.reply;
  const page = offsetPage(ctx, records, offset.value, limit.value);
  const number = counted(settings);
  return jsonReply(
    200,
    { items: page.records, total: number(page.total), offset: number(offset.value), limit: number(limit.value) },
    totalHeaders(settings, page.total, limit.value),
  );
};

const pageStyle: Handler = (ctx, records, settings) => {
  const page = intParam(ctx, 'generic', 'page', { default: 1, min: 1 });
  if (!page.ok) return page.reply;
  const perPage = limitOf(ctx, settings, 'per_page');
  if (!perPage.ok) return perPage.reply;
  const result = numberedPage(ctx, records, page.value, perPage.value);
  const number = counted(settings);
  return jsonReply(
    200,
    { results: result.records, page: number(page.value), per_page: number(perPage.value), total_pages: number(result.totalPages), total: number(result.total) },
    totalHeaders(settings, result.total, perPage.value),
  );
};

const linkStyle: Handler = (ctx, records, settings) => {
  const page = intParam(ctx, 'generic', 'page', { default: 1, min: 1 });
  if (!page.ok) return page.reply;
  const perPage = limitOf(ctx, settings, 'per_page');
  if (!perPage.ok) return perPage.reply;
  const result = numberedPage(ctx, records, page.value, perPage.value);
  return jsonReply(200, result.records, {
    link: pageLinks(ctx, page.value, result.totalPages, perPage.value),
    'x-total-count': String(result.total),
  });
};

/** first/prev/next/last links as GitHub sends them; next follows the paging faults. */
export function pageLinks(ctx: RequestContext, page: number, totalPages: number, perPage: number, pageParam = 'page', perPageParam = 'per_page'): string {
  const at = (n: number) => selfUrl(ctx, { [pageParam]: n, [perPageParam]: perPage });
  const endless = ctx.paging?.kind === 'endlessCursor';
  const nextPage = endless ? 2 : page + 1;
  const last = Math.max(totalPages, 1);
  // trailingEmptyPage: the last page links on to the (empty) page after it, which links nowhere.
  const trailing = ctx.paging?.kind === 'trailingEmptyPage' && page === totalPages;
  return linkHeader({
    first: page > 1 ? at(1) : undefined,
    prev: page > 1 ? at(page - 1) : undefined,
    next: nextPage <= totalPages || trailing ? pointNextUrl(ctx, at(nextPage)) : undefined,
    last: page < last ? at(last) : undefined,
  });
}

const nextUrlStyle: Handler = (ctx, records, settings) => {
  const limit = limitOf(ctx, settings);
  if (!limit.ok) return limit.reply;
  const page = keysetPage(ctx, 'generic', records, ctx.query.get('page_token'), limit.value);
  if (!page.ok) return page.reply;
  const absolute = ctx.query.get('absolute') === 'true' || ctx.paging?.kind === 'foreignNextLink';
  const next = page.value.next === null ? null : pointNextUrl(ctx, selfUrl(ctx, { page_token: page.value.next, limit: limit.value }, absolute));
  return jsonReply(200, { records: page.value.records, next });
};

/**
 * Bare arrays paged by the last id seen, with no paging metadata at all: ?after=<id> gives the records with larger
 * ids in ascending order; ?before=<id> alone gives those with smaller ids, largest first, so the client always
 * continues from the last item; both give the ids between, ascending. Ids compare as stored: numbers numerically,
 * strings as text. An empty array is the end.
 */
const afterIdStyle: Handler = (ctx, records, settings) => {
  const limit = limitOf(ctx, settings);
  if (!limit.ok) return limit.reply;
  const numeric = typeof records[0]?.id === 'number';
  const bound = (name: 'after' | 'before'): Id | undefined | Reply => {
    const raw = ctx.query.get(name);
    if (raw === null || raw === '') return undefined;
    if (!numeric) return raw;
    return /^-?\d+$/.test(raw) ? Number(raw) : problem('generic', 400, 'invalid_parameter', `${name} must be an id of this collection, got "${raw}"`);
  };
  const after = bound('after');
  const before = bound('before');
  if (typeof after === 'object') return after;
  if (typeof before === 'object') return before;
  const descending = before !== undefined && after === undefined;
  const chosen = records
    .filter((record) => (after === undefined || compareIds(record.id, after) > 0) && (before === undefined || compareIds(record.id, before) < 0))
    .sort((a, b) => compareIds(a.id, b.id) * (descending ? -1 : 1));
  return jsonReply(200, chosen.slice(0, limit.value));
};

const STYLES: readonly (readonly [prefix: string, handler: Handler])[] = [
  ['cursor', cursorBody],
  ['cursor-header', cursorHeader],
  ['offset', offsetStyle],
  ['page', pageStyle],
  ['link', linkStyle],
  ['next-url', nextUrlStyle],
  ['after', afterIdStyle],
];

export const styleRoutes: Route[] = STYLES.flatMap(([prefix, handler]) => {
  const handle = listRoute(handler);
  return [
    { method: 'GET', pattern: `/${prefix}/:resource`, style: 'generic', authenticated: true, handle },
    { method: 'GET', pattern: `/${prefix}/:parent/:id/:child`, style: 'generic', authenticated: true, handle },
  ] satisfies Route[];
});
