// Validation throughput of canonical records (Ajv, compiled once per type) against hand-written type guards
// making the same checks, measured in the same run so the ratio holds on a noisy machine.
//   npm run bench:canonical [-- --seconds 1 --rounds 5]
import { parseArgs } from 'node:util';
import { canonicalValidator, validateCanonical } from '@pullpush/canonical';
import { measure, printTable } from './measure.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '1' }, rounds: { type: 'string', default: '5' }, json: { type: 'boolean' } },
});

const gbp = (amount: string) => ({ amount, currency: 'GBP' });
const remote = (stream: string, id: string) => ({ connector: 'shopify', connection: 'acme-store', stream, id });

function orderLine(index: number) {
  return {
    id: `1300${index}`, productId: `800${index}`, variantId: `900${index}`, sku: `SKU-${index}`, name: `Item ${index}`,
    quantity: index + 1, unitPrice: gbp('12.50'), discount: null, tax: gbp('2.50'), total: gbp(`${15 * (index + 1)}.00`),
  };
}

const address = {
  name: 'Ada Lovelace', company: null, line1: '12 Analytical Row', line2: null, city: 'London', region: null,
  postalCode: 'N1 9GU', country: 'GB', phone: null,
};

export const order = {
  id: 'commerce.order:shopify:acme-store:1042',
  remote: remote('orders', '1042'),
  createdAt: '2026-03-14T09:26:53Z',
  updatedAt: '2026-03-15T11:02:00.125Z',
  deleted: false,
  number: '#1042',
  status: { value: 'open', native: 'open' },
  paymentStatus: { value: 'paid', native: 'paid' },
  fulfillmentStatus: { value: 'unfulfilled', native: null },
  customerId: '7001234',
  email: 'ada@example.com',
  currency: 'GBP',
  lines: [orderLine(0), orderLine(1), orderLine(2)],
  totals: { subtotal: gbp('90.00'), discount: null, shipping: gbp('4.99'), tax: gbp('7.50'), total: gbp('94.99'), refunded: null },
  billingAddress: address,
  shippingAddress: address,
  placedAt: '2026-03-14T09:26:50Z',
  cancelledAt: null,
  closedAt: null,
  note: null,
  tags: ['vip'],
};

export const stockLevel = {
  id: 'commerce.stocklevel:MUG-BLK:warehouse-1',
  remote: remote('inventory_levels', '808950810'),
  createdAt: null,
  updatedAt: '2026-03-15T11:02:00Z',
  deleted: false,
  sku: 'MUG-BLK',
  locationId: 'warehouse-1',
  productId: '8001',
  variantId: '9001',
  quantity: 12,
  available: 10,
  reserved: null,
  committed: 2,
  incoming: null,
};

// ---- hand-written guards making the same checks as the schemas (types, required and closed fields,
// ---- decimal and currency formats, UTC timestamps with a real calendar date, enum membership).
type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const currencies = new Set(Intl.supportedValuesOf('currency'));
const decimal = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const utc = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$/;
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const str = (v: unknown) => typeof v === 'string';
const strOrNull = (v: unknown) => v === null || typeof v === 'string';
const intOrNull = (v: unknown) => v === null || Number.isInteger(v);
const closed = (v: Rec, keys: ReadonlySet<string>) => Object.keys(v).every((k) => keys.has(k));
const timestamp = (v: unknown) => v === null || (typeof v === 'string' && utc.test(v) && !Number.isNaN(Date.parse(v)));
const money = (v: unknown) =>
  isRec(v) && Object.keys(v).length === 2 && typeof v['amount'] === 'string' && v['amount'].length <= 64 &&
  decimal.test(v['amount']) && typeof v['currency'] === 'string' && currencies.has(v['currency']);
const moneyOrNull = (v: unknown) => v === null || money(v);
const enumOf = (values: ReadonlySet<string>) => (v: unknown) =>
  isRec(v) && Object.keys(v).length === 2 && typeof v['value'] === 'string' && values.has(v['value']) && strOrNull(v['native']);
const remoteOk = (v: unknown) =>
  isRec(v) && str(v['connector']) && str(v['connection']) && str(v['stream']) && str(v['id']) && (v['url'] === undefined || str(v['url']));
const base = (v: Rec) => str(v['id']) && remoteOk(v['remote']) && timestamp(v['createdAt']) && timestamp(v['updatedAt']) && typeof v['deleted'] === 'boolean';

