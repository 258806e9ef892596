// GET /openapi.json: the OpenAPI 3.1 description of the shop API this server serves — the generic cursor routes of
// the shop resources and their child collections, the security scheme of the server's auth, the paging and
// selection parameters those routes take, and record schemas drawn from the records the server holds. It is true
// to what is served, so discovery can draft a connector from it (the demo does) and its tests can trust it.
import { SESSION_PATH, TOKEN_PATH, type AuthState } from '../auth.ts';
import type { AnyRecord, ResourceName } from '../data/types.ts';
import { jsonReply, type RequestContext } from '../http.ts';
import { CHILD_COLLECTIONS } from '../listing.ts';
import type { Route, Services } from '../router.ts';
import type { Settings } from '../settings.ts';
import type { Store } from '../store.ts';

export const DESCRIPTION_PATH = '/openapi.json';

/** The resources the description lists: the shop's, as the testkit shop connector reads them. */
export const DESCRIBED_RESOURCES: readonly ResourceName[] = ['locations', 'products', 'stock_levels', 'customers', 'orders'];

type Schema = Record<string, unknown>;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// Enough records that a field set only on some (cancelled_at) shows its type; the store is in memory.
const SAMPLES = 2000;

/** The JSON Schema of values seen: types merged (null makes it nullable), objects' fields required when always there. */
function schemaOf(values: readonly unknown[], depth = 0): Schema {
  const present = values.filter((value) => value !== undefined);
  const types = new Set(present.map((value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value)));
  if (types.has('integer') && types.has('number')) types.delete('integer');
  const nonNull = [...types].filter((type) => type !== 'null').sort();
  const type = nonNull.length === 1 ? nonNull[0] : undefined;
  // A field only ever seen null (orders' source_identifier, set only by writes) is declared as such, not left untyped.
  const schema: Schema = type === undefined ? (types.size === 1 && types.has('null') ? { type: 'null' } : {}) : { type: types.has('null') ? [type, 'null'] : type };
  if (type === 'string' && present.every((value) => value === null || ISO_TIMESTAMP.test(value as string))) schema['format'] = 'date-time';
  if (type === 'object' && depth < 4) {
    const objects = present.filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value));
    const keys = [...new Set(objects.flatMap((value) => Object.keys(value)))];
    schema['properties'] = Object.fromEntries(keys.map((key) => [key, schemaOf(objects.map((value) => value[key]), depth + 1)]));
    schema['required'] = keys.filter((key) => objects.every((value) => Object.hasOwn(value, key)));
  }
  if (type === 'array' && depth < 4) schema['items'] = schemaOf(present.flatMap((value) => (Array.isArray(value) ? value.slice(0, 5) : [])), depth + 1);
  return schema;
}

function recordSchema(store: Store, resource: ResourceName): Schema {
  const records: readonly AnyRecord[] = store.records(resource).slice(0, SAMPLES);
  const schema = schemaOf(records);
  // Tombstones, listed with include_deleted=true, carry two fields more.
  schema['properties'] = {
    ...(schema['properties'] as Schema),
    deleted: { type: 'boolean', description: 'Only on deleted records (include_deleted=true): true.' },
    deleted_at: { type: 'string', format: 'date-time', description: 'Only on deleted records (include_deleted=true): when it was deleted.' },
  };
  return schema;
}

