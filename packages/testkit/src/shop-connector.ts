// A ready-made PullPush connector definition for testkit's own shop API: the generic cursor routes
// (`GET /cursor/{resource}`), read incrementally with tombstones, mapped to the canonical commerce types; with
// `writes: true` also a destination (shop-writes.ts). The CLI demo, sync tests and benchmarks read a testkit server
// with it instead of each writing their own.
// Only schema *types* are imported: testkit has no runtime dependency of ours.
import type { ConnectorDefinition, FieldMappingSpec, StreamSpec } from '@pullpush/schema';
import { TOKEN_PATH } from './auth.ts';
import { MAX_PAGE_SIZE } from './routes/styles.ts';
import { SHOP_WRITES } from './shop-writes.ts';

export interface ShopConnectorOptions {
  /** The testkit server's URL (`api.url`); default `http://127.0.0.1:8080`. */
  baseUrl?: string;
  /** Records per page, 1–100 (testkit's cap); default 100. */
  pageSize?: number;
  /**
   * Also a destination: writes of commerce.customer@1, commerce.order@1 and commerce.stocklevel@1 to the shop's
   * customers, orders and stock levels, with lookups of existing ones (see {@link SHOP_WRITES}). Default false.
   */
  writes?: boolean;
  /**
   * How the connector authenticates: `bearer` (default; config {@link ShopConnectorConfig}) or `oauth2RefreshToken`
   * (config {@link ShopConnectorOAuthConfig}), each against a server started with the `auth` of that kind.
   */
  auth?: 'bearer' | 'oauth2RefreshToken';
}

/**
 * The connection config the definition expects (its `config` schema): `apiKey`, a secret sent as
 * `Authorization: Bearer <apiKey>` — start the server with `auth: { kind: 'bearer', token: apiKey }`.
 */
export interface ShopConnectorConfig {
  apiKey: string;
}

/**
 * The config of `auth: 'oauth2RefreshToken'`: the client and the refresh token the server was started with
 * (`auth: { kind: 'oauth2RefreshToken', clientId, clientSecret, refreshToken }`). The connector trades the refresh
 * token for access tokens at the server's token endpoint; where the server rotates it (`rotate: true`), the engine
 * hands each new one to `onConfigUpdate('refreshToken', …)` to be stored in place of the old.
 */
