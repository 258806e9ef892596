// Shop data shaped like Shopify's Admin REST API: locations, products with variants, stock levels per SKU and
// location, customers with addresses, and orders with lines whose totals add up exactly.
import { Random } from '../prng.ts';
import { convertMinor, formatMinor, parseMinor, percentOf } from '../money.ts';
import { BASE_MS } from '../time.ts';
import { address, between, email, iso, person, phone, timeline } from './common.ts';
import type { Customer, CustomerAddress, FinancialStatus, LineItem, Location, Order, Product, StockLevel, Variant } from './types.ts';
import {
  CITIES,
  COLORS,
  COMPANIES,
  CUSTOMER_TAGS,
  LOCALES,
  LOCATION_NAMES,
  PRODUCT_ADJECTIVES,
  PRODUCT_NOUNS,
  PRODUCT_TAGS,
  SENTENCES,
  SIZES,
  STREETS,
  VENDORS,
} from './words.ts';

/** The shop's own currency: products are priced in it; some orders are paid in others. */
export const SHOP_CURRENCY = 'EUR';

/** Tax rate (percent) applied to the lines of an order, by the order's currency. */
const TAX_PERCENT: Record<string, number> = { EUR: 20, GBP: 20, USD: 8, JPY: 10 };

export function generateLocations(seed: number, count: number): Location[] {
  const random = Random.forPart(seed, 'locations');
  return timeline(random, count).map((moments, i) => {
    const city = random.pick(CITIES);
    return {
      id: 70_000_001 + i,
      name: LOCATION_NAMES[i] ?? `Location ${i + 1}`,
      address1: `${random.pick(STREETS)} ${random.int(1, 220)}`,
      city: city[0],
      zip: city[2],
      country_code: city[3],
      // The last of several locations is closed: inactive locations still have (stale) stock.
      active: !(count > 2 && i === count - 1),
      fulfills_online_orders: i === 0 || random.chance(0.5),
      created_at: iso(moments.created),
      updated_at: iso(moments.updated),
    };
  });
}

