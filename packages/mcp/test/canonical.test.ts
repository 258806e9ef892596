// Canonical tools through the SDK's real Client: the type catalogue and fields, record validation with
// pointers, one native record through a stored stream's mapping, and deterministic mapping suggestions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJsonSchema, listCanonicalTypes, validateCanonical } from '@pullpush/canonical';
import { generateDataset, shopConnectorDefinition } from '@pullpush/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connect } from './support.ts';

type Json = Record<string, unknown>;

const dataset = generateDataset(7, { orders: 3, customers: 3, products: 3, locations: 2, contacts: 2 });
const nativeOrder = structuredClone(dataset.orders[0]) as unknown as Json;
const shop = shopConnectorDefinition() as unknown as Json;

interface Suggestions {
  type: string;
  suggestions: Array<{ field: string; path: string; pointer: string; confidence: number; reason: string; mapping?: Json }>;
  unmatched: Array<{ field: string; type: string; required: boolean }>;
  unmappedNative: Array<{ path: string; pointer: string; type: string }>;
  draft: Record<string, Json>;
}

describe('list_canonical_types and get_canonical_type', () => {
  it('lists every type with its key, and filters by domain', async () => {
    const { ok } = await connect();
    const all = await ok<{ types: Array<{ type: string }> }>('list_canonical_types');
    expect(all.types.map((type) => type.type)).toEqual(listCanonicalTypes().map((definition) => `${definition.name}@${definition.version}`));
    const commerce = await ok<{ types: Array<{ type: string; domain: string }> }>('list_canonical_types', { domain: 'commerce' });
    expect(commerce.types.map((type) => type.type)).toEqual([
      'commerce.customer@1',
      'commerce.fulfillment@1',
      'commerce.location@1',
      'commerce.order@1',
      'commerce.product@1',
      'commerce.stocklevel@1',
    ]);
    expect(commerce.types.find((type) => type.type === 'commerce.stocklevel@1')).toEqual({
      type: 'commerce.stocklevel@1',
      name: 'commerce.stocklevel',
      version: 1,
      title: expect.any(String),
      description: expect.any(String),
      domain: 'commerce',
      key: ['sku', 'locationId'],
    });
  });

  it('refuses an unknown domain with a did-you-mean', async () => {
    const { fails } = await connect();
    expect(await fails('list_canonical_types', { domain: 'comerce' })).toEqual({
      code: 'MCP_NOT_FOUND',
      message: 'No canonical types in domain "comerce".',
      hint: 'Did you mean "commerce"? Domains: accounting, commerce, common, crm, hris, ticketing.',
      issues: [],
    });
  });

  it('returns the JSON Schema, key and flat field list of a type', async () => {
    const { ok } = await connect();
    const order = await ok<Json & { fields: Array<{ path: string }> }>('get_canonical_type', { type: 'commerce.order' });
    expect(order).toMatchObject({
      type: 'commerce.order@1',
      name: 'commerce.order',
      version: 1,
      title: 'Order',
      domain: 'commerce',
      key: ['remote.connector', 'remote.connection', 'remote.id'],
      schemaId: 'urn:pullpush:canonical:commerce.order:1',
      schema: canonicalJsonSchema('commerce.order@1'),
    });
    const byPath = Object.fromEntries(order.fields.map((field) => [field.path, field]));
    expect(byPath['id']).toEqual({ path: 'id', type: 'string', required: true, nullable: false, description: expect.any(String), note: 'filled by the engine (the canonical key); never mapped' });
    expect(byPath['remote.id']).toMatchObject({ type: 'string', required: true, note: expect.stringContaining('primaryKey') });
    expect(byPath['totals.total']).toEqual({ path: 'totals.total', type: 'money { amount: decimal string, currency: ISO 4217 }', required: true, nullable: true, description: 'Amount the customer pays. Null when the source has no value.' });
    expect(byPath['status']).toMatchObject({ type: 'enum { value: draft | open | completed | cancelled | other, native }', required: true, nullable: false });
    expect(byPath['createdAt']).toMatchObject({ type: 'timestamp (ISO 8601 UTC)', nullable: true });
    expect(byPath['lines']).toMatchObject({ type: 'array of object', nullable: false });
    expect(byPath['lines[].quantity']).toMatchObject({ type: 'integer', required: true, nullable: false });
    expect(byPath['billingAddress.country']).toMatchObject({ type: 'country code (ISO 3166-1 alpha-2)', nullable: true });
    expect(byPath['tags']).toMatchObject({ type: 'array of string' });
    expect(byPath['currency']).toMatchObject({ type: 'currency code (ISO 4217)', nullable: false });
  });

  it('answers an unknown type with MCP_NOT_FOUND and the closest type or the known versions', async () => {
    const { fails } = await connect();
    expect(await fails('get_canonical_type', { type: 'commerce.ordr@1' })).toMatchObject({
      code: 'MCP_NOT_FOUND',
      message: 'No canonical type "commerce.ordr@1".',
      hint: expect.stringMatching(/^Did you mean "commerce.order"\? Types: accounting.invoice, /),
    });
    expect(await fails('get_canonical_type', { type: 'commerce.order@9' })).toMatchObject({ code: 'MCP_NOT_FOUND', hint: 'Known versions of commerce.order: 1.' });
    expect((await fails('validate_canonical', { type: 'nothing', record: {} })).code).toBe('MCP_NOT_FOUND');
  });
});

