// The schema is the one declaration of where templates and expressions stand and what they see: these tests walk
// documents that fill every declared site and prove that the walk finds each site, and that the validator allows
// exactly the variables the site's context declares — for every site, not for a hand-picked few.
import { describe, expect, it } from 'vitest';
import {
  ConnectorDefinition,
  declaredSites,
  definitionSites,
  DslCode,
  EXPRESSION_CONTEXTS,
  EXPRESSION_VARIABLES,
  Flow,
  flowSites,
  validateDefinition,
  validateFlow,
  type ExpressionSite,
} from '../src/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents are edited freely below
type Doc = Record<string, any>;

const request = (path: string) => ({ path: `${path}/{{ $config.shop }}`, query: { q: '{{ $config.shop }}' }, headers: { 'X-A': '{{ $config.shop }}' }, body: { a: ['{{ $config.shop }}'] } });
const mapping = { path: 'id' };
const mapped = { expr: '$string(id)' };

/** A definition with a value at every site a definition can have at once. */
function everySite(): Doc {
  const write = { request: { ...request('/w'), method: 'POST' }, body: { name: mapping, email: mapped }, remoteIdPath: 'id' };
  return {
    dsl: 'pullpush/v1',
    id: 'every-site',
    name: 'Every site',
    version: '1.0.0',
    config: { type: 'object', properties: { shop: { type: 'string' }, apiKey: { type: 'string', secret: true }, secret: { type: 'string', secret: true } } },
    http: { baseUrl: 'https://{{ $config.shop }}.example.com', headers: { 'X-Shop': '{{ $config.shop }}' }, query: { shop: '{{ $config.shop }}' } },
    auth: { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: '{{ $config.apiKey }}' },
    responseFilters: [{ bodyMatches: 'error = "x"', action: 'retry' }],
    streams: {
      people: {
        canonical: 'crm.contact@1',
        request: { ...request('/people'), method: 'POST', search: true },
        records: { path: 'data', filter: 'active' },
        primaryKey: ['id'],
        pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next' }, param: { in: 'body', name: 'cursor' }, stopWhen: '$not(more)' },
        incremental: { cursorField: 'updated', format: 'iso8601', param: { in: 'query', name: 'since' }, value: '>={{ $cursor }}', startDate: '{{ $now() }}' },
        partitions: { kind: 'parent', stream: 'groups', value: 'id' },
        mapping: { fields: { firstName: mapping, lastName: mapped, createdAt: mapping, updatedAt: mapping }, custom: { a: mapping, b: mapped } },
      },
      groups: { request: { path: '/groups/{{ $partition }}' }, primaryKey: ['id'], pagination: { kind: 'offset', offsetParam: { in: 'query', name: 'o' }, limitParam: { in: 'query', name: 'l' }, limit: 10, total: { from: 'body', path: 'total' }, stopWhen: 'done' } },
      pages: { request: { path: '/pages' }, primaryKey: ['id'], pagination: { kind: 'page', pageParam: { in: 'query', name: 'p' }, total: { from: 'body', path: 'total' }, totalPages: { from: 'body', path: 'pages' }, stopWhen: 'done' } },
      next: { request: { path: '/next' }, primaryKey: ['id'], pagination: { kind: 'nextUrl', path: 'next', stopWhen: 'done' } },
    },
    writes: {
      'crm.contact@1': { create: write, update: write, upsert: write, delete: write, match: { kind: 'lookup', by: 'firstName', request: request('/find'), records: 'data', remoteIdPath: 'id' } },
    },
    webhooks: {
      signature: { header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', secret: '{{ $config.secret }}', signedPayload: '{{ $body }}', extract: '$header' },
      eventTypePath: 'type',
      batchPath: 'events',
      events: { 'contact.updated': { stream: 'people', operation: 'updated', recordPath: 'data' } },
    },
    check: { stream: 'groups' },
  };
}

/** The same definition with each other auth kind: a document holds one auth at a time. */
function withEachAuth(): Doc[] {
  const t = '{{ $config.apiKey }}';
  const oauth = { tokenUrl: 'https://auth.example.com/{{ $config.shop }}/token', clientId: t, clientSecret: t };
  const auths = [
    { kind: 'basic', username: t, password: t },
    { kind: 'bearer', token: t },
    { kind: 'headers', headers: { Authorization: t } },
    { kind: 'oauth2ClientCredentials', ...oauth, extraParams: { audience: t } },
    { kind: 'oauth2RefreshToken', ...oauth, refreshToken: t },
    { kind: 'oauth2AuthorizationCode', ...oauth, authorizeUrl: 'https://auth.example.com/{{ $config.shop }}', refreshToken: t },
    { kind: 'session', login: { ...request('/login'), method: 'POST' }, tokenPath: 'token', expiresInPath: 'ttl', inject: { in: 'header', name: 'X-S' }, value: 'S {{ $auth.token }}' },
  ];
  return auths.map((auth) => ({ ...everySite(), auth }));
}

function everyFlowSite(): Doc[] {
  const base = { dsl: 'pullpush/flow/v1', id: 'f', source: { connector: 'every-site', connection: 'main', streams: ['people'] } };
  return [
    { ...base, destination: { kind: 'sqlite', path: '{{ $env.DB }}' } },
    { ...base, destination: { kind: 'jsonl', path: '{{ $env.OUT }}' } },
    { ...base, destination: { kind: 'postgres', url: '{{ $env.DATABASE_URL }}' } },
  ];
}

function patterns(sites: readonly ExpressionSite[]): Set<string> {
  return new Set(sites.map((site) => `${site.pattern} ${site.context}`));
}

describe('declared sites', () => {
  it('every site of the definition schema is found in a document that fills it, with the declared context', () => {
    const found = new Set<string>();
    for (const doc of [everySite(), ...withEachAuth()]) for (const site of patterns(definitionSites(doc))) found.add(site);
    const declared = declaredSites(ConnectorDefinition).map((site) => `${site.pattern} ${site.context}`);
    expect(declared.length).toBeGreaterThan(60);
    expect([...found].sort()).toEqual([...new Set(declared)].sort());
  });

  it('every site of the flow schema is found', () => {
    const found = new Set(everyFlowSite().flatMap((doc) => [...patterns(flowSites(doc))]));
    expect([...found].sort()).toEqual(declaredSites(Flow).map((site) => `${site.pattern} ${site.context}`).sort());
  });

  it('the documents filling every site are valid', () => {
    for (const doc of [everySite(), ...withEachAuth()]) expect(validateDefinition(doc).errors).toEqual([]);
    for (const doc of everyFlowSite()) expect(validateFlow(doc).errors).toEqual([]);
  });

  it('a structurally broken document is walked without throwing, sites where the schema still fits', () => {
    const doc = everySite();
    doc['streams'].people.request = 'not a request';
    doc['streams'].people.mapping.fields = [1, 2];
    doc['auth'] = { kind: 'nope', value: '{{ $config.apiKey }}' };
    const sites = definitionSites(doc);
    expect(sites.some((site) => site.pointer === '/http/baseUrl')).toBe(true);
    expect(sites.some((site) => site.pointer.startsWith('/streams/people/request'))).toBe(false);
    expect(sites.some((site) => site.pointer.startsWith('/auth'))).toBe(false);
  });

  it('walks a request body nested 100,000 levels deep without a stack overflow', () => {
    const doc = everySite();
    let body: unknown = '{{ $config.shop }}';
    for (let depth = 0; depth < 100_000; depth += 1) body = { a: body };
    doc['streams'].people.request.body = body;
    const sites = definitionSites(doc).filter((site) => site.pointer.startsWith('/streams/people/request/body'));
    expect(sites).toHaveLength(1);
    expect(sites[0]?.pointer.split('/a').length).toBe(100_001);
  });
});

/** An expression or template at `site` that uses `$name`, in the site's form. */
function using(site: ExpressionSite, name: string): string {
  const expression = name === 'auth' ? '$auth.token' : `$${name}`;
  return site.form === 'template' ? `{{ ${expression} }}` : `$string(${expression})`;
}

function setAt(doc: Doc, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1).map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  let node: Doc = doc;
  for (const key of keys.slice(0, -1)) node = node[key];
  node[keys.at(-1) as string] = value;
}

