// A search endpoint in the style of HubSpot's and Square's: POST with filters and the cursor in a JSON body.
//   POST /search/{r}  { filters: [{ field, op, value }], limit, cursor } → { total, results, next_cursor }
// Results are ordered by (updated_at, id); `total` counts every match, not just the page.
import { isResourceName } from '../data/dataset.ts';
import type { AnyRecord } from '../data/types.ts';
import { jsonReply, problem, type Parsed, type Reply, type RequestContext } from '../http.ts';
import { keysetPage } from '../paging.ts';
import type { Route, Services } from '../router.ts';
import { parseClientTime, timeOf } from '../time.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './styles.ts';

export const SEARCH_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'contains'] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

export interface SearchFilter {
  field: string;
  op: SearchOperator;
  value: unknown;
}

export interface SearchRequest {
  filters?: SearchFilter[];
  limit?: number;
  cursor?: string | null;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/;

/** Orders two values: timestamps by instant, numbers numerically, anything else by its text. */
function compare(actual: unknown, expected: unknown): number {
  if (typeof actual === 'number' && typeof expected === 'number') return actual - expected;
  if (typeof actual === 'string' && typeof expected === 'string' && TIMESTAMP.test(actual) && TIMESTAMP.test(expected)) {
    return timeOf(actual) - (parseClientTime(expected) ?? Number.NaN);
  }
  const a = String(actual);
  const b = String(expected);
  return a < b ? -1 : a > b ? 1 : 0;
}

function test(record: AnyRecord, filter: SearchFilter): boolean {
  const actual = record[filter.field];
  switch (filter.op) {
    case 'eq':
      return actual === filter.value || (actual !== null && typeof actual !== 'object' && filter.value !== null && compare(actual, filter.value) === 0);
    case 'neq':
      return !test(record, { ...filter, op: 'eq' });
    case 'in':
      return (filter.value as unknown[]).some((value) => test(record, { field: filter.field, op: 'eq', value }));
    case 'contains':
      if (Array.isArray(actual)) return actual.includes(filter.value);
      return typeof actual === 'string' && actual.toLowerCase().includes(String(filter.value).toLowerCase());
    default: {
      if (actual === null || actual === undefined || typeof actual === 'object') return false;
      const order = compare(actual, filter.value);
      if (Number.isNaN(order)) return false;
      return filter.op === 'gt' ? order > 0 : filter.op === 'gte' ? order >= 0 : filter.op === 'lt' ? order < 0 : order <= 0;
    }
  }
}

function parseSearch(ctx: RequestContext): Parsed<Required<SearchRequest>> {
  const invalid = (message: string): Parsed<never> => ({ ok: false, reply: problem('generic', 400, 'invalid_parameter', message) });
  let body: unknown = {};
  if (ctx.body !== undefined && ctx.body.trim() !== '') {
    try {
      body = JSON.parse(ctx.body);
    } catch {
      return { ok: false, reply: problem('generic', 400, 'invalid_json', 'the request body must be JSON') };
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('the request body must be a JSON object');
  const { filters = [], limit = DEFAULT_PAGE_SIZE, cursor = null } = body as SearchRequest;
  if (!Array.isArray(filters)) return invalid('filters must be an array');
  for (const [i, filter] of filters.entries()) {
    if (typeof filter !== 'object' || filter === null || typeof filter.field !== 'string') return invalid(`filters[${i}].field must be a string`);
    if (!SEARCH_OPERATORS.includes(filter.op)) return invalid(`filters[${i}].op must be one of ${SEARCH_OPERATORS.join(', ')}`);
    if (filter.op === 'in' && !Array.isArray(filter.value)) return invalid(`filters[${i}].value must be an array for "in"`);
  }
  if (!Number.isInteger(limit) || limit < 1) return invalid('limit must be a positive integer');
  if (cursor !== null && typeof cursor !== 'string') return invalid('cursor must be a string or null');
  return { ok: true, value: { filters, limit: Math.min(limit, MAX_PAGE_SIZE), cursor } };
}

function search(ctx: RequestContext, { store }: Services): Reply {
  const resource = ctx.params['resource'] ?? '';
  if (!isResourceName(resource)) return problem('generic', 404, 'not_found', `no resource "${resource}"`);
  const request = parseSearch(ctx);
  if (!request.ok) return request.reply;
  const { filters, limit, cursor } = request.value;
  const matches = store.sorted(resource).filter((record) => filters.every((filter) => test(record, filter)));
  const page = keysetPage(ctx, 'generic', matches, cursor, limit);
  if (!page.ok) return page.reply;
  return jsonReply(200, { total: matches.length, results: page.value.records, next_cursor: page.value.next });
}

export const searchRoutes: Route[] = [{ method: 'POST', pattern: '/search/:resource', style: 'generic', authenticated: true, handle: search }];