describe('validate_canonical and map_record', () => {
  it('maps a native order through the stored shop definition into a valid canonical order', async () => {
    const { ok } = await connect();
    await ok('create_definition', { document: shop });
    const mapped = await ok<{ ok: boolean; record: Json }>('map_record', { definition: 'testkit-shop', stream: 'orders', record: nativeOrder, now: '2026-02-01T00:00:00Z' });
    expect(mapped).toMatchObject({ definition: 'testkit-shop', revision: 1, stream: 'orders', canonical: 'commerce.order@1', ok: true, remoteId: String(nativeOrder['id']), issues: [] });
    expect(mapped.record).toMatchObject({
      remote: { connector: 'testkit-shop', connection: 'default', stream: 'orders', id: String(nativeOrder['id']) },
      number: nativeOrder['name'],
      email: nativeOrder['email'],
      currency: nativeOrder['currency'],
      createdAt: nativeOrder['created_at'],
      deleted: false,
      totals: { total: { amount: nativeOrder['total_price'], currency: nativeOrder['currency'] } },
    });
    expect((mapped.record['lines'] as unknown[]).length).toBe((nativeOrder['line_items'] as unknown[]).length);
    expect(validateCanonical('commerce.order@1', mapped.record).valid).toBe(true);
    expect(await ok('validate_canonical', { type: 'commerce.order@1', record: mapped.record })).toEqual({ type: 'commerce.order@1', valid: true, issues: [] });
  });

  it('reports what a canonical record gets wrong, at its pointers', async () => {
    const { ok } = await connect();
    await ok('create_definition', { document: shop });
    const { record } = await ok<{ record: Json }>('map_record', { definition: 'testkit-shop', stream: 'orders', record: nativeOrder });
    const broken = structuredClone(record);
    (broken['totals'] as Json)['total'] = { amount: 19.99, currency: 'EUR' };
    broken['createdAt'] = '2026-01-01T10:00+02:00';
    broken['shoeSize'] = 43;
    delete broken['status'];
    expect(await ok('validate_canonical', { type: 'commerce.order', record: broken })).toEqual({
      type: 'commerce.order@1',
      valid: false,
      issues: [
        { pointer: '/status', message: 'missing required field "status" (use null when the source has no value)', rule: 'required' },
        { pointer: '/shoeSize', message: 'unknown field "shoeSize": canonical records are closed; put source-specific fields in "custom"', rule: 'additionalProperties' },
        { pointer: '/createdAt', message: 'must match ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$', rule: 'pattern' },
        { pointer: '/totals/total/amount', message: 'must be string', rule: 'type' },
      ],
    });
  });

  it('returns a failed mapping with its pointers: no primary key, a value the type refuses', async () => {
    const { ok } = await connect();
    await ok('create_definition', { document: shop });
    const { id: _id, ...withoutId } = nativeOrder;
    expect(await ok('map_record', { definition: 'testkit-shop', stream: 'orders', record: withoutId })).toEqual({
      definition: 'testkit-shop',
      revision: 1,
      stream: 'orders',
      canonical: 'commerce.order@1',
      ok: false,
      remoteId: '',
      message: 'the native record has no value at its primary key (id)',
      issues: [{ pointer: '/remote/id', message: 'primary key missing', rule: 'key' }],
    });
    const badCurrency = await ok<{ ok: boolean; message: string; issues: Array<{ pointer: string }> }>('map_record', {
      definition: 'testkit-shop',
      stream: 'orders',
      record: { ...nativeOrder, currency: 'euro' },
    });
    expect(badCurrency.ok).toBe(false);
    expect(badCurrency.message).toBe('does not validate as commerce.order@1');
    expect(badCurrency.issues.map((issue) => issue.pointer)).toContain('/currency');
  });

  it('maps with an older revision, and fails with the engine code for unknown streams and broken definitions', async () => {
    const { ok, fails } = await connect();
    await ok('create_definition', { document: shop });
    await ok('update_definition', { definition: 'testkit-shop', patch: [{ op: 'replace', path: '/streams/orders/mapping/fields/email', value: { const: null } }] });
    expect(await ok('map_record', { definition: 'testkit-shop', stream: 'orders', record: nativeOrder })).toMatchObject({ revision: 2, record: { email: null } });
    expect(await ok('map_record', { definition: 'testkit-shop', revision: 1, stream: 'orders', record: nativeOrder })).toMatchObject({ revision: 1, record: { email: nativeOrder['email'] } });
    expect(await fails('map_record', { definition: 'testkit-shop', stream: 'order', record: nativeOrder })).toMatchObject({
      code: 'ENGINE_UNKNOWN_STREAM',
      message: 'Connector testkit-shop has no stream "order".',
      hint: 'Streams: locations, products, stock_levels, customers, orders.',
    });
    await ok('update_definition', { definition: 'testkit-shop', patch: [{ op: 'add', path: '/streams/orders/mapping/fields/shoeSize', value: { path: 'x' } }] });
    const broken = await fails('map_record', { definition: 'testkit-shop', stream: 'orders', record: nativeOrder });
    expect(broken.code).toBe('ENGINE_INVALID_DEFINITION');
    expect(broken.issues).toContainEqual(expect.objectContaining({ pointer: '/streams/orders/mapping/fields/shoeSize', rule: 'DSL_UNKNOWN_CANONICAL_FIELD' }));
    expect(await fails('map_record', { definition: 'nope', stream: 'orders', record: {} })).toMatchObject({ code: 'MCP_NOT_FOUND' });
  });

  it('maps the stored example definitions too (a Stripe customer)', async () => {
    const { ok } = await connect();
    const stripe = JSON.parse(readFileSync(join(import.meta.dirname, '../../schema/examples/stripe.json'), 'utf8')) as Json;
    await ok('create_definition', { document: stripe });
    const customer = { id: 'cus_123', object: 'customer', created: 1_700_000_000, name: 'Ada Lovelace', email: 'ada@example.com', phone: null, description: null, address: null, shipping: null, metadata: {}, preferred_locales: ['en'], tax_exempt: 'none', balance: 0, currency: 'eur', delinquent: false };
    const mapped = await ok<{ ok: boolean; record: Json }>('map_record', { definition: 'stripe', stream: 'customers', record: customer });
    expect(mapped.ok).toBe(true);
    expect(mapped.record).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', createdAt: '2023-11-14T22:13:20.000Z', remote: { id: 'cus_123' } });
  });
});

