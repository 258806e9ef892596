// Shopify-like orders as a destination writes them. The server assigns the id, the order number (next after the
// highest, deleted orders included) and its name (#1001), the ids of the lines, and created_at/updated_at from the
// logical clock. `source_identifier` is the order's id in the system it came from: unique when set, so a
// destination can find an order it wrote before (POST /search/orders) and a duplicate create answers 409.
import type { AnyRecord } from '../data/types.ts';
import { formatMinor } from '../money.ts';
import type { NumberOf, Store } from '../store.ts';
import {
  address,
  boolean,
  currency,
  decimal,
  field,
  fullAddress,
  integer,
  listOf,
  nullable,
  objectOf,
  oneOf,
  string,
  text,
  timestamp,
  toIsoSeconds,
  type DefaultContext,
} from './fields.ts';
import type { UniqueRule, WriteModel } from './model.ts';

const LINE_ITEM_CHECKS = {
  product_id: nullable(integer()),
  variant_id: nullable(integer()),
  sku: nullable(string),
  title: string,
  variant_title: nullable(string),
  quantity: integer(0),
  price: decimal,
  total_discount: decimal,
  tax: decimal,
  taxable: boolean,
};

const lineItem = objectOf(LINE_ITEM_CHECKS, `a line item (${Object.keys(LINE_ITEM_CHECKS).join(', ')})`, ['title', 'quantity', 'price']);

/** Zero in the order's currency, as the records write it ("0.00", "0" for JPY). */
const zero = ({ body }: DefaultContext): string => formatMinor(0, typeof body['currency'] === 'string' ? body['currency'] : 'EUR');
const money = field(decimal, zero);
const at = field(nullable(timestamp), null, toIsoSeconds);
const anAddress = field(nullable(address), null, (value) => (value === null ? null : fullAddress(value as Record<string, unknown>)));

const highestOrderNumber: NumberOf = (record) => (typeof record['order_number'] === 'number' ? record['order_number'] : -Infinity);
const highestLineId: NumberOf = (record) => Math.max(-Infinity, ...((record['line_items'] as { id: number }[] | undefined) ?? []).map((line) => line.id));

/** Lines as the records hold them: every field present (defaults for the optional ones), new ids. */
function lineItems(store: Store, items: unknown, currencyCode: string): Record<string, unknown>[] {
  // The store keeps the highest line id ever handed out; generated lines count up from 30000001.
  let next = Math.max(30_000_000, store.highest('orders', highestLineId)) + 1;
  const nothing = formatMinor(0, currencyCode);
  return (items as Record<string, unknown>[]).map((item) => ({
    id: next++,
    product_id: item['product_id'] ?? null,
    variant_id: item['variant_id'] ?? null,
    sku: item['sku'] ?? null,
    title: item['title'],
    variant_title: item['variant_title'] ?? null,
    quantity: item['quantity'],
    price: item['price'],
    total_discount: item['total_discount'] ?? nothing,
    tax: item['tax'] ?? nothing,
    taxable: item['taxable'] ?? true,
  }));
}

export const UNIQUE_SOURCE_IDENTIFIER: UniqueRule = {
  keyOf: (record) => (typeof record['source_identifier'] === 'string' ? record['source_identifier'] : undefined),
  conflict: (fields) => `an order with source_identifier ${String(fields['source_identifier'])} already exists`,
};

export const orderWrites: WriteModel = {
  fields: {
    email: text,
    customer_id: field(nullable(integer()), null),
    currency: field(currency, null),
    financial_status: field(oneOf(['pending', 'authorized', 'paid', 'partially_refunded', 'refunded', 'voided']), 'pending'),
    fulfillment_status: field(nullable(oneOf(['fulfilled', 'partial'])), null),
    status: field(oneOf(['open', 'closed', 'cancelled']), 'open'),
    subtotal_price: money,
    total_discounts: money,
    total_tax: money,
    total_shipping: money,
    total_price: money,
    tax_rate: field(decimal, '0.00'),
    line_items: field(listOf(lineItem, 'line items'), []),
    shipping_address: anAddress,
    billing_address: anAddress,
    location_id: field(nullable(integer()), null),
    source_identifier: text,
    tags: field(string, ''),
    note: text,
    // Placed when created, unless the source says when.
    processed_at: field(nullable(timestamp), ({ createdAt }: DefaultContext) => createdAt, toIsoSeconds),
    cancelled_at: at,
    closed_at: at,
  },
  required: ['currency'],
  unique: [UNIQUE_SOURCE_IDENTIFIER],
  create(store, fields, createdAt) {
    const id = store.nextId('orders');
    // Generated orders are numbered from 1001.
    const number = Math.max(1000, store.highest('orders', highestOrderNumber)) + 1;
    const lines = lineItems(store, fields['line_items'], fields['currency'] as string);
    return { id, name: `#${number}`, order_number: number, ...fields, line_items: lines, created_at: createdAt, updated_at: createdAt };
  },
  changes(store, record: AnyRecord, fields) {
    if (!('line_items' in fields)) return fields;
    return { ...fields, line_items: lineItems(store, fields['line_items'], (fields['currency'] ?? record['currency']) as string) };
  },
};
