// The generated dataset: deterministic by seed, internally consistent, shaped like the APIs it imitates.
import { describe, expect, it } from 'vitest';
import { BASE_DATE, DEFAULT_COUNTS, RESOURCES, generateDataset, mulberry32, type Dataset } from '../src/index.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DECIMAL: Record<string, RegExp> = { EUR: /^-?\d+\.\d{2}$/, USD: /^-?\d+\.\d{2}$/, GBP: /^-?\d+\.\d{2}$/, JPY: /^-?\d+$/ };

function cents(amount: string): number {
  return Math.round(Number(amount) * 100);
}

describe('generateDataset', () => {
  const data = generateDataset(7, { orders: 200, products: 30, customers: 40 });

  it('gives byte-identical data for the same seed and different data for another', () => {
    expect(JSON.stringify(generateDataset(7, { orders: 200, products: 30, customers: 40 }))).toBe(JSON.stringify(data));
    const other = generateDataset(8, { orders: 200, products: 30, customers: 40 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(data));
    expect(other.orders.map((order) => order.total_price)).not.toEqual(data.orders.map((order) => order.total_price));
  });

  it('draws from a pinned pseudo-random sequence (mulberry32): data cannot drift between versions unnoticed', () => {
    const next = mulberry32(1);
    expect([next(), next(), next()].map((value) => value.toFixed(8))).toEqual(['0.62707394', '0.00273572', '0.52744704']);
  });

  it('keeps unrelated resources unchanged when one count changes', () => {
    const more = generateDataset(7, { orders: 201, products: 30, customers: 40 });
    expect(more.products).toEqual(data.products);
    expect(more.customers.map(({ orders_count: _o, total_spent: _t, ...rest }) => rest)).toEqual(
      data.customers.map(({ orders_count: _o, total_spent: _t, ...rest }) => rest),
    );
    expect(more.contacts.map((contact) => contact.id)).toEqual(data.contacts.map((contact) => contact.id));
  });

  it('honours the counts and defaults', () => {
    expect(data.orders).toHaveLength(200);
    expect(data.products).toHaveLength(30);
    const small = generateDataset(1);
    expect(small.orders).toHaveLength(DEFAULT_COUNTS.orders);
    expect(small.contacts).toHaveLength(DEFAULT_COUNTS.contacts);
    expect(small.stock_levels).toHaveLength(small.products.reduce((sum, product) => sum + product.variants.length, 0) * small.locations.length);
    const empty = generateDataset(1, { products: 0, orders: 0, customers: 0, locations: 0, contacts: 0, tickets: 0, users: 0, channels: 0, projects: 0 });
    for (const name of RESOURCES) expect(empty[name]).toEqual([]);
    expect(() => generateDataset(1, { orders: -1 })).toThrow(RangeError);
    expect(() => generateDataset(1.5)).toThrow(RangeError);
  });

  it('has unique ids, ISO timestamps at or after the base date, and updated_at ≥ created_at', () => {
    for (const name of RESOURCES) {
      const records = data[name] as { id: unknown; created_at?: string; updated_at: string }[];
      expect(new Set(records.map((record) => record.id)).size, name).toBe(records.length);
      for (const record of records) {
        expect(record.updated_at, name).toMatch(ISO);
        expect(Date.parse(record.updated_at)).toBeGreaterThanOrEqual(Date.parse(BASE_DATE));
        if (record.created_at !== undefined) {
          expect(record.created_at).toMatch(ISO);
          expect(Date.parse(record.updated_at)).toBeGreaterThanOrEqual(Date.parse(record.created_at));
        }
      }
    }
  });

  it('has some records sharing one updated_at (a bulk update), to exercise tie-breaking by id', () => {
    const counts = new Map<string, number>();
    for (const order of data.orders) counts.set(order.updated_at, (counts.get(order.updated_at) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeGreaterThan(1);
  });

  it('prices products as decimal strings with a currency and unique SKUs', () => {
    const skus = data.products.flatMap((product) => product.variants.map((variant) => variant.sku));
    expect(new Set(skus).size).toBe(skus.length);
    for (const variant of data.products.flatMap((product) => product.variants)) {
      expect(variant.price).toMatch(/^\d+\.\d{2}$/);
      expect(variant.currency).toBe('EUR');
    }
  });

  it('has orders of about three lines whose totals add up exactly, in each currency’s format', () => {
    const lines = data.orders.reduce((sum, order) => sum + order.line_items.length, 0) / data.orders.length;
    expect(lines).toBeGreaterThan(2.3);
    expect(lines).toBeLessThan(3.7);
    expect(new Set(data.orders.map((order) => order.currency)).size).toBeGreaterThan(1);
    for (const order of data.orders) {
      const format = DECIMAL[order.currency] as RegExp;
      for (const amount of [order.subtotal_price, order.total_tax, order.total_price, order.total_shipping, order.total_discounts]) expect(amount).toMatch(format);
      const subtotal = order.line_items.reduce((sum, line) => sum + cents(line.price) * line.quantity - cents(line.total_discount), 0);
      expect(cents(order.subtotal_price)).toBe(subtotal);
      expect(cents(order.total_tax)).toBe(order.line_items.reduce((sum, line) => sum + cents(line.tax), 0));
      expect(cents(order.total_price)).toBe(cents(order.subtotal_price) + cents(order.total_tax) + cents(order.total_shipping));
      expect(['open', 'closed', 'cancelled']).toContain(order.status);
      expect(order.name).toBe(`#${order.order_number}`);
    }
  });

  it('links records to each other', () => {
    const customers = new Set(data.customers.map((customer) => customer.id));
    const variants = new Set(data.products.flatMap((product) => product.variants.map((variant) => variant.id)));
    for (const order of data.orders) {
      if (order.customer_id !== null) expect(customers.has(order.customer_id)).toBe(true);
      for (const line of order.line_items) expect(line.variant_id !== null && variants.has(line.variant_id)).toBe(true);
    }
    for (const customer of data.customers) expect(customer.orders_count).toBe(data.orders.filter((order) => order.customer_id === customer.id).length);
    for (const ticket of data.tickets) expect(ticket.comments_count).toBe(data.comments.filter((comment) => comment.ticket_id === ticket.id).length);
    const contactEmails = new Set(data.contacts.map((contact) => contact.email));
    expect(data.customers.some((customer) => contactEmails.has(customer.email))).toBe(true);
  });

  it('models unknown stock as null and real zeros as 0', () => {
    for (const seed of [1, 2, 3]) {
      const levels = generateDataset(seed).stock_levels;
      expect(levels.some((level) => level.available === null)).toBe(true);
      expect(levels.some((level) => level.available === 0)).toBe(true);
      expect(levels.some((level) => typeof level.available === 'number' && level.available > 0)).toBe(true);
    }
    const tiny = generateDataset(1, { products: 1, locations: 2 });
    expect(tiny.stock_levels.map((level) => level.available)).toContain(null);
    expect(tiny.stock_levels.map((level) => level.available)).toContain(0);
  });

  it('shapes contacts, tickets and members like HubSpot, Jira and Slack', () => {
    const sample: Dataset = generateDataset(3);
    expect(sample.contacts[0]?.id).toMatch(/^\d+$/);
    expect(sample.tickets[0]?.key).toMatch(/^[A-Z]+-\d+$/);
    expect(sample.users[0]?.id).toMatch(/^U0[A-Z0-9]{9}$/);
    expect(sample.channels[0]).toMatchObject({ name: 'general', is_general: true });
    for (const ticket of sample.tickets.filter((t) => t.parent_id !== null)) expect(ticket.type).toBe('subtask');
  });
});
