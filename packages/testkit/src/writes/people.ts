// The people destinations write to: HubSpot-like contacts and Shopify-like customers, unique by email (PUT on the
// collection upserts by it). Customers' addresses get ids, the owner's id and a default flag from the server.
import { SHOP_CURRENCY } from '../data/commerce.ts';
import type { AnyRecord, Id } from '../data/types.ts';
import type { NumberOf, Store } from '../store.ts';
import { address, boolean, email, field, fullAddress, listOf, nullable, oneOf, string, text } from './fields.ts';
import { UNIQUE_EMAIL, type WriteModel } from './model.ts';

/** A new contact or customer: the next id, its fields (built knowing the id), created and updated now. */
function newPerson(store: Store, resource: 'contacts' | 'customers', at: string, build: (id: Id) => Record<string, unknown>): AnyRecord {
  const id = store.nextId(resource);
  return { id, ...build(id), created_at: at, updated_at: at };
}

export const contactWrites: WriteModel = {
  fields: {
    email: field(email, null),
    first_name: text,
    last_name: text,
    phone: text,
    company: text,
    job_title: text,
    lifecycle_stage: field(nullable(oneOf(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist'])), null),
    owner_id: text,
    city: text,
    country: text,
  },
  required: ['email'],
  unique: [UNIQUE_EMAIL],
  upsertBy: UNIQUE_EMAIL,
  create: (store, fields, at) => newPerson(store, 'contacts', at, () => fields),
};

/** The highest address id a customer holds. Generated addresses count up from 90000001. */
const highestAddressId: NumberOf = (record) => Math.max(-Infinity, ...((record['addresses'] as { id: number }[] | undefined) ?? []).map((item) => item.id));

/** Customers' addresses as the shop API returns them: ids assigned, the owner's id, the first one the default. */
function withAddresses(store: Store, id: Id, fields: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(fields['addresses'])) return fields;
  // The store keeps the highest address id ever handed out (a scan of every customer per write was quadratic).
  let next = Math.max(90_000_000, store.highest('customers', highestAddressId)) + 1;
  const addresses = (fields['addresses'] as Record<string, unknown>[]).map((item, i) => ({ id: next++, customer_id: id, ...fullAddress(item), default: i === 0 }));
  return { ...fields, addresses, default_address: addresses[0] ?? null };
}

export const customerWrites: WriteModel = {
  fields: {
    email: field(email, null),
    first_name: text,
    last_name: text,
    phone: text,
    state: field(nullable(oneOf(['enabled', 'disabled', 'invited', 'declined'])), 'enabled'),
    verified_email: field(boolean, false),
    accepts_marketing: field(boolean, false),
    tax_exempt: field(boolean, false),
    tags: field(string, ''),
    note: text,
    currency: field(string, SHOP_CURRENCY),
    locale: text,
    addresses: field(listOf(address, 'addresses'), []),
  },
  required: ['email'],
  unique: [UNIQUE_EMAIL],
  upsertBy: UNIQUE_EMAIL,
  // orders_count, total_spent and default_address are the server's: the last follows the addresses.
  create: (store, fields, at) => newPerson(store, 'customers', at, (id) => withAddresses(store, id, { ...fields, orders_count: 0, total_spent: '0.00', default_address: null })),
  changes: (store, record, fields) => withAddresses(store, record.id, fields),
};
