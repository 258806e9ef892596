// A Stripe-shaped API over the shop data (API version 2023-08-16), as packages/schema/examples/stripe.json
// reads it (base URL {url}/v1):
//   GET /v1/customers  ?limit&starting_after&ending_before&created[gte|gt|lte|lt] → { object: 'list', data, has_more, url }
//   GET /v1/invoices   the same, one invoice per order of a known customer, lines embedded
//   GET /v1/customers/{id}, /v1/invoices/{id}
// Lists are newest first; ids look like Stripe's (cus_…, in_…) and are stable for a seed.
import type { Customer, CustomerAddress, Order } from '../data/types.ts';
import { parseMinor } from '../money.ts';
import { stableToken } from '../prng.ts';
import { intParam, jsonReply, problem, type Reply, type RequestContext } from '../http.ts';
import type { Route, Services } from '../router.ts';
import type { Store } from '../store.ts';
import { timeOf, unixSeconds } from '../time.ts';
import { viewCache } from '../views.ts';

interface StripeObject {
  id: string;
  created: number;
  /** Order of objects created in the same second (the native integer id). */
  tieBreak: number;
  object: Record<string, unknown>;
}

interface StripeList {
  items: StripeObject[];
  byId: Map<string, StripeObject>;
}

export function stripeCustomerId(seed: number, customerId: number): string {
  return `cus_${stableToken(seed, 'cus', customerId, 14)}`;
}

function stripeAddress(address: CustomerAddress | null): Record<string, unknown> | null {
  if (address === null) return null;
  return { city: address.city, country: address.country_code, line1: address.address1, line2: address.address2, postal_code: address.zip, state: address.province };
}

function customerObject(seed: number, customer: Customer): StripeObject {
  const id = stripeCustomerId(seed, customer.id);
  const created = unixSeconds(customer.created_at);
  const name = [customer.first_name, customer.last_name].filter((part) => part !== null).join(' ');
  const shipping = customer.addresses[1] ?? null;
  return {
    id,
    created,
    tieBreak: customer.id,
    object: {
      id,
      object: 'customer',
      address: stripeAddress(customer.default_address),
      balance: customer.tax_exempt ? -500 : 0,
      created,
      currency: customer.orders_count > 0 ? customer.currency.toLowerCase() : null,
      default_source: null,
      delinquent: customer.state === 'disabled',
      description: customer.note,
      discount: null,
      email: customer.email,
      invoice_prefix: stableToken(seed, 'prefix', customer.id, 8).toUpperCase(),
      livemode: false,
      metadata: { shop_customer_id: String(customer.id) },
      name: name === '' ? null : name,
      phone: customer.phone,
      preferred_locales: customer.locale === null ? [] : [customer.locale],
      shipping: shipping === null ? null : { address: stripeAddress(shipping), name: `${shipping.first_name ?? ''} ${shipping.last_name ?? ''}`.trim(), phone: shipping.phone },
      tax_exempt: customer.tax_exempt ? 'exempt' : 'none',
      test_clock: null,
    },
  };
}

const INVOICE_STATUS: Record<Order['financial_status'], string> = {
  paid: 'paid',
  partially_refunded: 'paid',
  refunded: 'paid',
  pending: 'open',
  authorized: 'open',
  voided: 'void',
};