export interface ShopConnectorOAuthConfig {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

const secret = (title: string, description: string) => ({ type: 'string', title, description, minLength: 1, secret: true }) as const;

/** The config schema and auth of each kind the connector offers. */
const AUTH = {
  bearer: {
    config: {
      type: 'object',
      required: ['apiKey'],
      additionalProperties: false,
      properties: { apiKey: secret('API key', 'The bearer token the testkit server was started with.') },
    },
    auth: { kind: 'bearer', token: '{{ $config.apiKey }}' },
  },
  oauth2RefreshToken: {
    config: {
      type: 'object',
      required: ['clientId', 'clientSecret', 'refreshToken'],
      additionalProperties: false,
      properties: {
        clientId: { type: 'string', title: 'Client id', description: 'The OAuth client the testkit server was started with.', minLength: 1 },
        clientSecret: secret('Client secret', "The OAuth client's secret."),
        refreshToken: secret('Refresh token', 'The refresh token; replaced by each one the server rotates to.'),
      },
    },
    auth: {
      kind: 'oauth2RefreshToken',
      tokenUrl: TOKEN_PATH,
      clientId: '{{ $config.clientId }}',
      clientSecret: '{{ $config.clientSecret }}',
      refreshToken: '{{ $config.refreshToken }}',
      rotation: { configKey: 'refreshToken' },
    },
  },
} as const satisfies Record<NonNullable<ShopConnectorOptions['auth']>, Pick<ConnectorDefinition, 'config' | 'auth'>>;

export const SHOP_CONNECTOR_ID = 'testkit-shop';

/** The streams of the definition, each read from the testkit resource of the same name. */
export const SHOP_STREAMS = ['locations', 'products', 'stock_levels', 'customers', 'orders'] as const;
export type ShopStream = (typeof SHOP_STREAMS)[number];

/**
 * How far before the stored cursor an incremental read starts again. testkit's clock never stamps a change
 * earlier than one already read, but real APIs commit late; a few seconds of overlap is the usual guard.
 */
export const SHOP_LOOKBACK_SECONDS = 5;

const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

type Fields = Record<string, FieldMappingSpec>;

const quoted = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** An Enumerated field `{ value, native }`: the native value when the canonical enum names it, else `other`. */
function enumerated(field: string, values: readonly string[]): FieldMappingSpec {
  return { expr: `{ 'value': ${field} in [${quoted(values)}] ? ${field} : 'other', 'native': ${field} }` };
}

/** Money from a decimal-string field, in the record's `currency`; null stays null. */
function money(field: string, currency = 'currency'): string {
  return `${field} = null ? null : { 'amount': ${field}, 'currency': ${currency} }`;
}

/** Comma-separated tags ("a, b", as Shopify sends them) as an array; "" is no tags. */
const TAGS: FieldMappingSpec = { expr: "tags = '' ? [] : $split(tags, ', ')" };

/** A native address (relative to the address object) as a canonical address. Both names may be null. */
const ADDRESS =
  "{ 'name': first_name and last_name ? first_name & ' ' & last_name : first_name ? first_name : last_name, 'company': company, " +
  "'line1': address1, 'line2': address2, 'city': city, 'region': province, 'postalCode': zip, 'country': country_code, 'phone': phone }";

/** The address at `path`, or null. Tested on address1 (always set) because the fast subset cannot test objects. */
const addressAt = (path: string): FieldMappingSpec => ({ expr: `${path}.address1 ? ${path}.${ADDRESS} : null` });

const locationFields: Fields = {
  createdAt: { path: 'created_at' },
  name: { path: 'name' },
  // Locations say nothing about what kind of place they are.
  kind: { const: { value: 'other', native: null } },
  address: {
    expr: "{ 'name': null, 'company': null, 'line1': address1, 'line2': null, 'city': city, 'region': null, 'postalCode': zip, 'country': country_code, 'phone': null }",
  },
  active: { path: 'active' },
  fulfillsOnlineOrders: { path: 'fulfills_online_orders' },
};

const productFields: Fields = {
  createdAt: { path: 'created_at' },
  title: { path: 'title' },
  description: { path: 'body_html' },
  vendor: { path: 'vendor' },
  productType: { path: 'product_type' },
  status: enumerated('status', ['active', 'draft', 'archived']),
  handle: { path: 'handle' },
  tags: TAGS,
  images: { const: [] },
  // The option name lives on the product ($$), the value on the variant. `[0]` leaves the fast subset: products are few.
  variants: {
    expr:
      "[variants.{ 'id': $string(id), 'sku': sku, 'title': title, " +
      "'options': option1 = null ? [] : [{ 'name': $$.options[0].name, 'value': option1 }], " +
      `'price': ${money('price')}, 'compareAtPrice': ${money('compare_at_price')}, 'barcode': barcode, ` +
      "'weight': grams, 'weightUnit': { 'value': 'g', 'native': null }, 'inventoryTracked': inventory_management != null, " +
      "'requiresShipping': requires_shipping, 'taxable': taxable, 'position': position }]",
  },
  publishedAt: { path: 'published_at' },
};

const stockLevelFields: Fields = {
  // Stock levels carry no creation time. Quantities are copied as they are: null (unknown) stays null, never 0.
  createdAt: { const: null },
  sku: { path: 'sku' },
  locationId: { expr: '$string(location_id)' },
  productId: { expr: '$string(product_id)' },
  variantId: { expr: '$string(variant_id)' },
  quantity: { path: 'on_hand' },
  available: { path: 'available' },
  reserved: { const: null },
  committed: { path: 'committed' },
  incoming: { path: 'incoming' },
};

const customerFields: Fields = {
  createdAt: { path: 'created_at' },
  firstName: { path: 'first_name' },
  lastName: { path: 'last_name' },
  email: { path: 'email' },
  phone: { path: 'phone' },
  addresses: { expr: `[addresses.${ADDRESS}]` },
  defaultAddress: addressAt('default_address'),
  acceptsMarketing: { path: 'accepts_marketing' },
  state: enumerated('state', ['enabled', 'disabled', 'invited', 'declined']),
  totalSpent: { expr: money('total_spent') },
  ordersCount: { path: 'orders_count' },
  tags: TAGS,
  note: { path: 'note' },
  locale: { path: 'locale' },
  taxExempt: { path: 'tax_exempt' },
};

const orderFields: Fields = {
  createdAt: { path: 'created_at' },
  number: { path: 'name' },
  status: { expr: "{ 'value': status = 'closed' ? 'completed' : status in ['open', 'cancelled'] ? status : 'other', 'native': status }" },
  paymentStatus: enumerated('financial_status', ['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided', 'failed']),
  fulfillmentStatus: {
    expr:
      "{ 'value': fulfillment_status = null ? 'unfulfilled' : fulfillment_status = 'partial' ? 'partially_fulfilled' : " +
      "fulfillment_status = 'fulfilled' ? 'fulfilled' : 'other', 'native': fulfillment_status }",
  },
  customerId: { expr: 'customer_id = null ? null : $string(customer_id)' },
  email: { path: 'email' },
  currency: { path: 'currency' },
  // Lines carry no total of their own (and computing one would be float arithmetic): total stays null.
  lines: {
    expr:
      "[line_items.{ 'id': $string(id), 'productId': $string(product_id), 'variantId': $string(variant_id), 'sku': sku, " +
      "'name': variant_title = null ? title : title & ' - ' & variant_title, 'quantity': quantity, " +
      `'unitPrice': ${money('price', '$$.currency')}, 'discount': ${money('total_discount', '$$.currency')}, ` +
      `'tax': ${money('tax', '$$.currency')}, 'total': null }]`,
  },
  'totals.subtotal': { expr: money('subtotal_price') },
  'totals.discount': { expr: money('total_discounts') },
  'totals.shipping': { expr: money('total_shipping') },
  'totals.tax': { expr: money('total_tax') },
  'totals.total': { expr: money('total_price') },
  // Orders say that they were refunded, not how much.
  'totals.refunded': { const: null },
  billingAddress: addressAt('billing_address'),
  shippingAddress: addressAt('shipping_address'),
  placedAt: { path: 'processed_at' },
  cancelledAt: { path: 'cancelled_at' },
  closedAt: { path: 'closed_at' },
  note: { path: 'note' },
  tags: TAGS,
};

const STREAMS: Record<ShopStream, { canonical: string; fields: Fields }> = {
  locations: { canonical: 'commerce.location@1', fields: locationFields },
  products: { canonical: 'commerce.product@1', fields: productFields },
  stock_levels: { canonical: 'commerce.stocklevel@1', fields: stockLevelFields },
  customers: { canonical: 'commerce.customer@1', fields: customerFields },
  orders: { canonical: 'commerce.order@1', fields: orderFields },
};

/** One stream over `GET /cursor/{resource}`: keyset pages, `updated_since` increments, tombstones included. */
function cursorStream(resource: ShopStream, pageSize: number): StreamSpec {
  const { canonical, fields } = STREAMS[resource];
  return {
    canonical,
    // Deleted records come as tombstones (last state + deleted: true, updated_at = deletion time), so an
    // incremental read sees deletions too.
    request: { path: `/cursor/${resource}`, query: { include_deleted: 'true' } },
    records: { path: 'data' },
    primaryKey: ['id'],
    pagination: {
      kind: 'cursor',
      cursor: { from: 'body', path: 'next_cursor' },
      param: { in: 'query', name: 'cursor' },
      stopWhen: '$not(has_more)',
      pageSize: { param: { in: 'query', name: 'limit' }, value: pageSize },
    },
    incremental: { cursorField: 'updated_at', format: 'iso8601', param: { in: 'query', name: 'updated_since' }, lookbackSeconds: SHOP_LOOKBACK_SECONDS },
    mapping: {
      fields: {
        updatedAt: { path: 'updated_at' },
        // Live records have no `deleted` field; a path would map them to null, which `deleted` may not be.
        deleted: { expr: 'deleted = true' },
        ...fields,
      },
    },
  };
}

/**
 * A connector definition that reads a testkit server's shop: locations, products, stock levels, customers and
 * orders as `commerce.*@1` records, incrementally (`updated_at`, with {@link SHOP_LOOKBACK_SECONDS} of lookback),
 * deletions as tombstones (`deleted: true`). Config: {@link ShopConnectorConfig}.
 *
 * testkit serves plain http on 127.0.0.1, which a definition may not ask for (the validator reports
 * DSL_INSECURE_BASE_URL): the engine runs it with `{ allowInsecureHttp: true, allowPrivateNetwork: 'loopback' }`.
 *
 * ```ts
 * const api = await startTestApi({ auth: { kind: 'bearer', token: 't0ken' } });
 * const connector = await compileConnector(shopConnectorDefinition({ baseUrl: api.url }), { apiKey: 't0ken' }, {
 *   allowInsecureHttp: true,
 *   allowPrivateNetwork: 'loopback',
 * });
 * ```
 */
export function shopConnectorDefinition(options: ShopConnectorOptions = {}): ConnectorDefinition {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`shopConnectorDefinition: pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  const kind = options.auth ?? 'bearer';
  if (!Object.hasOwn(AUTH, kind)) throw new RangeError(`shopConnectorDefinition: auth must be one of ${Object.keys(AUTH).join(', ')}, got ${String(kind)}`);
  const access = AUTH[kind];
  return {
    dsl: 'pullpush/v1',
    id: SHOP_CONNECTOR_ID,
    name: 'Testkit shop',
    version: '1.0.0',
    description: "Reads the shop of a @pullpush/testkit server (its generic cursor routes) as commerce.location, product, stocklevel, customer and order records.",
    categories: ['commerce'],
    config: structuredClone(access.config) as NonNullable<ConnectorDefinition['config']>,
    http: { baseUrl: options.baseUrl ?? DEFAULT_BASE_URL },
    auth: structuredClone(access.auth) as ConnectorDefinition['auth'],
    // No fixed budget: testkit limits only when started with `rateLimit`, and then says so in RateLimit-* headers,
    // which the engine honours.
    rateLimits: { maxConcurrency: 4 },
    streams: Object.fromEntries(SHOP_STREAMS.map((resource) => [resource, cursorStream(resource, pageSize)])),
    // Locations are the smallest collection: one cheap page proves the token works.
    check: { stream: 'locations' },
    ...(options.writes ? { writes: structuredClone(SHOP_WRITES) as NonNullable<ConnectorDefinition['writes']> } : {}),
  };
}