function securitySchemes(auth: AuthState, origin: string): { schemes: Record<string, Schema>; security: Array<Record<string, string[]>> } {
  const scheme = auth.scheme;
  const one = (name: string, value: Schema) => ({ schemes: { [name]: value }, security: [{ [name]: [] }] });
  switch (scheme.kind) {
    case 'none':
      return { schemes: {}, security: [] };
    case 'bearer':
      return one('bearerAuth', { type: 'http', scheme: 'bearer' });
    case 'basic':
      return one('basicAuth', { type: 'http', scheme: 'basic' });
    case 'apiKey':
      return one('apiKey', { type: 'apiKey', in: scheme.in, name: scheme.name });
    case 'headers':
      return { schemes: Object.fromEntries(scheme.names.map((name) => [name, { type: 'apiKey', in: 'header', name }])), security: [Object.fromEntries(scheme.names.map((name) => [name, []]))] };
    case 'session':
      return one('session', { type: 'apiKey', in: 'header', name: scheme.header, description: `A session token from POST ${SESSION_PATH} (username and password).` });
    case 'oauth2ClientCredentials':
      return one('oauth2', { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${origin}${TOKEN_PATH}`, scopes: {} } } });
    case 'oauth2RefreshToken':
      return one('oauth2', { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: `${origin}/oauth/authorize`, tokenUrl: `${origin}${TOKEN_PATH}`, refreshUrl: `${origin}${TOKEN_PATH}`, scopes: {} } } });
  }
}

function listOperation(resource: ResourceName, records: Schema, settings: Settings, parent?: { resource: string; field: string }): Schema {
  const parameters: Schema[] = [
    { name: 'limit', in: 'query', description: `Records per page (at most ${settings.maxPageSize}).`, schema: { type: 'integer', minimum: 1, maximum: settings.maxPageSize, default: settings.defaultPageSize } },
    { name: 'cursor', in: 'query', description: 'The next_cursor of the previous page.', schema: { type: 'string' } },
    { name: 'updated_since', in: 'query', description: 'Only records changed at or after this time (inclusive).', schema: { type: 'string', format: 'date-time' } },
    { name: 'include_deleted', in: 'query', description: 'Also list deleted records, with deleted: true and deleted_at.', schema: { type: 'boolean' } },
  ];
  if (parent) parameters.unshift({ name: 'id', in: 'path', required: true, description: `The ${parent.resource} record whose ${resource} to list (by ${parent.field}).`, schema: { type: 'string' } });
  return {
    operationId: parent ? `list${pascal(parent.resource)}${pascal(resource)}` : `list${pascal(resource)}`,
    summary: parent ? `The ${resource.replace('_', ' ')} of one ${parent.resource.replace(/s$/, '')}` : `All ${resource.replace('_', ' ')}, oldest change first`,
    parameters,
    responses: {
      200: {
        description: 'A page of records, sorted by (updated_at, id).',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['data', 'next_cursor', 'has_more'],
              properties: {
                data: { type: 'array', items: { $ref: `#/components/schemas/${pascal(resource)}` } },
                next_cursor: { type: ['string', 'null'], description: 'Send it as cursor for the next page; null on the last one.' },
                has_more: { type: 'boolean' },
              },
            },
          },
        },
      },
      400: { description: 'A parameter the route does not accept.' },
      401: { description: 'Missing or wrong credentials.' },
      429: { description: 'Too many requests: wait as Retry-After says.', headers: { 'Retry-After': { schema: { type: 'integer' } } } },
    },
  };
}

function pascal(name: string): string {
  return name.split('_').map((word) => word[0]?.toUpperCase() + word.slice(1)).join('');
}

export function shopDescription(origin: string, { store, auth, settings }: Pick<Services, 'store' | 'auth' | 'settings'>): Schema {
  const { schemes, security } = securitySchemes(auth, origin);
  const paths: Record<string, Schema> = {};
  const schemas: Record<string, Schema> = {};
  for (const resource of DESCRIBED_RESOURCES) {
    const records = recordSchema(store, resource);
    schemas[pascal(resource)] = records;
    paths[`/cursor/${resource}`] = { get: listOperation(resource, records, settings) };
  }
  for (const [parent, children] of Object.entries(CHILD_COLLECTIONS)) {
    if (!DESCRIBED_RESOURCES.includes(parent as ResourceName)) continue;
    for (const [child, field] of Object.entries(children)) {
      if (!DESCRIBED_RESOURCES.includes(child as ResourceName)) continue;
      paths[`/cursor/${parent}/{id}/${child}`] = { get: listOperation(child as ResourceName, schemas[pascal(child)] as Schema, settings, { resource: parent, field }) };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Testkit Shop', version: '1.0.0', description: 'The shop API of @pullpush/testkit: locations, products, stock levels, customers and orders, paged by cursor.' },
    servers: [{ url: origin }],
    ...(security.length > 0 ? { security } : {}),
    paths,
    components: { schemas, ...(Object.keys(schemes).length > 0 ? { securitySchemes: schemes } : {}) },
  };
}

export const descriptionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: DESCRIPTION_PATH,
    style: 'generic',
    authenticated: false,
    handle: (ctx: RequestContext, services: Services) => jsonReply(200, shopDescription(ctx.origin, services)),
  },
];