export function generateProducts(seed: number, count: number): Product[] {
  const random = Random.forPart(seed, 'products');
  let variantId = 40_000_001;
  return timeline(random, count).map((moments, i) => {
    const id = 8_000_001 + i;
    const [noun, skuPrefix, productType] = random.pick(PRODUCT_NOUNS);
    const title = `${random.pick(PRODUCT_ADJECTIVES)} ${noun}`;
    const byColor = random.chance(0.5);
    const optionValues = random.sample<readonly [string, string]>(byColor ? COLORS : SIZES, random.int(1, 3));
    // Base price in cents, in 50-cent steps from 5.00 to 120.00.
    const basePrice = random.int(10, 240) * 50;
    const tracked = !random.chance(0.1);
    const variants: Variant[] = optionValues.map(([label, code], position) => {
      const price = basePrice + position * random.pick([0, 0, 100, 250]);
      const variantUpdated = between(random, moments.created, moments.updated);
      const vid = variantId++;
      return {
        id: vid,
        product_id: id,
        title: label,
        option1: label,
        sku: `${skuPrefix}-${String(i + 1).padStart(4, '0')}-${code}`,
        price: formatMinor(price, SHOP_CURRENCY),
        compare_at_price: random.chance(0.2) ? formatMinor(price + random.int(2, 10) * 100, SHOP_CURRENCY) : null,
        currency: SHOP_CURRENCY,
        position: position + 1,
        inventory_item_id: vid + 10_000_000,
        inventory_management: tracked ? 'shopify' : null,
        barcode: random.chance(0.5) ? String(random.int(100_000_000, 999_999_999)) + String(random.int(1000, 9999)) : null,
        grams: random.int(50, 1500),
        requires_shipping: true,
        taxable: !random.chance(0.05),
        created_at: iso(moments.created),
        updated_at: iso(variantUpdated),
      };
    });
    const status = random.weighted([['active', 80], ['draft', 12], ['archived', 8]] as const);
    const handle = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${i + 1}`;
    return {
      id,
      title,
      handle,
      body_html: random.chance(0.15) ? null : `<p>${random.pick(SENTENCES)}</p>`,
      vendor: random.pick(VENDORS),
      product_type: productType,
      status,
      tags: random.sample(PRODUCT_TAGS, random.int(0, 2)).join(', '),
      options: [{ name: byColor ? 'Color' : 'Size', values: optionValues.map(([label]) => label) }],
      variants,
      published_at: status === 'active' ? iso(moments.created) : null,
      created_at: iso(moments.created),
      updated_at: iso(moments.updated),
    };
  });
}

/**
 * One stock level per variant and location. Untracked variants have unknown (null) quantities everywhere;
 * tracked ones are sometimes unknown at a location, sometimes exactly zero. At least one null and one zero
 * are guaranteed whenever there are two levels or more, so tests can rely on both.
 */
export function generateStockLevels(seed: number, products: readonly Product[], locations: readonly Location[]): StockLevel[] {
  const random = Random.forPart(seed, 'stock_levels');
  const levels: StockLevel[] = [];
  for (const product of products) {
    for (const variant of product.variants) {
      for (const location of locations) {
        const unknown = variant.inventory_management === null || random.chance(0.08);
        const available = unknown ? null : random.chance(0.15) ? 0 : random.int(1, 200);
        const committed = available === null ? null : random.int(0, 5);
        levels.push({
          id: `${variant.inventory_item_id}:${location.id}`,
          inventory_item_id: variant.inventory_item_id,
          sku: variant.sku,
          product_id: product.id,
          variant_id: variant.id,
          location_id: location.id,
          available,
          on_hand: available === null || committed === null ? null : available + committed,
          committed,
          incoming: available === null ? null : random.chance(0.3) ? random.int(1, 50) : 0,
          updated_at: iso(between(random, BASE_MS, BASE_MS + 90 * 86_400_000)),
        });
      }
    }
  }
  const [first, second] = levels;
  if (first !== undefined && second !== undefined) {
    if (!levels.some((level) => level.available === null)) Object.assign(first, { available: null, on_hand: null, committed: null, incoming: null });
    if (!levels.some((level) => level.available === 0)) Object.assign(second, { available: 0, on_hand: 0, committed: 0 });
  }
  return levels;
}

export function generateCustomers(seed: number, count: number): Customer[] {
  const random = Random.forPart(seed, 'customers');
  let addressId = 90_000_001;
  return timeline(random, count).map((moments, i) => {
    const id = 6_000_001 + i;
    const who = person(random);
    const company = random.chance(0.25) ? random.pick(COMPANIES) : null;
    const addresses: CustomerAddress[] = [];
    const addressCount = random.weighted([[0, 15], [1, 65], [2, 20]] as const);
    for (let n = 0; n < addressCount; n++) {
      addresses.push({ id: addressId++, customer_id: id, ...address(random, who, company), default: n === 0 });
    }
    return {
      id,
      email: email(who, i + 1),
      first_name: random.chance(0.05) ? null : who.first,
      last_name: random.chance(0.05) ? null : who.last,
      phone: random.chance(0.35) ? null : phone(random, random.pick(CITIES)),
      state: random.weighted([['enabled', 80], ['disabled', 8], ['invited', 8], ['declined', 4]] as const),
      verified_email: !random.chance(0.1),
      accepts_marketing: random.chance(0.4),
      tax_exempt: company !== null && random.chance(0.3),
      tags: random.sample(CUSTOMER_TAGS, random.int(0, 2)).join(', '),
      note: random.chance(0.2) ? random.pick(SENTENCES) : null,
      currency: SHOP_CURRENCY,
      locale: random.chance(0.2) ? null : random.pick(LOCALES),
      // Filled in from the orders by applyCustomerTotals.
      orders_count: 0,
      total_spent: formatMinor(0, SHOP_CURRENCY),
      addresses,
      default_address: addresses[0] ?? null,
      created_at: iso(moments.created),
      updated_at: iso(moments.updated),
    };
  });
}

const ORDER_CURRENCIES = [[SHOP_CURRENCY, 80], ['USD', 10], ['GBP', 6], ['JPY', 4]] as const;

function orderStatuses(random: Random): Pick<Order, 'financial_status' | 'fulfillment_status' | 'status'> {
  const financial_status = random.weighted<FinancialStatus>([
    ['paid', 60],
    ['pending', 10],
    ['authorized', 8],
    ['partially_refunded', 6],
    ['refunded', 6],
    ['voided', 4],
  ]);
  const fulfillment_status =
    financial_status === 'paid' || financial_status === 'partially_refunded'
      ? random.weighted<Order['fulfillment_status']>([['fulfilled', 60], ['partial', 10], [null, 30]])
      : null;
  const status = financial_status === 'voided' ? 'cancelled' : fulfillment_status === 'fulfilled' && random.chance(0.5) ? 'closed' : 'open';
  return { financial_status, fulfillment_status, status };
}

export function generateOrders(seed: number, count: number, products: readonly Product[], customers: readonly Customer[], locations: readonly Location[]): Order[] {
  const random = Random.forPart(seed, 'orders');
  const variants = products.flatMap((product) => product.variants.map((variant) => ({ product, variant })));
  const customerCreated = customers.map((customer) => Date.parse(customer.created_at));
  let lineId = 30_000_001;
  return timeline(random, count).map((moments, i) => {
    const currency = random.weighted(ORDER_CURRENCIES);
    const taxPercent = TAX_PERCENT[currency] ?? 0;
    // Customers who existed when the order was placed; about one order in twenty is a guest checkout.
    const known = countAtOrBefore(customerCreated, moments.created);
    const customer = known > 0 && !random.chance(0.05) ? (customers[random.int(0, known - 1)] as Customer) : null;
    const lines: LineItem[] = [];
    let subtotal = 0;
    let discounts = 0;
    let tax = 0;
    const lineCount = variants.length === 0 ? 0 : random.weighted([[1, 15], [2, 25], [3, 30], [4, 20], [5, 10]] as const);
    for (let n = 0; n < lineCount; n++) {
      const { product, variant } = random.pick(variants);
      const quantity = random.weighted([[1, 70], [2, 20], [3, 10]] as const);
      const unit = convertMinor(parseMinor(variant.price, SHOP_CURRENCY), SHOP_CURRENCY, currency);
      const gross = unit * quantity;
      const discount = random.chance(0.15) ? percentOf(gross, 10) : 0;
      const lineTax = variant.taxable ? percentOf(gross - discount, taxPercent) : 0;
      subtotal += gross - discount;
      discounts += discount;
      tax += lineTax;
      lines.push({
        id: lineId++,
        product_id: product.id,
        variant_id: variant.id,
        sku: variant.sku,
        title: product.title,
        variant_title: product.variants.length > 1 ? variant.title : null,
        quantity,
        price: formatMinor(unit, currency),
        total_discount: formatMinor(discount, currency),
        tax: formatMinor(lineTax, currency),
        taxable: variant.taxable,
      });
    }
    const shipping = random.chance(0.4) ? 0 : convertMinor(490, SHOP_CURRENCY, currency);
    const statuses = orderStatuses(random);
    const who = customer === null ? person(random) : { first: customer.first_name ?? 'Guest', last: customer.last_name ?? 'Customer' };
    const shippingAddress = random.chance(0.05) ? null : address(random, who, null);
    const updated = iso(moments.updated);
    return {
      id: 5_000_001 + i,
      name: `#${1001 + i}`,
      order_number: 1001 + i,
      email: customer?.email ?? (random.chance(0.2) ? null : email(who, 10_000 + i, 'example.net')),
      customer_id: customer?.id ?? null,
      currency,
      ...statuses,
      subtotal_price: formatMinor(subtotal, currency),
      total_discounts: formatMinor(discounts, currency),
      total_tax: formatMinor(tax, currency),
      total_shipping: formatMinor(shipping, currency),
      total_price: formatMinor(subtotal + tax + shipping, currency),
      tax_rate: (taxPercent / 100).toFixed(2),
      line_items: lines,
      shipping_address: shippingAddress,
      billing_address: shippingAddress !== null && random.chance(0.8) ? { ...shippingAddress } : address(random, who, null),
      location_id: locations.length > 0 && statuses.fulfillment_status !== null ? random.pick(locations).id : null,
      // Not drawn from the random stream: adding it changed no other value.
      source_identifier: null,
      tags: random.chance(0.2) ? 'gift' : '',
      note: random.chance(0.1) ? random.pick(SENTENCES) : null,
      processed_at: iso(moments.created),
      cancelled_at: statuses.status === 'cancelled' ? updated : null,
      closed_at: statuses.status === 'closed' ? updated : null,
      created_at: iso(moments.created),
      updated_at: updated,
    };
  });
}

/** How many of the ascending `times` are at or before `at` (binary search). */
function countAtOrBefore(times: readonly number[], at: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] as number) <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Sets each customer's orders_count and total_spent (in the customer's currency) from the orders. */
export function applyCustomerTotals(customers: Customer[], orders: readonly Order[]): void {
  const byId = new Map(customers.map((customer) => [customer.id, { count: 0, spent: 0 }]));
  for (const order of orders) {
    const totals = order.customer_id === null ? undefined : byId.get(order.customer_id);
    if (totals === undefined) continue;
    totals.count++;
    if (order.currency === SHOP_CURRENCY && order.financial_status !== 'voided') totals.spent += parseMinor(order.total_price, SHOP_CURRENCY);
  }
  for (const customer of customers) {
    const totals = byId.get(customer.id);
    customer.orders_count = totals?.count ?? 0;
    customer.total_spent = formatMinor(totals?.spent ?? 0, customer.currency);
  }
}
