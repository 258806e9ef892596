// The whole dataset from a seed and counts. Each resource draws from its own random stream, so changing one
// count leaves the records of unrelated resources unchanged.
import { applyCustomerTotals, generateCustomers, generateLocations, generateOrders, generateProducts, generateStockLevels } from './commerce.ts';
import { generateContacts } from './crm.ts';
import { generateComments, generateProjects, generateTickets } from './ticketing.ts';
import type { Dataset, DatasetCounts, ResourceName } from './types.ts';
import { generateChannels, generateUsers } from './workspace.ts';

/** Small by default: enough for several pages in every pagination style, fast to generate. */
export const DEFAULT_COUNTS: Readonly<DatasetCounts> = Object.freeze({
  products: 20,
  orders: 60,
  customers: 25,
  locations: 3,
  contacts: 30,
  projects: 3,
  tickets: 20,
  users: 10,
  channels: 6,
});

/** Every resource the generic routes serve, in a stable order. */
export const RESOURCES: readonly ResourceName[] = Object.freeze([
  'products',
  'orders',
  'customers',
  'locations',
  'stock_levels',
  'contacts',
  'projects',
  'tickets',
  'comments',
  'users',
  'channels',
]);

export function isResourceName(name: string): name is ResourceName {
  return (RESOURCES as readonly string[]).includes(name);
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 1_000_000) {
    throw new RangeError(`dataset.${name} must be an integer from 0 to 1000000, got ${value}`);
  }
  return value;
}

/** Generates the dataset; the same seed and counts always give the same records, byte for byte. */
export function generateDataset(seed: number, counts: Partial<DatasetCounts> = {}): Dataset {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const n = Object.fromEntries(
    Object.entries({ ...DEFAULT_COUNTS, ...counts }).map(([name, value]) => [name, checkCount(name, value)]),
  ) as unknown as DatasetCounts;
  const users = generateUsers(seed, n.users);
  const locations = generateLocations(seed, n.locations);
  const products = generateProducts(seed, n.products);
  const stock_levels = generateStockLevels(seed, products, locations);
  const customers = generateCustomers(seed, n.customers);
  const orders = generateOrders(seed, n.orders, products, customers, locations);
  applyCustomerTotals(customers, orders);
  const contacts = generateContacts(seed, n.contacts, customers, users);
  const projects = generateProjects(n.projects);
  const tickets = generateTickets(seed, n.tickets, projects, users);
  const comments = generateComments(seed, tickets, users);
  const channels = generateChannels(seed, n.channels, users);
  return { products, orders, customers, locations, stock_levels, contacts, projects, tickets, comments, users, channels };
}
