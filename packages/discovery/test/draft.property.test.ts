// Property: whatever record a description declares — any mix of the field names, types, formats and nullability
// real APIs use, under a resource name that proposes a canonical type or none — the draft validates, and reading
// the description's own mock API (which sends nulls wherever the schema allows them) fails no record and no stream.
import { validateDefinition } from '@pullpush/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discover, draftConnector, verifyDraft } from '../src/index.ts';

type Schema = Record<string, unknown>;

const scalar = (type: string, format?: string) => fc.boolean().map((nullable): Schema => ({ type: nullable ? [type, 'null'] : type, ...(format ? { format } : {}) }));

/** Field names real APIs use, each with the schemas it comes with. */
const FIELDS: Record<string, fc.Arbitrary<Schema>> = {
  email: scalar('string', 'email'),
  name: scalar('string'),
  title: scalar('string'),
  first_name: scalar('string'),
  last_name: scalar('string'),
  status: fc.oneof(scalar('string'), fc.constant({ type: 'string', enum: ['open', 'closed', 'paid', 'weird'] })),
  state: scalar('string'),
  created_at: fc.oneof(scalar('string', 'date-time'), scalar('integer')),
  updated_at: scalar('string', 'date-time'),
  closed_at: scalar('string', 'date-time'),
  due_date: scalar('string', 'date'),
  currency: scalar('string'),
  total_price: scalar('string'),
  amount: fc.oneof(scalar('integer'), scalar('string')),
  price: scalar('number'),
  quantity: scalar('integer'),
  sku: scalar('string'),
  phone: scalar('string'),
  tags: fc.oneof(scalar('string'), fc.constant({ type: 'array', items: { type: 'string' } })),
  description: scalar('string'),
  note: scalar('string'),
  number: fc.oneof(scalar('integer'), scalar('string')),
  customer_id: fc.oneof(scalar('integer'), scalar('string')),
  is_active: scalar('boolean'),
  deleted: scalar('boolean'),
  url: scalar('string', 'uri'),
  country: scalar('string'),
  address: fc.boolean().map((nullable) => ({ type: nullable ? ['object', 'null'] : 'object', properties: { line1: { type: 'string' }, city: { type: ['string', 'null'] }, zip: { type: 'string' }, country: { type: 'string' } } })),
  line_items: fc.constant({ type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, title: { type: 'string' }, quantity: { type: 'integer' }, price: { type: ['string', 'null'] } } } }),
  metadata: fc.constant({ type: 'object', properties: { source: { type: 'string' } } }),
};

const record = fc
  .tuple(fc.constantFrom('id', 'uuid', 'gid'), fc.uniqueArray(fc.constantFrom(...Object.keys(FIELDS)), { minLength: 2, maxLength: 14 }))
  .chain(([key, names]) => fc.tuple(fc.constant(key), fc.tuple(...names.map((name) => (FIELDS[name] as fc.Arbitrary<Schema>).map((schema) => [name, schema] as const)))))
  .map(([key, fields]) => ({ type: 'object', required: [key], properties: { [key]: { type: key === 'id' ? 'integer' : 'string' }, ...Object.fromEntries(fields) } }));

const resource = fc.constantFrom('orders', 'customers', 'invoices', 'payments', 'contacts', 'companies', 'users', 'tickets', 'products', 'tasks', 'deals', 'widgets', 'comments', 'employees');

function description(name: string, schema: Schema): object {
  return {
    openapi: '3.0.3',
    info: { title: 'Generated', version: '1' },
    servers: [{ url: 'https://api.example.com' }],
    components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } }, schemas: { Item: schema } },
    security: [{ key: [] }],
    paths: {
      [`/${name}`]: {
        get: {
          parameters: [
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
          ],
          responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Item' } }, next_cursor: { type: ['string', 'null'] }, has_more: { type: 'boolean' } } } } } } },
        },
      },
    },
  };
}

describe('drafting (property)', () => {
  it('any declared record: the draft validates and reads its mock to the end without a failed record', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(resource, record, async (name, schema) => {
        const model = await discover({ text: JSON.stringify(description(name, schema)) });
        const draft = draftConnector(model);
        expect(validateDefinition(draft.definition).errors).toEqual([]);
        const report = await verifyDraft(model, draft, { mock: { records: 12, maxPageSize: 5 } });
        for (const stream of report.streams) {
          expect(stream.error, JSON.stringify(draft.definition.streams[stream.stream]?.mapping)).toBeNull();
          expect(stream.failures, JSON.stringify(draft.definition.streams[stream.stream]?.mapping)).toEqual([]);
          expect(stream.records).toBe(12);
        }
      }),
      { numRuns: 40 },
    );
  });
});