describe('the validator follows each site\'s declared context', () => {
  const documents = [everySite(), ...withEachAuth()];
  const cases = documents.flatMap((doc, index) => definitionSites(doc).map((site) => ({ index, site })));
  const all = Object.keys(EXPRESSION_VARIABLES);

  it.each(cases.map(({ index, site }) => [`${site.pattern} (${site.context})`, index, site] as const))('%s', (_, index, site) => {
    const allowed = new Set<string>(EXPRESSION_CONTEXTS[site.context].variables);
    for (const name of all) {
      const doc = structuredClone(documents[index] as Doc);
      setAt(doc, site.pointer, using(site, name));
      const forbidden = validateDefinition(doc).errors.filter((problem) => problem.code === DslCode.ForbiddenVariable && problem.pointer === site.pointer);
      expect(forbidden.length, `$${name} at ${site.pointer}`).toBe(allowed.has(name) ? 0 : 1);
    }
  });

  it('secrets: $config.<secret> is accepted exactly where the context binds secrets', () => {
    for (const { index, site } of cases) {
      const doc = structuredClone(documents[index] as Doc);
      setAt(doc, site.pointer, site.form === 'template' ? '{{ $config.apiKey }}' : '$config.apiKey');
      const problems = validateDefinition(doc).errors.filter((problem) => problem.pointer === site.pointer);
      const secretProblems = problems.filter((problem) => problem.code === DslCode.SecretOutsideAuth);
      const declaration = EXPRESSION_CONTEXTS[site.context];
      if (!declaration.variables.includes('config' as never)) continue;
      expect(secretProblems.length, site.pointer).toBe(declaration.secrets ? 0 : 1);
    }
  });
});
