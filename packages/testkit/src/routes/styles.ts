// The generic collections, served in every pagination style the DSL knows, one path prefix per style:
//   /cursor/{r}         ?limit&cursor           → { data, next_cursor, has_more }
//   /cursor-header/{r}  ?limit&cursor           → [ … ] with X-Next-Cursor
//   /offset/{r}         ?offset&limit           → { items, total, offset, limit }
//   /page/{r}           ?page&per_page          → { results, page, per_page, total_pages, total }
//   /link/{r}           ?page&per_page          → [ … ] with Link: <…>; rel="next"
//   /next-url/{r}       ?limit&page_token       → { records, next } (relative URL; ?absolute=true for absolute)
// Each also answers /{style}/{parent}/{id}/{child} (e.g. /cursor/tickets/10001/comments).
import { intParam, jsonReply, pointNextUrl, selfUrl, type Reply, type RequestContext } from '../http.ts';
import { listRequest } from '../listing.ts';
import { keysetPage, linkHeader, numberedPage, offsetPage } from '../paging.ts';
import type { AnyRecord } from '../data/types.ts';
import type { Route, Services } from '../router.ts';

/** Page sizes of the generic styles: 10 unless asked, never more than 100. */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

type Handler = (ctx: RequestContext, records: readonly AnyRecord[]) => Reply;

/** Selects the records, then lets the style cut and wrap them. */
function listRoute(handler: Handler) {
  return (ctx: RequestContext, { store }: Services): Reply => {
    const list = listRequest(ctx, store);
    return list.ok ? handler(ctx, list.value.records) : list.reply;
  };
}

function limitOf(ctx: RequestContext, name = 'limit') {
  return intParam(ctx, 'generic', name, { default: DEFAULT_PAGE_SIZE, min: 1, max: MAX_PAGE_SIZE });
}

const cursorBody: Handler = (ctx, records) => {
  const limit = limitOf(ctx);
  if (!limit.ok) return limit.reply;
  const page = keysetPage(ctx, 'generic', records, ctx.query.get('cursor'), limit.value);
  if (!page.ok) return page.reply;
  return jsonReply(200, { data: page.value.records, next_cursor: page.value.next, has_more: page.value.next !== null });
};

const cursorHeader: Handler = (ctx, records) => {
  const limit = limitOf(ctx);
  if (!limit.ok) return limit.reply;
  const page = keysetPage(ctx, 'generic', records, ctx.query.get('cursor'), limit.value);
  if (!page.ok) return page.reply;
  return jsonReply(200, page.value.records, page.value.next === null ? {} : { 'x-next-cursor': page.value.next });
};

const offsetStyle: Handler = (ctx, records) => {
  const offset = intParam(ctx, 'generic', 'offset', { default: 0, min: 0 });
  if (!offset.ok) return offset.reply;
  const limit = limitOf(ctx);
  if (!limit.ok) return limit.reply;
  const page = offsetPage(ctx, records, offset.value, limit.value);
  return jsonReply(200, { items: page.records, total: page.total, offset: offset.value, limit: limit.value });
};

const pageStyle: Handler = (ctx, records) => {
  const page = intParam(ctx, 'generic', 'page', { default: 1, min: 1 });
  if (!page.ok) return page.reply;
  const perPage = limitOf(ctx, 'per_page');
  if (!perPage.ok) return perPage.reply;
  const result = numberedPage(ctx, records, page.value, perPage.value);
  return jsonReply(200, { results: result.records, page: page.value, per_page: perPage.value, total_pages: result.totalPages, total: result.total });
};

const linkStyle: Handler = (ctx, records) => {
  const page = intParam(ctx, 'generic', 'page', { default: 1, min: 1 });
  if (!page.ok) return page.reply;
  const perPage = limitOf(ctx, 'per_page');
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
  return linkHeader({
    first: page > 1 ? at(1) : undefined,
    prev: page > 1 ? at(page - 1) : undefined,
    next: nextPage <= totalPages ? pointNextUrl(ctx, at(nextPage)) : undefined,
    last: page < last ? at(last) : undefined,
  });
}

const nextUrlStyle: Handler = (ctx, records) => {
  const limit = limitOf(ctx);
  if (!limit.ok) return limit.reply;
  const page = keysetPage(ctx, 'generic', records, ctx.query.get('page_token'), limit.value);
  if (!page.ok) return page.reply;
  const absolute = ctx.query.get('absolute') === 'true' || ctx.paging?.kind === 'foreignNextLink';
  const next = page.value.next === null ? null : pointNextUrl(ctx, selfUrl(ctx, { page_token: page.value.next, limit: limit.value }, absolute));
  return jsonReply(200, { records: page.value.records, next });
};

const STYLES: readonly (readonly [prefix: string, handler: Handler])[] = [
  ['cursor', cursorBody],
  ['cursor-header', cursorHeader],
  ['offset', offsetStyle],
  ['page', pageStyle],
  ['link', linkStyle],
  ['next-url', nextUrlStyle],
];

export const styleRoutes: Route[] = STYLES.flatMap(([prefix, handler]) => {
  const handle = listRoute(handler);
  return [
    { method: 'GET', pattern: `/${prefix}/:resource`, style: 'generic', authenticated: true, handle },
    { method: 'GET', pattern: `/${prefix}/:parent/:id/:child`, style: 'generic', authenticated: true, handle },
  ] satisfies Route[];
});
