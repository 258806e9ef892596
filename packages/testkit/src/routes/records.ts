// The plain REST face of every resource, shaped like a shop API (the schema README's example definition):
//   GET /{r}          ?limit&cursor&updated_since&<field>=<value> → { <r>: [ … ], next_cursor, has_more }
//   GET /all/{r}      everything at once, streamed, for pagination kind "none" → { <r>: [ … ] }
//   GET /{r}/{id}     one record, bare; 404 when unknown or deleted
import { isResourceName } from '../data/dataset.ts';
import { inBatches, intParam, JSON_TYPE, jsonReply, problem, type Reply, type RequestContext } from '../http.ts';
import { listRequest } from '../listing.ts';
import { keysetPage } from '../paging.ts';
import type { Route, Services } from '../router.ts';

function shopList(ctx: RequestContext, { store }: Services): Reply {
  const list = listRequest(ctx, store);
  if (!list.ok) return list.reply;
  const limit = intParam(ctx, 'generic', 'limit', { default: 50, min: 1, max: 250 });
  if (!limit.ok) return limit.reply;
  const page = keysetPage(ctx, 'generic', list.value.records, ctx.query.get('cursor'), limit.value);
  if (!page.ok) return page.reply;
  return jsonReply(200, { [list.value.resource]: page.value.records, next_cursor: page.value.next, has_more: page.value.next !== null });
}

/** Streamed, since "everything at once" can be large; the bytes are those of JSON.stringify({ <r>: records }). */
function allRecords(ctx: RequestContext, { store }: Services): Reply {
  const list = listRequest(ctx, store);
  if (!list.ok) return list.reply;
  const { resource, records } = list.value;
  const body = inBatches(records, (record, i) => (i === 0 ? '' : ',') + JSON.stringify(record), `{${JSON.stringify(resource)}:[`, ']}');
  return { status: 200, headers: { 'content-type': JSON_TYPE }, body };
}

function oneRecord(ctx: RequestContext, { store }: Services): Reply {
  const { resource = '', id = '' } = ctx.params;
  if (!isResourceName(resource)) return problem('generic', 404, 'not_found', `no resource "${resource}"`);
  const record = store.get(resource, id);
  if (record === undefined) return problem('generic', 404, 'not_found', `no ${resource} with id ${id}`);
  return jsonReply(200, record);
}

export const recordRoutes: Route[] = [
  { method: 'GET', pattern: '/all/:resource', style: 'generic', authenticated: true, handle: allRecords },
  { method: 'GET', pattern: '/:resource', style: 'generic', authenticated: true, handle: shopList },
  { method: 'GET', pattern: '/:resource/:id', style: 'generic', authenticated: true, handle: oneRecord },
];
