// The engine and the schema agree on every expression site: compiled definitions that fill every site the schema
// declares, each site is claimed by the component that evaluates it, in the context the schema declares (a claim
// in another context fails the compile), and no site is left unevaluated — except those of the DSL's part that
// has no runtime yet (webhooks).
import { describe, expect, it } from 'vitest';
import { ConnectorDefinition, declaredSites, definitionSites } from '@pullpush/schema';
import { compileConnector } from '../src/index.ts';
import { siteReportOf } from '../src/sites.ts';
import { LOCAL, useTestApis } from './support.ts';

type Json = Record<string, unknown>;

const { keep } = useTestApis();

/** Sites of the part without a runtime yet: webhooks. */
const NOT_YET_RUN = /^\/webhooks(\/|\{)/;

const c = '{{ $config.shop }}';
const request = (path: string, method = 'GET') => ({ method, path: `${path}/${c}`, query: { q: c }, headers: { 'X-Q': c }, ...(method === 'POST' ? { body: { q: [c] }, search: true } : {}) });
const q = (name: string) => ({ in: 'query', name });
const withBody = (base: Json) => ({ ...base, body: { q: [c, '{{ $remoteId }}'] } });
const writeBody = { name: { path: 'firstName' }, full: { expr: '$record.firstName & $remoteId' }, fixed: { const: 'x' } };

function everySite(auth: Json): Json {
  return {
    dsl: 'pullpush/v1',
    id: 'every-site',
    name: 'Every site',
    version: '1.0.0',
    config: { type: 'object', properties: { shop: { type: 'string' }, key: { type: 'string', secret: true } } },
    http: { baseUrl: `https://${c}.example.com`, headers: { 'X-Shop': c }, query: { shop: c } },
    auth,
    responseFilters: [{ bodyMatches: '$status = 200 and error = "x"', action: 'retry' }],
    streams: {
      people: {
        canonical: 'crm.contact@1',
        request: request('/people', 'POST'),
        records: { path: 'data', filter: 'active' },
        primaryKey: ['id'],
        pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next' }, param: { in: 'body', name: 'cursor' }, stopWhen: '$not(more)' },
        incremental: { cursorField: 'updated', format: 'iso8601', param: q('since'), value: '>={{ $cursor }}', startDate: '{{ $now() }}' },
        partitions: { kind: 'parent', stream: 'groups', value: 'id' },
        mapping: { fields: { firstName: { path: 'first' }, lastName: { expr: '$string(last)' }, createdAt: { path: 'created' }, updatedAt: { path: 'updated' } }, custom: { a: { path: 'a' }, b: { expr: 'b' } } },
      },
      groups: { request: request('/groups'), primaryKey: ['id'], pagination: { kind: 'offset', offsetParam: q('o'), limitParam: q('l'), limit: 10, total: { from: 'body', path: 'total' }, stopWhen: 'done' } },
      pages: { request: request('/pages'), primaryKey: ['id'], pagination: { kind: 'page', pageParam: q('p'), total: { from: 'body', path: 'total' }, totalPages: { from: 'body', path: 'pages' }, stopWhen: 'done' } },
      next: { request: request('/next'), primaryKey: ['id'], pagination: { kind: 'nextUrl', path: 'next', stopWhen: 'done' } },
    },
    writes: {
      'crm.contact@1': {
        create: { request: request('/w', 'POST'), body: writeBody, remoteIdPath: 'id' },
        update: { request: withBody(request('/w/{{ $remoteId }}', 'PATCH')), body: writeBody, remoteIdPath: 'id' },
        upsert: { request: withBody(request('/w', 'PUT')), body: writeBody, remoteIdPath: 'id' },
        delete: { request: withBody(request('/w/{{ $remoteId }}', 'DELETE')), body: writeBody, remoteIdPath: 'id' },
        match: { kind: 'lookup', by: 'emails', request: request('/w/search', 'POST'), records: 'data', remoteIdPath: 'id' },
      },
    },
    webhooks: { eventTypePath: 'type', events: { updated: { stream: 'people', operation: 'updated', recordPath: 'data' } } },
  };
}

const k = '{{ $config.key }}';
const oauth = { tokenUrl: `https://auth.example.com/${c}`, clientId: k, clientSecret: k };
const AUTHS: Json[] = [
  { kind: 'apiKey', in: 'header', name: 'X-Key', value: k },
  { kind: 'basic', username: k, password: k },
  { kind: 'bearer', token: k },
  { kind: 'headers', headers: { Authorization: k } },
  { kind: 'oauth2ClientCredentials', ...oauth, extraParams: { audience: k } },
  { kind: 'oauth2RefreshToken', ...oauth, refreshToken: k },
  { kind: 'oauth2AuthorizationCode', ...oauth, authorizeUrl: `https://auth.example.com/${c}/authorize`, refreshToken: k },
  { kind: 'session', login: request('/login', 'POST'), tokenPath: 'token', expiresInPath: 'ttl', inject: { in: 'header', name: 'X-S' }, value: 'S {{ $auth.token }}' },
];

describe('engine and schema agree on every expression site', () => {
  const documents = AUTHS.map(everySite);

  it('the documents fill every site the schema declares', () => {
    const filled = new Set(documents.flatMap((doc) => definitionSites(doc).map((site) => `${site.pattern} ${site.context}`)));
    const declared = declaredSites(ConnectorDefinition).map((site) => `${site.pattern} ${site.context}`);
    expect(declared.filter((site) => !filled.has(site) && !NOT_YET_RUN.test(site))).toEqual([]);
  });

  it.each(documents.map((doc) => [(doc['auth'] as Json)['kind'], doc] as const))('%s: every site is claimed in its declared context', async (_, doc) => {
    const connector = keep(await compileConnector(doc, { shop: 'acme', key: 'k-123456' }, LOCAL));
    const report = siteReportOf(connector);
    if (!report) throw new Error('no site report');
    const declared = new Map(definitionSites(doc).map((site) => [site.pointer, site.context]));
    for (const { pointer, context } of report.claimed) if (declared.has(pointer)) expect(context, pointer).toBe(declared.get(pointer));
    expect(report.unclaimed.map((site) => site.pointer).filter((pointer) => !NOT_YET_RUN.test(pointer))).toEqual([]);
    expect(report.unclaimed.length).toBeGreaterThan(0);
  });
});
