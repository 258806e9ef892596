// The testkit shop as a destination: how shopConnectorDefinition({ writes: true }) writes canonical customers,
// orders and stock levels back to the shop's native routes (routes/writes.ts), mapping each canonical record to the
// native body the reads of shop-connector.ts would map back to the same record.
// Only schema *types* are imported: testkit has no runtime dependency of ours.
import type { ConnectorDefinition } from '@pullpush/schema';

/** The native customer body the shop's writes send, from a commerce.customer@1 record. */
const CUSTOMER_BODY = {
  email: { path: 'email' },
  first_name: { path: 'firstName' },
  last_name: { path: 'lastName' },
  phone: { path: 'phone' },
  state: { path: 'state.value' },
  accepts_marketing: { expr: 'acceptsMarketing = true' },
  tax_exempt: { expr: 'taxExempt = true' },
  tags: { expr: "$join(tags, ', ')" },
  note: { path: 'note' },
  locale: { path: 'locale' },
};

const quoted = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** A canonical remote id (a string) as the shop's integer id; null when there is none or it is not a number. */
const integerId = (path: string) => `${path} != null and $contains(${path}, /^[0-9]+$/) ? $number(${path}) : null`;

/**
 * A canonical address as a native one, or null. The canonical `name` joins first and last name with a space, so
 * it is split at the first space: "Uma Patel" → Uma + Patel, "Patel" → Patel + null; read back, both give the
 * name again.
 */
const nativeAddress = (path: string) =>
  `${path} = null ? null : ${path}.{ ` +
  "'first_name': name = null ? null : $contains(name, ' ') ? $substringBefore(name, ' ') : name, " +
  "'last_name': name != null and $contains(name, ' ') ? $substringAfter(name, ' ') : null, " +
  "'company': company, 'address1': line1, 'address2': line2, 'city': city, 'province': region, 'zip': postalCode, " +
  "'country_code': country, 'phone': phone }";

/** A native enum from a canonical Enumerated: `map` names canonical values; else the native value if the shop knows it; else `fallback`. */
function nativeEnum(field: string, map: Readonly<Record<string, string | null>>, native: readonly string[], fallback: string | null): string {
  const literal = (value: string | null) => (value === null ? 'null' : `'${value}'`);
  const cases = Object.entries(map).map(([canonical, value]) => `${field}.value = '${canonical}' ? ${literal(value)} : `);
  return `${cases.join('')}${field}.native in [${quoted(native)}] ? ${field}.native : ${literal(fallback)}`;
}

const FINANCIAL_STATUSES = ['pending', 'authorized', 'paid', 'partially_refunded', 'refunded', 'voided'];

/**
 * The native order body, from a commerce.order@1 record. The canonical id (which names the source system and the
 * order there) becomes source_identifier, unique at the shop, which the lookup searches by. Money objects give their
 * amounts (in the order's currency); a null total is left out (the shop counts it as zero). A line's name becomes
 * its title (the canonical name already joins title and variant title), and a line is taxable when it was taxed.
 */
const ORDER_BODY = {
  source_identifier: { path: 'id' },
  email: { path: 'email' },
  customer_id: { expr: integerId('customerId') },
  currency: { path: 'currency' },
  status: { expr: nativeEnum('status', { completed: 'closed', open: 'open', cancelled: 'cancelled', draft: 'open' }, ['open', 'closed', 'cancelled'], 'open') },
  financial_status: {
    expr: nativeEnum('paymentStatus', Object.fromEntries(FINANCIAL_STATUSES.map((value) => [value, value])), FINANCIAL_STATUSES, 'pending'),
  },
  fulfillment_status: {
    expr: nativeEnum('fulfillmentStatus', { fulfilled: 'fulfilled', partially_fulfilled: 'partial', unfulfilled: null }, ['fulfilled', 'partial'], null),
  },
  subtotal_price: { path: 'totals.subtotal.amount' },
  total_discounts: { path: 'totals.discount.amount' },
  total_tax: { path: 'totals.tax.amount' },
  total_shipping: { path: 'totals.shipping.amount' },
  total_price: { path: 'totals.total.amount' },
  line_items: {
    expr:
      `[lines.{ 'product_id': ${integerId('productId')}, 'variant_id': ${integerId('variantId')}, 'sku': sku, ` +
      "'title': name, 'variant_title': null, 'quantity': quantity, 'price': unitPrice.amount, " +
      "'total_discount': discount.amount, 'tax': tax.amount, 'taxable': tax = null or $number(tax.amount) > 0 }]",
  },
  shipping_address: { expr: nativeAddress('shippingAddress') },
  billing_address: { expr: nativeAddress('billingAddress') },
  tags: { expr: "$join(tags, ', ')" },
  note: { path: 'note' },
  processed_at: { path: 'placedAt' },
  cancelled_at: { path: 'cancelledAt' },
  closed_at: { path: 'closedAt' },
};