function invoiceObject(seed: number, order: Order, customer: Customer, sequence: number): StripeObject {
  const id = `in_${stableToken(seed, 'in', order.id, 24)}`;
  const currency = order.currency.toLowerCase();
  const minor = (amount: string) => parseMinor(amount, order.currency);
  const created = unixSeconds(order.created_at);
  const taxPercent = Math.round(Number(order.tax_rate) * 100);
  const taxRate = { id: `txr_${stableToken(seed, 'txr', taxPercent, 24)}`, object: 'tax_rate', percentage: taxPercent, inclusive: false };
  const lines = order.line_items.map((line) => {
    const amount = minor(line.price) * line.quantity - minor(line.total_discount);
    return {
      id: `il_${stableToken(seed, 'il', line.id, 24)}`,
      object: 'line_item',
      amount,
      currency,
      description: line.variant_title === null ? line.title : `${line.title} (${line.variant_title})`,
      quantity: line.quantity,
      // Lines written without a variant or product (orders are writable) get a price and product of their own.
      price: {
        id: `price_${stableToken(seed, 'price', line.variant_id ?? `line-${line.id}`, 24)}`,
        object: 'price',
        product: `prod_${stableToken(seed, 'prod', line.product_id ?? `line-${line.id}`, 14)}`,
        unit_amount: minor(line.price),
        currency,
      },
      tax_amounts: minor(line.tax) === 0 ? [] : [{ amount: minor(line.tax), inclusive: false, tax_rate: taxRate }],
    };
  });
  const shipping = minor(order.total_shipping);
  if (shipping > 0) {
    lines.push({
      id: `il_${stableToken(seed, 'il-shipping', order.id, 24)}`,
      object: 'line_item',
      amount: shipping,
      currency,
      description: 'Shipping',
      quantity: 1,
      price: { id: `price_${stableToken(seed, 'price-shipping', 0, 24)}`, object: 'price', product: `prod_${stableToken(seed, 'prod-shipping', 0, 14)}`, unit_amount: shipping, currency },
      tax_amounts: [],
    });
  }
  const total = minor(order.total_price);
  const tax = minor(order.total_tax);
  const status = INVOICE_STATUS[order.financial_status];
  const paid = status === 'paid' ? total : 0;
  const refunded = order.financial_status === 'refunded' ? total : order.financial_status === 'partially_refunded' ? Math.floor(total / 2) : 0;
  const sendInvoice = order.financial_status === 'pending';
  const updated = unixSeconds(order.updated_at);
  return {
    id,
    created,
    tieBreak: order.id,
    object: {
      id,
      object: 'invoice',
      number: `${stableToken(seed, 'prefix', customer.id, 8).toUpperCase()}-${String(sequence).padStart(4, '0')}`,
      customer: stripeCustomerId(seed, customer.id),
      customer_email: customer.email,
      customer_name: [customer.first_name, customer.last_name].filter((part) => part !== null).join(' ') || null,
      status,
      currency,
      created,
      effective_at: created,
      due_date: sendInvoice ? created + 30 * 86_400 : null,
      collection_method: sendInvoice ? 'send_invoice' : 'charge_automatically',
      billing_reason: 'manual',
      subscription: null,
      subtotal: total - tax,
      tax,
      total,
      total_tax_amounts: tax === 0 ? [] : [{ amount: tax, inclusive: false, tax_rate: taxRate.id }],
      amount_due: status === 'void' ? 0 : total,
      amount_paid: paid,
      amount_remaining: status === 'open' ? total : 0,
      pre_payment_credit_notes_amount: 0,
      post_payment_credit_notes_amount: refunded,
      lines: { object: 'list', data: lines, has_more: false, total_count: lines.length, url: `/v1/invoices/${id}/lines` },
      status_transitions: {
        finalized_at: created,
        paid_at: status === 'paid' ? updated : null,
        voided_at: status === 'void' ? updated : null,
        marked_uncollectible_at: null,
      },
      hosted_invoice_url: `https://invoice.stripe.com/i/acct_testkit/${id}`,
      invoice_pdf: `https://pay.stripe.com/invoice/acct_testkit/${id}/pdf`,
      metadata: { order_id: String(order.id), order_name: order.name },
      livemode: false,
    },
  };
}

function newestFirst(items: StripeObject[]): StripeList {
  items.sort((a, b) => b.created - a.created || b.tieBreak - a.tieBreak);
  return { items, byId: new Map(items.map((item) => [item.id, item])) };
}

const customersView = viewCache((store: Store) =>
  newestFirst((store.records('customers') as unknown as Customer[]).map((customer) => customerObject(store.seed, customer))),
);

const invoicesView = viewCache((store: Store) => {
    const customers = new Map((store.records('customers') as unknown as Customer[]).map((customer) => [customer.id, customer]));
    const sequences = new Map<number, number>();
    const orders = [...(store.records('orders') as unknown as Order[])].sort((a, b) => timeOf(a.created_at) - timeOf(b.created_at) || a.id - b.id);
    const items: StripeObject[] = [];
    for (const order of orders) {
      const customer = order.customer_id === null ? undefined : customers.get(order.customer_id);
      if (customer === undefined) continue;
      const sequence = (sequences.get(customer.id) ?? 0) + 1;
      sequences.set(customer.id, sequence);
      items.push(invoiceObject(store.seed, order, customer, sequence));
    }
    return newestFirst(items);
});

