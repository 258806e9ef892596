// The write side, for contacts and customers (the resources destinations write to):
//   POST   /{r}        create → 201 with the record and Location; 409 when the email is taken
//   PUT    /{r}        upsert by email → 201 created or 200 replaced
//   PUT    /{r}/{id}   replace every writable field (missing ones become null/defaults) → 200
//   PATCH  /{r}/{id}   change the given fields → 200
//   DELETE /{r}/{id}   delete (a tombstone remains for include_deleted) → 204
// Bodies are JSON objects of writable fields; unknown fields and wrong types are refused (422), so a
// mapping mistake shows up in tests. Every write honours an Idempotency-Key header.
import type { AnyRecord, Id, ResourceName } from '../data/types.ts';
import { SHOP_CURRENCY } from '../data/commerce.ts';
import { isResourceName } from '../data/dataset.ts';
import { emptyReply, jsonReply, problem, type Parsed, type Reply, type RequestContext } from '../http.ts';
import type { Route, Services } from '../router.ts';
import type { Store } from '../store.ts';

type FieldType = 'string' | 'nullableString' | 'boolean' | 'addresses' | readonly string[];

/** Writable fields and their defaults, in the order the records list them. */
interface Writable {
  fields: Record<string, { type: FieldType; default: unknown }>;
  /** Fields the server maintains, with their values on a new record. */
  managed: Record<string, unknown>;
}

const text = { type: 'nullableString', default: null } as const;

const ADDRESS_FIELDS = ['first_name', 'last_name', 'company', 'address1', 'address2', 'city', 'province', 'zip', 'country_code', 'phone'];

export const WRITABLE: Partial<Record<ResourceName, Writable>> = {
  contacts: {
    fields: {
      email: { type: 'string', default: null },
      first_name: text,
      last_name: text,
      phone: text,
      company: text,
      job_title: text,
      lifecycle_stage: {
        type: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist'],
        default: null,
      },
      owner_id: text,
      city: text,
      country: text,
    },
    managed: {},
  },
  customers: {
    fields: {
      email: { type: 'string', default: null },
      first_name: text,
      last_name: text,
      phone: text,
      state: { type: ['enabled', 'disabled', 'invited', 'declined'], default: 'enabled' },
      verified_email: { type: 'boolean', default: false },
      accepts_marketing: { type: 'boolean', default: false },
      tax_exempt: { type: 'boolean', default: false },
      tags: { type: 'string', default: '' },
      note: text,
      currency: { type: 'string', default: SHOP_CURRENCY },
      locale: text,
      addresses: { type: 'addresses', default: [] },
    },
    managed: { orders_count: 0, total_spent: '0.00', default_address: null },
  },
};

/** The resources that accept writes. */
export const WRITABLE_RESOURCES: readonly ResourceName[] = Object.freeze(Object.keys(WRITABLE) as ResourceName[]);

interface FieldError {
  field: string;
  message: string;
}

function typeError(type: FieldType, value: unknown): string | undefined {
  if (Array.isArray(type)) return value === null || type.includes(value as string) ? undefined : `must be one of ${type.join(', ')} or null`;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'nullableString':
      return value === null || typeof value === 'string' ? undefined : 'must be a string or null';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'addresses':
      return Array.isArray(value) &&
        value.every(
          (item) =>
            typeof item === 'object' &&
            item !== null &&
            Object.entries(item as object).every(([key, v]) => ADDRESS_FIELDS.includes(key) && (v === null || typeof v === 'string')),
        )
        ? undefined
        : `must be an array of addresses with string fields (${ADDRESS_FIELDS.join(', ')})`;
  }
  return undefined;
}

function parseBody(ctx: RequestContext, writable: Writable, full: boolean): Parsed<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(ctx.body ?? '');
  } catch {
    return { ok: false, reply: problem('generic', 400, 'invalid_json', 'the request body must be a JSON object') };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reply: problem('generic', 400, 'invalid_json', 'the request body must be a JSON object') };
  }
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(body)) {
    const spec = writable.fields[field];
    if (spec === undefined) errors.push({ field, message: 'is not a writable field' });
    else {
      const message = typeError(spec.type, value);
      if (message !== undefined) errors.push({ field, message });
    }
  }
  const email = (body as Record<string, unknown>)['email'];
  if ((full || 'email' in body) && (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email))) {
    errors.push({ field: 'email', message: 'is required and must be an email address' });
  }
  if (errors.length > 0) return { ok: false, reply: problem('generic', 422, 'validation_failed', 'the record is not valid', {}, { fields: errors }) };
  return { ok: true, value: body as Record<string, unknown> };
}

