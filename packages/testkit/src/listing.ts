// Which records a generic list request selects: one resource (or the children of one parent record), changed at
// or after `updated_since`, optionally with tombstones, optionally narrowed by field=value parameters. The result
// is sorted by (updated_at, id); the pagination styles only cut it into pages.
import { isResourceName } from './data/dataset.ts';
import type { AnyRecord, ResourceName } from './data/types.ts';
import { problem, type ApiStyle, type Parsed, type RequestContext } from './http.ts';
import { compareByUpdate, type Store } from './store.ts';
import { atOrAfter, parseClientTime } from './time.ts';

/** Nested collections: /{style}/{parent}/{id}/{child} lists the child records pointing at that parent. */
export const CHILD_COLLECTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  customers: { orders: 'customer_id' },
  tickets: { comments: 'ticket_id' },
  locations: { stock_levels: 'location_id' },
  products: { stock_levels: 'product_id' },
  projects: { tickets: 'project_id' },
};

/** Query parameters that steer paging and selection; any other parameter naming a field filters on it. */
const RESERVED = new Set(['limit', 'cursor', 'offset', 'page', 'per_page', 'page_token', 'updated_since', 'include_deleted', 'absolute', 'after', 'before']);

export interface Collection {
  resource: ResourceName;
  parent?: { field: string; id: string };
}

/** Resolves the `resource` (or `parent`/`id`/`child`) path parameters, or answers 404. */
export function collectionOf(ctx: RequestContext, store: Store, style: ApiStyle): Parsed<Collection> {
  const { resource, parent, id, child } = ctx.params;
  if (resource !== undefined) {
    if (!isResourceName(resource)) return { ok: false, reply: problem(style, 404, 'not_found', `no resource "${resource}"`) };
    return { ok: true, value: { resource } };
  }
  const field = parent === undefined || child === undefined ? undefined : CHILD_COLLECTIONS[parent]?.[child];
  if (field === undefined || !isResourceName(child as string) || !isResourceName(parent as string) || id === undefined) {
    return { ok: false, reply: problem(style, 404, 'not_found', `no collection ${ctx.path}`) };
  }
  if (store.get(parent as ResourceName, id) === undefined) return { ok: false, reply: problem(style, 404, 'not_found', `no ${parent} with id ${id}`) };
  return { ok: true, value: { resource: child as ResourceName, parent: { field, id } } };
}

/** A tombstone as list routes show it when asked for deleted records. */
function asDeleted(record: AnyRecord, deletedAt: string): AnyRecord {
  return { ...record, deleted: true, deleted_at: deletedAt };
}

/** The sorted records a generic list request selects. */
export function selectRecords(ctx: RequestContext, store: Store, style: ApiStyle, collection: Collection): Parsed<readonly AnyRecord[]> {
  const includeDeleted = ctx.query.get('include_deleted') === 'true';
  let records: readonly AnyRecord[] = store.sorted(collection.resource);
  if (includeDeleted) {
    const tombstones = store.tombstones(collection.resource).map((t) => asDeleted(t.record, t.deletedAt));
    if (tombstones.length > 0) records = [...records, ...tombstones].sort(compareByUpdate);
  }

  const since = ctx.query.get('updated_since');
  if (since !== null && since !== '') {
    const ms = parseClientTime(since);
    if (ms === undefined) return { ok: false, reply: problem(style, 400, 'invalid_parameter', `updated_since must be an ISO 8601 timestamp, got "${since}"`) };
    // The list is sorted by updated_at: the records changed since are a tail, found by binary search.
    const bound = atOrAfter(ms);
    let low = 0;
    let high = records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((records[middle] as AnyRecord).updated_at < bound) low = middle + 1;
      else high = middle;
    }
    records = records.slice(low);
  }

  const filters: [string, string][] = [];
  if (collection.parent !== undefined) filters.push([collection.parent.field, collection.parent.id]);
  const sample = records[0] ?? store.records(collection.resource)[0];
  for (const [name, value] of ctx.query) {
    if (!RESERVED.has(name) && sample !== undefined && Object.hasOwn(sample, name)) filters.push([name, value]);
  }
  if (filters.length > 0) records = records.filter((record) => filters.every(([field, value]) => matches(record[field], value)));
  return { ok: true, value: records };
}

/** field=value compares the text form of scalars; `null` matches null. */
function matches(actual: unknown, expected: string): boolean {
  if (actual === null) return expected === 'null';
  if (typeof actual === 'object') return false;
  return String(actual) === expected;
}

/** Resolves the collection of a generic list request and selects its records: the start of every list route. */
export function listRequest(ctx: RequestContext, store: Store): Parsed<{ resource: ResourceName; records: readonly AnyRecord[] }> {
  const collection = collectionOf(ctx, store, 'generic');
  if (!collection.ok) return collection;
  const records = selectRecords(ctx, store, 'generic', collection.value);
  if (!records.ok) return records;
  return { ok: true, value: { resource: collection.value.resource, records: records.value } };
}