/**
 * The position right after an anchor object in a newest-first list, by its (created, native id) key: the page
 * holds even when the anchor itself is filtered out of the list.
 */
function indexAfter(items: readonly StripeObject[], anchor: StripeObject): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const item = items[middle] as StripeObject;
    const before = item.created > anchor.created || (item.created === anchor.created && item.tieBreak >= anchor.tieBreak);
    if (before) low = middle + 1;
    else high = middle;
  }
  return low;
}

const CREATED_OPERATORS: Record<string, (created: number, bound: number) => boolean> = {
  'created[gte]': (created, bound) => created >= bound,
  'created[gt]': (created, bound) => created > bound,
  'created[lte]': (created, bound) => created <= bound,
  'created[lt]': (created, bound) => created < bound,
  created: (created, bound) => created === bound,
};

function listRoute(path: string, noun: string, view: (store: Store) => StripeList) {
  return (ctx: RequestContext, { store }: Services): Reply => {
    const list = view(store);
    const limit = intParam(ctx, 'stripe', 'limit', { default: 10, min: 1 });
    if (!limit.ok) return limit.reply;
    if (limit.value > 100) return problem('stripe', 400, 'invalid_parameter', 'This value must be less than or equal to 100.', {}, { param: 'limit' });
    let items = list.items;
    for (const [param, test] of Object.entries(CREATED_OPERATORS)) {
      const raw = ctx.query.get(param);
      if (raw === null) continue;
      if (!/^\d+$/.test(raw)) return problem('stripe', 400, 'invalid_parameter', `Invalid integer: ${raw}`, {}, { param });
      items = items.filter((item) => test(item.created, Number(raw)));
    }
    const after = ctx.query.get('starting_after');
    const before = ctx.query.get('ending_before');
    let page: StripeObject[];
    let hasMore: boolean;
    // trailingEmptyPage: has_more stays true on the last page; the page after it is empty.
    const trailing = ctx.paging?.kind === 'trailingEmptyPage';
    if (ctx.paging?.kind === 'endlessCursor') {
      page = items.slice(0, limit.value);
      hasMore = true;
    } else if (before !== null) {
      const anchor = list.byId.get(before);
      if (anchor === undefined) return problem('stripe', 400, 'not_found', `No such ${noun}: '${before}'`, {}, { param: 'ending_before' });
      const after = indexAfter(items, anchor);
      const end = items[after - 1] === anchor ? after - 1 : after;
      page = items.slice(Math.max(0, end - limit.value), end);
      hasMore = end - limit.value > 0 || (trailing && page.length > 0);
    } else {
      let start = 0;
      if (after !== null) {
        const anchor = list.byId.get(after);
        if (anchor === undefined) return problem('stripe', 400, 'not_found', `No such ${noun}: '${after}'`, {}, { param: 'starting_after' });
        start = indexAfter(items, anchor);
      }
      page = items.slice(start, start + limit.value);
      hasMore = start + limit.value < items.length || (trailing && page.length > 0);
    }
    return jsonReply(200, { object: 'list', data: page.map((item) => item.object), has_more: hasMore, url: path });
  };
}

function oneRoute(noun: string, view: (store: Store) => StripeList) {
  return (ctx: RequestContext, { store }: Services): Reply => {
    const id = ctx.params['id'] ?? '';
    const item = view(store).byId.get(id);
    return item === undefined ? problem('stripe', 404, 'not_found', `No such ${noun}: '${id}'`, {}, { param: 'id' }) : jsonReply(200, item.object);
  };
}

export const stripeRoutes: Route[] = [
  { method: 'GET', pattern: '/v1/customers', style: 'stripe', authenticated: true, handle: listRoute('/v1/customers', 'customer', customersView) },
  { method: 'GET', pattern: '/v1/customers/:id', style: 'stripe', authenticated: true, handle: oneRoute('customer', customersView) },
  { method: 'GET', pattern: '/v1/invoices', style: 'stripe', authenticated: true, handle: listRoute('/v1/invoices', 'invoice', invoicesView) },
  { method: 'GET', pattern: '/v1/invoices/:id', style: 'stripe', authenticated: true, handle: oneRoute('invoice', invoicesView) },
];

