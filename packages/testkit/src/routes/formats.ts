// Collections in other body formats, for definitions with `http.format` jsonl or csv:
//   /jsonl/{r}  one JSON object per line (application/x-ndjson)
//   /csv/{r}    RFC 4180 CSV with a header row (text/csv)
// Both stream the whole selection unless `limit` is given; then they page like /cursor-header (X-Next-Cursor).
import { csvColumns, csvRow } from '../csv.ts';
import type { AnyRecord } from '../data/types.ts';
import { inBatches, intParam, type Reply, type RequestContext } from '../http.ts';
import { listRequest } from '../listing.ts';
import { keysetPage } from '../paging.ts';
import type { Route, Services } from '../router.ts';
import { MAX_PAGE_SIZE } from './styles.ts';

function formatRoute(contentType: string, render: (records: readonly AnyRecord[]) => AsyncIterable<string>) {
  return (ctx: RequestContext, { store }: Services): Reply => {
    const list = listRequest(ctx, store);
    if (!list.ok) return list.reply;
    let records = list.value.records;
    const headers: Record<string, string> = { 'content-type': contentType };
    if (ctx.query.has('limit') || ctx.query.has('cursor')) {
      const limit = intParam(ctx, 'generic', 'limit', { default: MAX_PAGE_SIZE, min: 1, max: 10_000 });
      if (!limit.ok) return limit.reply;
      const page = keysetPage(ctx, 'generic', records, ctx.query.get('cursor'), limit.value);
      if (!page.ok) return page.reply;
      records = page.value.records;
      if (page.value.next !== null) headers['x-next-cursor'] = page.value.next;
    }
    return { status: 200, headers, body: render(records) };
  };
}

const jsonl = formatRoute('application/x-ndjson; charset=utf-8', (records) => inBatches(records, (record) => `${JSON.stringify(record)}\n`));

const csv = formatRoute('text/csv; charset=utf-8', (records) => {
  const columns = csvColumns(records);
  return inBatches(records, (record) => csvRow(columns.map((column) => record[column])), columns.length > 0 ? csvRow(columns) : '');
});

export const formatRoutes: Route[] = [
  { method: 'GET', pattern: '/jsonl/:resource', style: 'generic', authenticated: true, handle: jsonl },
  { method: 'GET', pattern: '/jsonl/:parent/:id/:child', style: 'generic', authenticated: true, handle: jsonl },
  { method: 'GET', pattern: '/csv/:resource', style: 'generic', authenticated: true, handle: csv },
  { method: 'GET', pattern: '/csv/:parent/:id/:child', style: 'generic', authenticated: true, handle: csv },
];