const orderKeys = new Set(Object.keys(order).concat(['custom', 'raw']));
const lineKeys = new Set(Object.keys(orderLine(0)));
const addressKeys = new Set(Object.keys(address));
const orderStatus = enumOf(new Set(['draft', 'open', 'completed', 'cancelled', 'other']));
const paymentStatus = enumOf(new Set(['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided', 'failed', 'other']));
const fulfillmentStatus = enumOf(new Set(['unfulfilled', 'partially_fulfilled', 'fulfilled', 'returned', 'other']));
const addressOk = (v: unknown) =>
  v === null || (isRec(v) && closed(v, addressKeys) && [...addressKeys].every((k) => strOrNull(v[k])) && (v['country'] === null || /^[A-Z]{2}$/.test(v['country'] as string)));
const lineOk = (v: unknown) =>
  isRec(v) && closed(v, lineKeys) && str(v['id']) && strOrNull(v['productId']) && strOrNull(v['variantId']) && strOrNull(v['sku']) &&
  str(v['name']) && Number.isInteger(v['quantity']) && (v['quantity'] as number) >= 0 &&
  moneyOrNull(v['unitPrice']) && moneyOrNull(v['discount']) && moneyOrNull(v['tax']) && moneyOrNull(v['total']);

export function isOrder(v: unknown): boolean {
  if (!isRec(v) || !closed(v, orderKeys) || !base(v)) return false;
  const totals = v['totals'];
  return (
    strOrNull(v['number']) && orderStatus(v['status']) && paymentStatus(v['paymentStatus']) && fulfillmentStatus(v['fulfillmentStatus']) &&
    strOrNull(v['customerId']) && (v['email'] === null || (typeof v['email'] === 'string' && email.test(v['email']))) &&
    typeof v['currency'] === 'string' && currencies.has(v['currency']) &&
    Array.isArray(v['lines']) && v['lines'].every(lineOk) &&
    isRec(totals) && ['subtotal', 'discount', 'shipping', 'tax', 'total', 'refunded'].every((k) => moneyOrNull(totals[k])) &&
    addressOk(v['billingAddress']) && addressOk(v['shippingAddress']) &&
    timestamp(v['placedAt']) && timestamp(v['cancelledAt']) && timestamp(v['closedAt']) && strOrNull(v['note']) &&
    Array.isArray(v['tags']) && v['tags'].every(str)
  );
}

const stockKeys = new Set(Object.keys(stockLevel).concat(['custom', 'raw']));
export function isStockLevel(v: unknown): boolean {
  return (
    isRec(v) && closed(v, stockKeys) && base(v) && str(v['sku']) && (v['sku'] as string).length > 0 && str(v['locationId']) &&
    strOrNull(v['productId']) && strOrNull(v['variantId']) && intOrNull(v['quantity']) && intOrNull(v['available']) &&
    intOrNull(v['reserved']) && intOrNull(v['committed']) && intOrNull(v['incoming'])
  );
}

// ---- run
if (!isOrder(order) || !isStockLevel(stockLevel) || !validateCanonical('commerce.order@1', order).valid || !validateCanonical('commerce.stocklevel@1', stockLevel).valid) {
  throw new Error('benchmark fixtures must be valid for every validator');
}
const options = { seconds: Number(values.seconds), rounds: Number(values.rounds) };
const validateOrder = canonicalValidator('commerce.order@1');
const validateStockLevel = canonicalValidator('commerce.stocklevel@1');
const results = [
  measure('guard commerce.order (3 lines)', () => isOrder(order), options),
  measure('ajv   commerce.order@1 (3 lines)', () => validateOrder(order).valid, options),
  measure('guard commerce.stocklevel', () => isStockLevel(stockLevel), options),
  measure('ajv   commerce.stocklevel@1', () => validateStockLevel(stockLevel).valid, options),
  measure('validateCanonical("commerce.order@1")', () => validateCanonical('commerce.order@1', order).valid, options),
];
printTable(results, [
  ['ajv   commerce.order@1 (3 lines)', 'guard commerce.order (3 lines)'],
  ['ajv   commerce.stocklevel@1', 'guard commerce.stocklevel'],
  ['validateCanonical("commerce.order@1")', 'ajv   commerce.order@1 (3 lines)'],
], values.json ?? false);