/** What a stock level's update may change: its quantities (the shop refuses any other field there). */
const STOCK_QUANTITIES = {
  on_hand: { path: 'quantity' },
  available: { path: 'available' },
  committed: { path: 'committed' },
  incoming: { path: 'incoming' },
};

/**
 * The native stock level body, from a commerce.stocklevel@1 record: its key (sku and location) and ids, then the
 * quantities, null staying null. `reserved` has no native field and is not written.
 */
const STOCK_LEVEL_BODY = {
  sku: { path: 'sku' },
  location_id: { expr: integerId('locationId') },
  product_id: { expr: integerId('productId') },
  variant_id: { expr: integerId('variantId') },
  ...STOCK_QUANTITIES,
};

const customerWrites = {
  create: { request: { method: 'POST', path: '/customers' }, body: CUSTOMER_BODY, remoteIdPath: 'id' },
  update: { request: { method: 'PATCH', path: '/customers/{{ $remoteId }}' }, body: CUSTOMER_BODY },
  upsert: { request: { method: 'PUT', path: '/customers' }, body: CUSTOMER_BODY, remoteIdPath: 'id' },
  delete: { request: { method: 'DELETE', path: '/customers/{{ $remoteId }}' } },
  match: {
    kind: 'lookup',
    by: 'email',
    request: { method: 'POST', path: '/search/customers', body: { filters: [{ field: 'email', op: 'eq', value: '{{ $record.email }}' }] }, search: true },
    records: 'results',
    remoteIdPath: 'id',
  },
  idempotencyKeyHeader: 'Idempotency-Key',
} as const;

const orderWrites = {
  create: { request: { method: 'POST', path: '/orders' }, body: ORDER_BODY, remoteIdPath: 'id' },
  update: { request: { method: 'PATCH', path: '/orders/{{ $remoteId }}' }, body: ORDER_BODY },
  delete: { request: { method: 'DELETE', path: '/orders/{{ $remoteId }}' } },
  match: {
    kind: 'lookup',
    by: 'id',
    request: {
      method: 'POST',
      path: '/search/orders',
      body: { filters: [{ field: 'source_identifier', op: 'eq', value: '{{ $record.id }}' }] },
      search: true,
    },
    records: 'results',
    remoteIdPath: 'id',
  },
  idempotencyKeyHeader: 'Idempotency-Key',
} as const;

const stockLevelWrites = {
  upsert: { request: { method: 'PUT', path: '/stock_levels' }, body: STOCK_LEVEL_BODY, remoteIdPath: 'id' },
  update: { request: { method: 'PATCH', path: '/stock_levels/{{ $remoteId }}' }, body: STOCK_QUANTITIES },
  delete: { request: { method: 'DELETE', path: '/stock_levels/{{ $remoteId }}' } },
  match: {
    kind: 'lookup',
    by: 'sku',
    request: {
      method: 'POST',
      path: '/search/stock_levels',
      body: {
        filters: [
          { field: 'sku', op: 'eq', value: '{{ $record.sku }}' },
          { field: 'location_id', op: 'eq', value: '{{ $record.locationId }}' },
        ],
      },
      search: true,
    },
    records: 'results',
    remoteIdPath: 'id',
  },
  idempotencyKeyHeader: 'Idempotency-Key',
} as const;

/**
 * The shop as a destination of three canonical types; every write carries the event id as its Idempotency-Key,
 * and existing records are found through `POST /search/{resource}`:
 * - commerce.customer@1: create (POST, 409 when the email is taken), update (PATCH by remote id), upsert (PUT by
 *   email), delete; looked up by email.
 * - commerce.order@1: create (POST, 409 when the order was written before), update (PATCH), delete; looked up by
 *   the canonical id, kept as the order's source_identifier.
 * - commerce.stocklevel@1: upsert (PUT by sku and location), update of the quantities (PATCH), delete; looked up
 *   by sku and location.
 */
export const SHOP_WRITES = {
  'commerce.customer@1': customerWrites,
  'commerce.order@1': orderWrites,
  'commerce.stocklevel@1': stockLevelWrites,
} as const satisfies NonNullable<ConnectorDefinition['writes']>;

/** The customer part of {@link SHOP_WRITES}, as it was exported before orders and stock levels were writable. */
export const SHOP_CUSTOMER_WRITES = {
  'commerce.customer@1': customerWrites,
} as const satisfies NonNullable<ConnectorDefinition['writes']>;
