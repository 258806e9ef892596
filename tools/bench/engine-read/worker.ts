// One measured read in its own process: `engine` (compileConnector), `baseline` (a hand-written fetch loop doing
// the same requests, parsing, mapping and validation) or `floor` (the same requests and JSON.parse, nothing else:
// what any reader of this API pays). Prints records, milliseconds, CPU and peak RSS.
import { canonicalKey, canonicalValidator, createCanonicalEvent, getCanonicalType } from '@pullpush/canonical';
import { compileConnector } from '@pullpush/engine';
import { benchDefinition } from './definition.ts';

const [kind, url] = process.argv.slice(2) as ['engine' | 'baseline' | 'floor', string];
const token = 'bench-token-0123456789';

// Native JSON as the API sends it: the baseline reads it as loosely as a hand-written loop would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Native = Record<string, any>;

function mapOrder(o: Native): Record<string, unknown> {
  const money = (amount: string) => ({ amount, currency: o['currency'] as string });
  const fulfillment = o['fulfillment_status'];
  const record: Record<string, unknown> = {
    id: '',
    remote: { connector: 'bench-shop', connection: 'default', stream: 'orders', id: String(o['id']) },
    createdAt: o['created_at'],
    updatedAt: o['updated_at'],
    deleted: false,
    number: o['name'],
    status: { value: o['status'] === 'closed' ? 'completed' : o['status'], native: o['status'] },
    paymentStatus: { value: o['financial_status'], native: o['financial_status'] },
    fulfillmentStatus: { value: fulfillment === 'fulfilled' ? 'fulfilled' : fulfillment === 'partial' ? 'partially_fulfilled' : 'unfulfilled', native: fulfillment },
    customerId: o['customer_id'] === null ? null : String(o['customer_id']),
    email: o['email'],
    currency: o['currency'],
    lines: (o['line_items'] as Native[]).map((line) => ({
      id: String(line['id']), productId: String(line['product_id']), variantId: String(line['variant_id']), sku: line['sku'], name: line['title'],
      quantity: line['quantity'], unitPrice: money(line['price']), discount: money(line['total_discount']), tax: money(line['tax']), total: null,
    })),
    totals: {
      subtotal: money(o['subtotal_price']), discount: money(o['total_discounts']), shipping: money(o['total_shipping']),
      tax: money(o['total_tax']), total: money(o['total_price']), refunded: null,
    },
    billingAddress: null,
    shippingAddress: null,
    placedAt: o['processed_at'],
    cancelledAt: o['cancelled_at'],
    closedAt: o['closed_at'],
    note: o['note'],
    tags: o['tags'] === '' ? [] : String(o['tags']).split(', '),
  };
  return record;
}

/** Every page of orders, fetched and parsed; `each` gets the records. */
async function pages(each: (orders: Native[]) => void): Promise<number> {
  let records = 0;
  let cursor: string | null = null;
  for (;;) {
    const page = new URL(`${url}/cursor/orders`);
    page.searchParams.set('limit', '100');
    if (cursor) page.searchParams.set('cursor', cursor);
    const response = await fetch(page, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    const body = JSON.parse(await response.text()) as { data: Native[]; next_cursor: string | null; has_more: boolean };
    each(body.data);
    records += body.data.length;
    if (!body.has_more || !body.next_cursor || body.data.length === 0) return records;
    cursor = body.next_cursor;
  }
}

async function baseline(): Promise<number> {
  const type = getCanonicalType('commerce.order@1');
  const validate = canonicalValidator(type);
  return pages((orders) => {
    for (const order of orders) {
      const record = mapOrder(order);
      if (!validate({ ...record, id: 'pending' }).valid) throw new Error(`invalid record ${String(order['id'])}`);
      record['id'] = canonicalKey(type, record);
      createCanonicalEvent(type, record, { validate: false });
    }
  });
}

/** The transport floor: the same requests and JSON.parse, no records made. */
function floor(): Promise<number> {
  return pages(() => undefined);
}

async function engine(): Promise<number> {
  const connector = await compileConnector(benchDefinition(url), { token }, { allowInsecureHttp: true, allowPrivateNetwork: 'loopback' });
  let records = 0;
  for await (const message of connector.read('orders')) {
    if (message.type === 'record') records += 1;
    else if (message.type === 'failure') throw new Error(`${message.remoteId}: ${message.message} ${JSON.stringify(message.issues)}`);
  }
  await connector.close();
  return records;
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
const records = kind === 'engine' ? await engine() : kind === 'floor' ? await floor() : await baseline();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(`${JSON.stringify({ kind, records, ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
