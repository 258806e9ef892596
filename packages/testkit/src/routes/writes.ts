// The write side, for the resources destinations write to (contacts, customers, orders, stock levels):
//   POST   /{r}        create → 201 with the record and Location; 409 when a unique value is taken (unless the
//                      server runs with uniqueWrites: false, which stores duplicates as Shopify does)
//   PUT    /{r}        upsert by the resource's unique key (email; sku and location) → 201 created or 200 replaced
//   PUT    /{r}/{id}   replace every changeable field (missing ones become null/defaults) → 200
//   PATCH  /{r}/{id}   change the given fields → 200
//   DELETE /{r}/{id}   delete (a tombstone remains for include_deleted) → 204
// Bodies are JSON objects of writable fields; unknown fields and wrong types are refused (422), so a mapping
// mistake shows up in tests. What each resource accepts is its WriteModel (src/writes). Every write honours an
// Idempotency-Key header.
import type { AnyRecord, ResourceName } from '../data/types.ts';
import { isResourceName } from '../data/dataset.ts';
import { emptyReply, jsonReply, problem, type Parsed, type Reply, type RequestContext } from '../http.ts';
import type { Route, Services } from '../router.ts';
import type { Store } from '../store.ts';
import type { Settings } from '../settings.ts';
import { complete, parseBody, type UniqueRule, type WriteModel } from '../writes/model.ts';
import { orderWrites } from '../writes/orders.ts';
import { contactWrites, customerWrites } from '../writes/people.ts';
import { stockLevelWrites } from '../writes/stock-levels.ts';

export const WRITABLE: Partial<Record<ResourceName, WriteModel>> = {
  contacts: contactWrites,
  customers: customerWrites,
  orders: orderWrites,
  stock_levels: stockLevelWrites,
};

/** The resources that accept writes. */
export const WRITABLE_RESOURCES: readonly ResourceName[] = Object.freeze(Object.keys(WRITABLE) as ResourceName[]);

interface WriteTarget {
  resource: ResourceName;
  model: WriteModel;
  /** The unique rules this server enforces: all of them, or with `uniqueWrites: false` only the identities. */
  unique: readonly UniqueRule[];
}

function targetOf(ctx: RequestContext, settings: Settings): Parsed<WriteTarget> {
  const resource = ctx.params['resource'] ?? '';
  if (!isResourceName(resource)) return { ok: false, reply: problem('generic', 404, 'not_found', `no resource "${resource}"`) };
  const model = WRITABLE[resource];
  if (model === undefined) {
    return { ok: false, reply: problem('generic', 405, 'method_not_allowed', `${resource} are read-only; writable: ${WRITABLE_RESOURCES.join(', ')}`, { allow: 'GET' }) };
  }
  return { ok: true, value: { resource, model, unique: settings.uniqueWrites ? model.unique : model.unique.filter((rule) => rule.identity === true) } };
}

/** 409 when writing `fields` (over `record`, for a change) would give a unique key another live record has. */
function conflictOf(store: Store, target: WriteTarget, fields: Record<string, unknown>, record?: AnyRecord): Reply | undefined {
  const after = (record === undefined ? fields : { ...record, ...fields }) as AnyRecord;
  for (const rule of target.unique) {
    const key = rule.keyOf(after);
    // Only a key the write sets or changes is checked: a PATCH of other fields never conflicts.
    if (key === undefined || (record !== undefined && key === rule.keyOf(record))) continue;
    const other = store.findUnique(target.resource, rule.keyOf, key);
    if (other !== undefined && other !== record) return problem('generic', 409, 'conflict', rule.conflict(after), {}, { existing_id: other.id });
  }
  return undefined;
}

function create(store: Store, target: WriteTarget, body: Record<string, unknown>): Reply {
  const conflict = conflictOf(store, target, body);
  if (conflict !== undefined) return conflict;
  const at = store.tick();
  const record = target.model.create(store, complete(target.model, 'create', body, at), at);
  store.insert(target.resource, record);
  return jsonReply(201, record, { location: `/${target.resource}/${String(record.id)}` });
}

function change(store: Store, target: WriteTarget, record: AnyRecord, fields: Record<string, unknown>): Reply {
  const conflict = conflictOf(store, target, fields, record);
  if (conflict !== undefined) return conflict;
  const changes = target.model.changes?.(store, record, fields) ?? fields;
  return jsonReply(200, store.update(target.resource, record.id, changes));
}

function writeRoute(run: (ctx: RequestContext, store: Store, target: WriteTarget) => Reply) {
  return (ctx: RequestContext, { store, idempotency, settings }: Services): Promise<Reply> =>
    idempotency.once(ctx, 'generic', () => {
      const target = targetOf(ctx, settings);
      return target.ok ? run(ctx, store, target.value) : target.reply;
    });
}

/** When a record was created, for defaults that depend on it (an order's processed_at); stock levels have no created_at. */
function createdAtOf(record: AnyRecord): string {
  return typeof record['created_at'] === 'string' ? record['created_at'] : record.updated_at;
}

function existing(ctx: RequestContext, store: Store, target: WriteTarget): Parsed<AnyRecord> {
  const id = ctx.params['id'] ?? '';
  const record = store.get(target.resource, id);
  if (record === undefined) return { ok: false, reply: problem('generic', 404, 'not_found', `no ${target.resource} with id ${id}`) };
  return { ok: true, value: record };
}

const post = writeRoute((ctx, store, target) => {
  const body = parseBody(ctx, target.model, 'create');
  return body.ok ? create(store, target, body.value) : body.reply;
});

const upsert = writeRoute((ctx, store, target) => {
  const by = target.model.upsertBy;
  if (by === undefined) {
    return problem('generic', 405, 'method_not_allowed', `${target.resource} have no upsert: create with POST, replace with PUT /${target.resource}/{id}`, { allow: 'GET, POST' });
  }
  const body = parseBody(ctx, target.model, 'create');
  if (!body.ok) return body.reply;
  const key = by.keyOf(body.value as AnyRecord);
  const match = key === undefined ? undefined : store.findUnique(target.resource, by.keyOf, key);
  return match === undefined ? create(store, target, body.value) : change(store, target, match, complete(target.model, 'create', body.value, createdAtOf(match)));
});

const put = writeRoute((ctx, store, target) => {
  const record = existing(ctx, store, target);
  if (!record.ok) return record.reply;
  const body = parseBody(ctx, target.model, 'replace');
  return body.ok ? change(store, target, record.value, complete(target.model, 'replace', body.value, createdAtOf(record.value))) : body.reply;
});

const patch = writeRoute((ctx, store, target) => {
  const record = existing(ctx, store, target);
  if (!record.ok) return record.reply;
  const body = parseBody(ctx, target.model, 'change');
  return body.ok ? change(store, target, record.value, body.value) : body.reply;
});

const remove = writeRoute((ctx, store, target) => {
  const record = existing(ctx, store, target);
  if (!record.ok) return record.reply;
  store.remove(target.resource, record.value.id);
  return emptyReply(204);
});

export const writeRoutes: Route[] = [
  { method: 'POST', pattern: '/:resource', style: 'generic', authenticated: true, handle: post },
  { method: 'PUT', pattern: '/:resource', style: 'generic', authenticated: true, handle: upsert },
  { method: 'PUT', pattern: '/:resource/:id', style: 'generic', authenticated: true, handle: put },
  { method: 'PATCH', pattern: '/:resource/:id', style: 'generic', authenticated: true, handle: patch },
  { method: 'DELETE', pattern: '/:resource/:id', style: 'generic', authenticated: true, handle: remove },
];