/** Every writable field, from the body or its default (PUT replaces the whole record). */
function complete(writable: Writable, body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(writable.fields).map(([field, spec]) => [field, field in body ? body[field] : spec.default]));
}

function findByEmail(store: Store, resource: ResourceName, email: string): AnyRecord | undefined {
  const wanted = email.toLowerCase();
  return store.records(resource).find((record) => typeof record['email'] === 'string' && record['email'].toLowerCase() === wanted);
}

/** Customers' addresses get ids, the owner's id and a default flag, as the shop API would assign them. */
function withAddresses(store: Store, id: Id, fields: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(fields['addresses'])) return fields;
  let next = 90_000_000;
  for (const customer of store.records('customers')) for (const item of customer['addresses'] as { id: number }[]) next = Math.max(next, item.id);
  next++;
  const addresses = (fields['addresses'] as Record<string, unknown>[]).map((item, i) => ({
    id: next++,
    customer_id: id,
    ...Object.fromEntries(ADDRESS_FIELDS.map((key) => [key, item[key] ?? null])),
    default: i === 0,
  }));
  return { ...fields, addresses, default_address: addresses[0] ?? null };
}

interface WriteTarget {
  resource: ResourceName;
  writable: Writable;
}

function targetOf(ctx: RequestContext): Parsed<WriteTarget> {
  const resource = ctx.params['resource'] ?? '';
  if (!isResourceName(resource)) return { ok: false, reply: problem('generic', 404, 'not_found', `no resource "${resource}"`) };
  const writable = WRITABLE[resource];
  if (writable === undefined) {
    return { ok: false, reply: problem('generic', 405, 'method_not_allowed', `${resource} are read-only; writable: ${Object.keys(WRITABLE).join(', ')}`, { allow: 'GET' }) };
  }
  return { ok: true, value: { resource, writable } };
}

function create(store: Store, target: WriteTarget, body: Record<string, unknown>): Reply {
  const existing = findByEmail(store, target.resource, body['email'] as string);
  if (existing !== undefined) {
    return problem('generic', 409, 'conflict', `a record with email ${String(body['email'])} already exists`, {}, { existing_id: existing.id });
  }
  const id = store.nextId(target.resource);
  const at = store.tick();
  const record: AnyRecord = {
    id,
    ...withAddresses(store, id, { ...complete(target.writable, body), ...target.writable.managed }),
    created_at: at,
    updated_at: at,
  };
  store.insert(target.resource, record);
  return jsonReply(201, record, { location: `/${target.resource}/${id}` });
}

function change(store: Store, target: WriteTarget, record: AnyRecord, fields: Record<string, unknown>): Reply {
  const email = fields['email'];
  if (typeof email === 'string') {
    const other = findByEmail(store, target.resource, email);
    if (other !== undefined && other !== record) {
      return problem('generic', 409, 'conflict', `a record with email ${email} already exists`, {}, { existing_id: other.id });
    }
  }
  const updated = store.update(target.resource, record.id, withAddresses(store, record.id, fields));
  return jsonReply(200, updated);
}

function writeRoute(run: (ctx: RequestContext, store: Store, target: WriteTarget) => Reply) {
  return (ctx: RequestContext, { store, idempotency }: Services): Promise<Reply> =>
    idempotency.once(ctx, 'generic', () => {
      const target = targetOf(ctx);
      return target.ok ? run(ctx, store, target.value) : target.reply;
    });
}

function existing(ctx: RequestContext, store: Store, target: WriteTarget): Parsed<AnyRecord> {
  const id = ctx.params['id'] ?? '';
  const record = store.get(target.resource, id);
  if (record === undefined) return { ok: false, reply: problem('generic', 404, 'not_found', `no ${target.resource} with id ${id}`) };
  return { ok: true, value: record };
}

const post = writeRoute((ctx, store, target) => {
  const body = parseBody(ctx, target.writable, true);
  return body.ok ? create(store, target, body.value) : body.reply;
});

const upsert = writeRoute((ctx, store, target) => {
  const body = parseBody(ctx, target.writable, true);
  if (!body.ok) return body.reply;
  const match = findByEmail(store, target.resource, body.value['email'] as string);
  return match === undefined ? create(store, target, body.value) : change(store, target, match, complete(target.writable, body.value));
});

const put = writeRoute((ctx, store, target) => {
  const record = existing(ctx, store, target);
  if (!record.ok) return record.reply;
  const body = parseBody(ctx, target.writable, true);
  return body.ok ? change(store, target, record.value, complete(target.writable, body.value)) : body.reply;
});

const patch = writeRoute((ctx, store, target) => {
  const record = existing(ctx, store, target);
  if (!record.ok) return record.reply;
  const body = parseBody(ctx, target.writable, false);
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
