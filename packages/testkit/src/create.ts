// Records a test adds while the server runs (api.create), to stage "a record appeared mid-read". A new record is
// modelled on the newest one of its resource: a fresh id, the fields that must stay unique renewed (emails, keys,
// handles, order numbers), created_at and updated_at from the logical clock, then the caller's fields on top.
// Nothing is random: the same calls on the same seed give the same records.
import type { AnyRecord, Id, ResourceName } from './data/types.ts';
import { stableToken } from './prng.ts';
import type { Store } from './store.ts';
import { parseClientTime } from './time.ts';

const MEMBER_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function highest(records: readonly AnyRecord[], field: string): number {
  let max = 0;
  for (const record of records) {
    const value = Number(record[field]);
    if (Number.isFinite(value) && value > max) max = value;
  }
  return max;
}

/** Live records and tombstones: ids and unique values are never handed out twice. */
function everyRecord(store: Store, resource: ResourceName): AnyRecord[] {
  return [...store.records(resource), ...store.tombstones(resource).map((tombstone) => tombstone.record)];
}

/** The fields a new record must not share with the one it is modelled on, given its other fields. */
const RENEWED: Partial<Record<ResourceName, (record: AnyRecord, store: Store) => Record<string, unknown>>> = {
  products: (record) => ({ handle: `product-${String(record.id)}`, variants: [], options: [] }),
  orders: (record, store) => {
    const number = highest(everyRecord(store, 'orders'), 'order_number') + 1;
    // source_identifier is unique when set (see writes/orders.ts): a copy of a written order must not share it.
    return { order_number: number, name: `#${number}`, processed_at: record['created_at'], cancelled_at: null, closed_at: null, source_identifier: null };
  },
  customers: (record) => ({ email: `new.customer${String(record.id)}@example.com`, addresses: [], default_address: null, orders_count: 0, total_spent: '0.00' }),
  contacts: (record) => ({ email: `new.contact${String(record.id)}@example.com` }),
  projects: (record) => ({ key: `P${String(record.id)}`, name: `Project ${String(record.id)}`, repository: `acme/p${String(record.id)}` }),
  tickets: (record, store) => {
    const project = store.get('projects', record['project_id'] as Id);
    const prefix = typeof project?.['key'] === 'string' ? project['key'] : 'NEW';
    let number = 0;
    for (const ticket of everyRecord(store, 'tickets')) {
      const key = String(ticket['key']);
      if (key.startsWith(`${prefix}-`)) number = Math.max(number, Number(key.slice(prefix.length + 1)) || 0);
    }
    const done = record['status'] === 'resolved' || record['status'] === 'closed';
    return { key: `${prefix}-${number + 1}`, parent_id: null, comments_count: 0, resolved_at: done ? record.updated_at : null };
  },
  stock_levels: (record, store) => {
    const item = highest(everyRecord(store, 'stock_levels'), 'inventory_item_id') + 1;
    return { inventory_item_id: item, variant_id: item - 10_000_000, sku: `NEW-${item}` };
  },
  users: (record) => ({ email: record['email'] === null ? null : `new.member.${String(record.id).toLowerCase()}@acme.example`, deleted: false }),
};

/** A fresh id in the resource's own pattern: the next integer, the next numeric string, or a new U0…/C0… id. */
function freshId(store: Store, resource: ResourceName, record: AnyRecord): Id {
  if (resource === 'stock_levels') return `${String(record['inventory_item_id'])}:${String(record['location_id'])}`;
  if (resource === 'users' || resource === 'channels') {
    const prefix = resource === 'users' ? 'U0' : 'C0';
    for (let n = everyRecord(store, resource).length; ; n++) {
      const id = `${prefix}${stableToken(store.seed, `created-${resource}`, n, 9, MEMBER_ID_ALPHABET)}`;
      if (store.get(resource, id) === undefined && !store.isDeleted(resource, id)) return id;
    }
  }
  return store.nextId(resource);
}

function stampOf(store: Store, value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? parseClientTime(value) : undefined;
  if (ms === undefined || Number.isNaN(ms)) throw new RangeError(`create: ${field} "${String(value)}" is not a timestamp`);
  return store.tick(ms);
}

/**
 * Adds a record to `resource` and returns it. `fields` override anything; an explicit `updated_at` (or `created_at`)
 * stages a late write, older than what was already served. Throws when the resource has no record to model on or
 * the id is taken.
 */
export function createRecord(store: Store, resource: ResourceName, fields: Readonly<Record<string, unknown>> = {}): AnyRecord {
  const all = everyRecord(store, resource);
  const model = store.records(resource).at(-1) ?? all.at(-1);
  if (model === undefined) throw new RangeError(`create: there is no ${resource} record to model a new one on; generate at least one`);
  const updatedAt = stampOf(store, fields['updated_at'], 'updated_at') ?? store.tick();
  const createdAt = stampOf(store, fields['created_at'], 'created_at') ?? updatedAt;
  // Stock levels have no created_at; every other resource does.
  const stamps = 'created_at' in model ? { created_at: createdAt, updated_at: updatedAt } : { updated_at: updatedAt };
  const base = { ...structuredClone(model), ...fields, ...stamps } as AnyRecord;
  // Stock levels are keyed by item and location, known only once the item is renewed; other ids come first.
  if (resource !== 'stock_levels') base.id = 'id' in fields ? (fields['id'] as Id) : freshId(store, resource, base);
  const record = { ...base, ...RENEWED[resource]?.(base, store), ...fields, ...stamps } as AnyRecord;
  if (resource === 'stock_levels' && !('id' in fields)) record.id = freshId(store, resource, record);
  if (store.get(resource, record.id) !== undefined || store.isDeleted(resource, record.id)) throw new RangeError(`create: ${resource} ${String(record.id)} exists already`);
  store.insert(resource, record);
  if (resource === 'comments') {
    const ticket = store.get('tickets', record['ticket_id'] as Id);
    if (ticket !== undefined) ticket['comments_count'] = Number(ticket['comments_count'] ?? 0) + 1;
  }
  return record;
}