describe('suggest_mappings', () => {
  it('suggests native paths for canonical fields with confidences, reasons and field mappings', async () => {
    const { ok } = await connect();
    const result = await ok<Suggestions>('suggest_mappings', { type: 'commerce.order@1', record: nativeOrder });
    const by = Object.fromEntries(result.suggestions.map((suggestion) => [suggestion.field, suggestion]));
    expect(result.type).toBe('commerce.order@1');
    expect(by['email']).toEqual({ field: 'email', path: 'email', pointer: '/email', confidence: 1, reason: 'exact name; an email address', mapping: { path: 'email' } });
    expect(by['createdAt']).toEqual({
      field: 'createdAt',
      path: 'created_at',
      pointer: '/created_at',
      confidence: 0.95,
      reason: 'same name in another case (created_at ↔ createdAt); an ISO 8601 UTC date-time fits a timestamp',
      mapping: { path: 'created_at' },
    });
    expect(by['placedAt']).toMatchObject({ path: 'processed_at', confidence: 0.85, reason: expect.stringContaining('synonym (processed_at → placedAt)') });
    expect(by['totals.total']).toEqual({
      field: 'totals.total',
      path: 'total_price',
      pointer: '/total_price',
      confidence: 0.57,
      reason: 'synonym (total_price → total); top level in the sample, nested under totals in canonical; a decimal string as the amount, currency from currency',
      mapping: { expr: "$exists(total_price) and total_price != null and $exists(currency) and currency != null ? { 'amount': total_price, 'currency': $uppercase(currency) } : null" },
    });
    expect(by['paymentStatus']).toMatchObject({ path: 'financial_status', mapping: { expr: expect.stringContaining("'native': financial_status") } });
    expect(by['billingAddress.postalCode']).toMatchObject({ path: 'billing_address.zip', pointer: '/billing_address/zip', confidence: 0.85 });
    expect(by['shippingAddress.city']).toMatchObject({ path: 'shipping_address.city', confidence: 1 });
    expect(by['lines']).toMatchObject({ path: 'line_items', reason: expect.stringContaining('each item needs its own fields') });
    // The sample has billing_address: its fields are not taken from the top level.
    expect(by['billingAddress.name']).toBeUndefined();
    expect(result.unmatched).toContainEqual({ field: 'billingAddress.name', type: 'string', required: false });
    expect(result.unmappedNative).toContainEqual({ path: 'id', pointer: '/id', type: 'integer' });
    expect(result.unmappedNative.map((field) => field.path)).not.toContain('currency');
    expect(result.draft['email']).toEqual({ path: 'email' });
    expect(result.draft).toEqual(
      Object.fromEntries(result.suggestions.filter((suggestion) => suggestion.mapping && suggestion.confidence >= 0.5).map((suggestion) => [suggestion.field, suggestion.mapping])),
    );
    expect(Object.keys(result.draft)).not.toContain('lines');
    // Deterministic: the same input gives the same answer.
    expect(await ok('suggest_mappings', { type: 'commerce.order@1', record: nativeOrder })).toEqual(result);
  });

  it('matches synonyms and converts types: qty, sku, price, Unix seconds, numbers as text', async () => {
    const { ok } = await connect();
    const sample = { item_sku: 'TEE-1', qty: '12', warehouse_id: 4, modified: 1_700_000_000, Available: 7, price: 9.5, currency_code: 'eur' };
    const result = await ok<Suggestions>('suggest_mappings', { type: 'commerce.stocklevel@1', record: sample });
    const by = Object.fromEntries(result.suggestions.map((suggestion) => [suggestion.field, suggestion]));
    expect(by['sku']).toMatchObject({ path: 'item_sku', confidence: 0.6, reason: expect.stringContaining('partial name match'), mapping: { path: 'item_sku' } });
    expect(by['quantity']).toMatchObject({ path: 'qty', confidence: 0.68, mapping: { expr: '$exists(qty) and qty != null ? $number(qty) : null' } });
    expect(by['locationId']).toMatchObject({ path: 'warehouse_id', mapping: { expr: '$string(warehouse_id)' } });
    expect(by['updatedAt']).toMatchObject({ path: 'modified', confidence: 0.72, mapping: { expr: '$exists(modified) and modified != null ? $fromMillis(modified * 1000) : null' }, reason: expect.stringContaining('Unix seconds') });
    expect(by['available']).toMatchObject({ path: 'Available', confidence: 0.95 });
    expect(result.unmappedNative.map((field) => field.path)).toEqual(expect.arrayContaining(['price', 'currency_code']));

    const contact = structuredClone(dataset.contacts[0]) as unknown as Json;
    const crm = await ok<Suggestions>('suggest_mappings', { type: 'crm.contact@1', record: contact });
    const fields = Object.fromEntries(crm.suggestions.map((suggestion) => [suggestion.field, suggestion.path]));
    expect(fields).toMatchObject({ firstName: 'first_name', lastName: 'last_name', jobTitle: 'job_title', ownerId: 'owner_id', createdAt: 'created_at', updatedAt: 'updated_at' });
  });

  it('quotes native names that are not plain identifiers and refuses unknown types', async () => {
    const { ok, fails } = await connect();
    const result = await ok<Suggestions>('suggest_mappings', { type: 'crm.contact@1', record: { 'First Name': 'Ada', 'a/b': { 'job~title': 'CTO' } } });
    expect(result.suggestions).toContainEqual(expect.objectContaining({ field: 'firstName', path: '`First Name`', pointer: '/First Name', confidence: 0.95 }));
    expect(result.suggestions).toContainEqual(expect.objectContaining({ field: 'jobTitle', path: '`a/b`.`job~title`', pointer: '/a~1b/job~0title' }));
    expect((await fails('suggest_mappings', { type: 'crm.contacts', record: {} })).hint).toContain('Did you mean "crm.contact"?');
    expect((await fails('suggest_mappings', { type: 'crm.contact', record: [] })).code).toBe('MCP_INVALID_ARGUMENTS');
  });

  it('never throws, keeps confidences within [0, 1] and suggests only paths the sample has (property)', async () => {
    const { call } = await connect();
    const types = listCanonicalTypes().map((definition) => `${definition.name}@${definition.version}`);
    const names = fc.oneof(
      fc.constantFrom('id', 'email', 'created_at', 'updatedAt', 'qty', 'sku', 'price', 'currency', 'status', 'name', 'total_price', 'address', 'zip', 'tags', 'line_items', 'first_name', '__proto__', 'constructor', ''),
      fc.string({ maxLength: 12 }),
    );
    const values = fc.oneof(
      fc.constantFrom(null, true, 0, 1_700_000_000, 1_700_000_000_000, '19.99', 'EUR', 'usd', '2026-01-31T09:30:00Z', '2026-01-31', 'a@b.co', 'https://x.io', 'paid', ''),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ maxLength: 8 }),
    );
    const record = fc.letrec<{ node: Json; value: unknown }>((tie) => ({
      node: fc.dictionary(names, tie('value'), { maxKeys: 6 }),
      value: fc.oneof({ depthSize: 'small' }, values, values, tie('node'), fc.array(fc.oneof(values, tie('node')), { maxLength: 3 })),
    })).node;
    const resolve = (root: unknown, pointer: string): { found: boolean } => {
      let current = root;
      for (const segment of pointer.split('/').slice(1).map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))) {
        if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, segment)) return { found: false };
        current = (current as Json)[segment];
      }
      return { found: true };
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...types), record, async (type, sample) => {
        const json = JSON.parse(JSON.stringify(sample)) as Json;
        const result = await call('suggest_mappings', { type, record: json });
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        const out = result.structuredContent as unknown as Suggestions;
        for (const suggestion of out.suggestions) {
          expect(suggestion.confidence).toBeGreaterThanOrEqual(0);
          expect(suggestion.confidence).toBeLessThanOrEqual(1);
          expect(resolve(json, suggestion.pointer).found, suggestion.pointer).toBe(true);
        }
        for (const field of out.unmappedNative) expect(resolve(json, field.pointer).found).toBe(true);
        expect(new Set(out.suggestions.map((suggestion) => suggestion.pointer)).size).toBe(out.suggestions.length);
      }),
      { numRuns: 150 },
    );
  });
});
