// Shopify-like inventory levels as a destination writes them: one per SKU and location, which is their key (PUT on
// the collection upserts by it; POST refuses a second one with 409). A new level gets a fresh inventory item (next
// after the highest, deleted levels included) and the id `<inventory_item_id>:<location_id>`. Once it exists only
// its quantities change. Null quantities are unknown, 0 is a real zero; stock levels have no created_at.
import type { NumberOf } from '../store.ts';
import { field, integer, nullable, rule } from './fields.ts';
import type { UniqueRule, WriteModel } from './model.ts';

const quantity = field(nullable(integer()), null);
/** Committed and incoming units cannot be negative; available and on-hand ones can (oversold). */
const count = field(nullable(integer(0)), null);
const anId = field(nullable(integer()), null);

const highestInventoryItem: NumberOf = (record) => (typeof record['inventory_item_id'] === 'number' ? record['inventory_item_id'] : -Infinity);

export const SKU_AT_LOCATION: UniqueRule = {
  identity: true,
  keyOf: (record) => (typeof record['sku'] === 'string' && typeof record['location_id'] === 'number' ? JSON.stringify([record['sku'], record['location_id']]) : undefined),
  conflict: (fields) => `a stock level of sku ${String(fields['sku'])} at location ${String(fields['location_id'])} already exists`,
};

export const stockLevelWrites: WriteModel = {
  fields: {
    sku: field(
      rule((value) => typeof value === 'string' && value !== '', 'must be a non-empty string'),
      null,
    ),
    product_id: anId,
    variant_id: anId,
    location_id: field(integer(), null),
    available: quantity,
    on_hand: quantity,
    committed: count,
    incoming: count,
  },
  changeable: ['available', 'on_hand', 'committed', 'incoming'],
  required: ['sku', 'location_id'],
  unique: [SKU_AT_LOCATION],
  upsertBy: SKU_AT_LOCATION,
  create(store, fields, at) {
    // Generated inventory items are the variants' ids plus 10,000,000: from 50000001 on.
    const item = Math.max(50_000_000, store.highest('stock_levels', highestInventoryItem)) + 1;
    const { sku, product_id, variant_id, location_id, available, on_hand, committed, incoming } = fields;
    return { id: `${item}:${String(location_id)}`, inventory_item_id: item, sku, product_id, variant_id, location_id, available, on_hand, committed, incoming, updated_at: at };
  },
};
