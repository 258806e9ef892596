// A determined definition and a hostile API, each finding of the last attack tried again: secrets reached through
// expressions, secrets in every encoding a URL can carry them, credentials the API echoes, prototype writes through
// placement names, and the request forms read-only mode must refuse. A canary secret must come out nowhere.
import { PullPushError } from '@pullpush/canonical';
import fc from 'fast-check';
import jsonata from 'jsonata';
import { validateDefinition } from '@pullpush/schema';
import { describe, expect, it } from 'vitest';
import { compileConnector, compileExpression, isPrivateAddress, renderTestReport, testConnector, type Connector, type ConnectorOptions } from '../src/index.ts';
import { collect, collectUntilError, definition, local, ofType, rejection, type TestApi, type TestApiOptions, useTestApis } from './support.ts';

type Json = Record<string, unknown>;

const apis = useTestApis();
const serve = (options: TestApiOptions = {}): Promise<TestApi> => apis.serve({ seed: 21, dataset: { customers: 8 }, ...options });
async function connect(def: Json, config: Json, options: ConnectorOptions): Promise<Connector> {
  return apis.keep(await compileConnector(def, config, options));
}

const query = (name: string) => ({ in: 'query', name });
const cursorStream = (extra: Json = {}): Json => ({
  request: { path: '/cursor/customers' },
  records: { path: 'data' },
  primaryKey: ['id'],
  pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: query('cursor'), pageSize: { param: query('limit'), value: 4 } },
  ...extra,
});
const secretConfig = { type: 'object', properties: { apiKey: { type: 'string', secret: true }, region: { type: 'string' } } };

/** Every form the canary may take in a text: as it is, cut into pieces, percent- or form-encoded, base64, any case. */
function expectClean(text: string, canary: string): void {
  const lower = text.toLowerCase();
  for (let start = 0; start + 8 <= canary.length; start += 1) expect(lower).not.toContain(canary.slice(start, start + 8).toLowerCase());
  for (const form of [encodeURIComponent(canary), new URLSearchParams({ k: canary }).toString().slice(2), Buffer.from(canary).toString('base64')]) expect(lower).not.toContain(form.toLowerCase());
}

describe('secrets are absent from expressions outside auth, however they are asked for', () => {
  const CANARY = 'canary-7d1e5a90-expr';
  const auth = { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: '{{ $config.apiKey }}' };
  const sneaky = [
    "$lookup($config, 'apiKey')",
    "$lookup($config, 'api' & 'Key')",
    '$string($config)',
    '$config.*',
    '$config.($)',
    '$each($config, function($v) { $v })',
    '$sift($config, function($v) { true })',
    '$keys($config)',
    '$spread($config)',
    '$config',
  ];

  it.each(sneaky)('mapping %s: no record, message or request carries the secret', async (expr) => {
    const api = await serve({ auth: { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: CANARY } });
    const def = definition({ customers: cursorStream({ mapping: { fields: {}, custom: { leak: { expr } } }, canonical: 'commerce.customer@1' }) }, { auth, config: secretConfig });
    // Either refused when compiled, or compiled with a $config that holds no secret: never the secret out.
    const compiled = await compileConnector(def, { apiKey: CANARY, region: 'eu' }, local(api)).then(apis.keep, (error: unknown) => error);
    if (compiled instanceof PullPushError) {
      expectClean(JSON.stringify(compiled), CANARY);
      return;
    }
    const messages = await collect((compiled as Connector).read('customers'));
    expect(ofType(messages, 'record').length + ofType(messages, 'failure').length).toBe(8);
    expectClean(JSON.stringify(messages), CANARY);
  });

  it.each(sneaky)('request query {{ %s }}: the API never receives the secret outside the auth header', async (expr) => {
    const api = await serve({ auth: { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: CANARY } });
    const def = definition({ customers: cursorStream({ request: { path: '/cursor/customers', query: { q: `{{ ${expr} }}` } } }) }, { auth, config: secretConfig });
    const compiled = await compileConnector(def, { apiKey: CANARY, region: 'eu' }, local(api)).then(apis.keep, (error: unknown) => error);
    if (compiled instanceof PullPushError) return;
    await collectUntilError((compiled as Connector).read('customers'));
    for (const request of api.requests) expectClean(`${request.path} ${JSON.stringify(request.query)}`, CANARY);
  });

  it('$eval is refused wherever it stands: the API could send the expression', () => {
    const def = definition({ customers: cursorStream({ mapping: { fields: {}, custom: { formula: { expr: '$eval(formula)' } } }, canonical: 'commerce.customer@1' }) }, { auth, config: secretConfig });
    const problems = validateDefinition(def).errors;
    expect(problems.map((problem) => problem.pointer)).toContain('/streams/customers/mapping/custom/formula/expr');
    expect(problems.find((problem) => problem.pointer === '/streams/customers/mapping/custom/formula/expr')?.message).toMatch(/\$eval/);
  });
});

describe('$eval cannot run even where no validator stood', () => {
  it.each(['$eval(formula)', '$map([formula], $eval)', "$eval('$lookup($$, \"x\")')"])('%s fails with ENGINE_EXPRESSION', async (source) => {
    const expression = compileExpression(source, '/streams/x/mapping/custom/y/expr');
    const error = await expression.evaluate({ formula: '1 + 1', x: 'secret' }, {}).then(() => undefined, (failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'ENGINE_EXPRESSION' });
  });
});

describe('one expression cannot hold the process up', () => {
  it.each([
    ['a catastrophic regex on an API value', '$contains(name, /^(a+)+$/)', { name: `${'a'.repeat(5000)}!` }, false],
    ['$pad to 300 million characters', '$length($pad("", 300000000))', {}, 'ENGINE_EXPRESSION'],
    ['$distinct of a million items', '$count($distinct([1..1000000]))', {}, 'ENGINE_EXPRESSION'],
    ['$sort of a million items', '$count($sort([1..1000000]))', {}, 'ENGINE_EXPRESSION'],
  ] as const)('%s: answered at once, the event loop free meanwhile', async (_name, source, input, expected) => {
    // A timer due in 20 ms must fire while the expression runs, or right after it, not seconds later.
    let late = Number.POSITIVE_INFINITY;
    const due = performance.now() + 20;
    const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void (late = performance.now() - due)), 20));
    const outcome = await compileExpression(source, '/streams/x/mapping/custom/y/expr')
      .evaluate(input, {})
      .then((value) => value, (error: unknown) => (error as PullPushError).code);
    await timer;
    expect(outcome).toBe(expected);
    expect(late).toBeLessThan(2000);
  });

  it('regexes give what JavaScript regexes give, on a linear-time engine (property)', async () => {
    const patterns = ['/a+b/', '/^x/m', '/o(\\w)/', '/[0-9]+/', '/B/i', '/(a|bc)+$/', '/\\s+/'];
    const calls = (pattern: string) => [`$contains(s, ${pattern})`, `$match(s, ${pattern})`, `$replace(s, ${pattern}, "<$0>")`, `$split(s, ${pattern})`];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...patterns), fc.stringMatching(/^[abcox0-9 BX\n]{0,24}$/), async (pattern, s) => {
        for (const source of calls(pattern)) {
          const native = await jsonata(source).evaluate({ s }).then((value: unknown) => ({ value }), (error: { code?: string }) => ({ error: error.code }));
          const ours = await compileExpression(source, '/x').evaluate({ s }, {}).then((value) => ({ value }), (error: { code?: string }) => ({ error: error.code }));
          expect(JSON.stringify(ours), source).toBe(JSON.stringify(native));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('redaction covers every encoding of a secret', () => {
  // Characters encodeURIComponent and URLSearchParams write differently (~ ! ' ( ) * and the space).
  const CANARY = "Sk Canary~!'()*Key-4412";
  const def = definition({ customers: cursorStream() }, { config: secretConfig, auth: { kind: 'apiKey', in: 'query', name: 'credential', value: '{{ $config.apiKey }}' } });

  it('in page URLs, errors and test reports, whatever characters the secret holds', async () => {
    const api = await serve({ auth: { kind: 'apiKey', in: 'query', name: 'credential', value: CANARY } });
    const connector = await connect(def, { apiKey: CANARY }, local(api));
    const messages = await collect(connector.read('customers'));
    expect(ofType(messages, 'raw')).toHaveLength(8);
    expectClean(JSON.stringify(messages), CANARY);
    const report = await testConnector(def, { apiKey: CANARY }, local(api));
    expect(report.verdict).not.toBe('fail');
    expectClean(JSON.stringify(report), CANARY);
    expectClean(renderTestReport(report), CANARY);
  });

  it('an API that echoes the secret changed (lower-cased) in an error is redacted too', async () => {
    const api = await serve({ auth: { kind: 'apiKey', in: 'query', name: 'credential', value: CANARY }, faults: [{ kind: 'status', status: 400, body: { error: `unknown key ${CANARY.toLowerCase()}` } }] });
    const connector = await connect(def, { apiKey: CANARY }, local(api));
    const { error } = await collectUntilError(connector.read('customers'));
    expect((error as PullPushError).code).toBe('ENGINE_HTTP_STATUS');
    expectClean(`${(error as PullPushError).message} ${JSON.stringify(error)}`, CANARY);
  });
});

describe('credentials the API echoes in records', () => {
  const CANARY = 'canary-echo-3b8f0c21';

  it('never reach a test report sample, rendered or as JSON', async () => {
    const api = await serve({ auth: { kind: 'bearer', token: CANARY } });
    // A "who am I" style record: the API puts the caller's token in the data.
    for (const customer of api.data.customers) api.update('customers', customer.id, { note: `token ${CANARY}`, api_token: CANARY });
    const def = definition({ customers: cursorStream() }, { config: secretConfig, auth: { kind: 'bearer', token: '{{ $config.apiKey }}' } });
    const report = await testConnector(def, { apiKey: CANARY }, local(api));
    expect(report.verdict).not.toBe('fail');
    expect(JSON.stringify(report)).toContain('api_token');
    expectClean(JSON.stringify(report), CANARY);
    expectClean(renderTestReport(report), CANARY);
  });
});

describe('credentials go only to the hosts auth declares', () => {
  const TOKEN = 'canary-cdn-5e2a91f0';

  it('a stream on another allowed host (a CDN) is read without them, unless auth.hosts names it', async () => {
    const api = await serve({ auth: { kind: 'bearer', token: TOKEN } });
    const cdn = await serve({ auth: { kind: 'none' } });
    const cdnHost = new URL(cdn.url).host;
    const streams = { customers: cursorStream(), files: { request: { path: `${cdn.url}/cursor/customers` }, records: { path: 'data' }, primaryKey: ['id'] } };
    const base = { config: secretConfig, http: { baseUrl: 'https://api.example.test', allowedHosts: [cdnHost] } };
    const plain = await connect(definition(streams, { ...base, auth: { kind: 'bearer', token: '{{ $config.apiKey }}' } }), { apiKey: TOKEN }, local(api));
    await collect(plain.read('customers'));
    await collect(plain.read('files'));
    expect(api.requests.every((request) => request.headers['authorization'] === `Bearer ${TOKEN}`)).toBe(true);
    expect(cdn.requests.length).toBeGreaterThan(0);
    expect(cdn.requests.map((request) => request.headers['authorization'])).toEqual(cdn.requests.map(() => undefined));

    cdn.resetRequests();
    const declared = await connect(definition(streams, { ...base, auth: { kind: 'bearer', token: '{{ $config.apiKey }}', hosts: [cdnHost] } }), { apiKey: TOKEN }, local(api));
    await collect(declared.read('files'));
    expect(cdn.requests.every((request) => request.headers['authorization'] === `Bearer ${TOKEN}`)).toBe(true);
  });
});

describe('a page nested 200,000 levels deep that echoes the credential', () => {
  it('is read without overflowing the stack, and the credential is hidden in its record', async () => {
    const CANARY = 'canary-deep-77e1c9b2';
    const deep = `${'['.repeat(200_000)}"${CANARY}"${']'.repeat(200_000)}`;
    const api = await serve({ auth: { kind: 'bearer', token: CANARY }, faults: [{ kind: 'malformedJson', route: '/cursor', body: `{"data":[{"id":1,"nested":${deep}}],"next_cursor":null}` }] });
    const connector = await connect(definition({ customers: cursorStream() }, { config: secretConfig, auth: { kind: 'bearer', token: '{{ $config.apiKey }}' } }), { apiKey: CANARY }, local(api));
    const messages = await collect(connector.read('customers'));
    const [record] = ofType(messages, 'raw').map((message) => message.record as { nested: unknown });
    let inner: unknown = record?.nested;
    for (let level = 0; level < 200_000 && Array.isArray(inner); level += 1) inner = inner[0];
    expect(inner).toBe('***');
  });
});

describe('no write reaches Object.prototype', () => {
  it.each(['__proto__.allowPrivateNetwork', 'constructor.prototype.polluted', 'filters.__proto__'])('a body placement named %s is refused by the validator and by the engine', async (name) => {
    const search = {
      request: { method: 'POST', path: '/search/customers', search: true, body: { filters: [] } },
      records: { path: 'results' },
      primaryKey: ['id'],
      pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: { in: 'body', name } },
    };
    const def = definition({ customers: search });
    const problems = validateDefinition(def).errors;
    expect(problems.map((problem) => problem.pointer)).toContain('/streams/customers/pagination/param/name');
    const api = await serve();
    const error = await rejection(compileConnector(def, {}, local(api)));
    expect(error.code).toBe('ENGINE_INVALID_DEFINITION');
    expect(api.count()).toBe(0);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('read-only runs', () => {
  it.each([
    ['a method-override header', { headers: { 'X-HTTP-Method-Override': 'DELETE' } }],
    ['an X-HTTP-Method header', { headers: { 'X-HTTP-Method': 'PUT' } }],
    ['a _method query parameter', { query: { _method: 'DELETE' } }],
  ])('refuse a GET carrying %s, before sending it', async (_name, request) => {
    const api = await serve();
    const def = definition({ customers: cursorStream({ request: { path: '/cursor/customers', ...request } }) });
    const report = await testConnector(def, {}, local(api));
    expect(report.verdict).toBe('fail');
    expect(JSON.stringify(report)).toContain('ENGINE_READ_ONLY');
    expect(api.count({ path: '/cursor/customers' })).toBe(0);
  });
});

describe('partition values stay inside their path segment', () => {
  it("a parent record's ../ value cannot climb out of the base path: it goes as one encoded segment", async () => {
    const api = await serve();
    api.update('customers', api.data.customers[0]?.id as number, { email: '../../admin/delete?x=' });
    const def = definition({
      customers: cursorStream(),
      orders: {
        request: { path: '/cursor/customers/{{ $partition }}/orders' },
        records: { path: 'data' },
        primaryKey: ['id'],
        partitions: { kind: 'parent', stream: 'customers', value: 'email' },
      },
    }, { responseFilters: [{ status: [404], action: 'ignore' }] });
    const connector = await connect(def, {}, local(api));
    await collectUntilError(connector.read('orders'));
    expect(api.requests.filter((request) => request.path.includes('/admin'))).toEqual([]);
    expect(api.requests.map((request) => request.path)).toContain('/cursor/customers/..%2F..%2Fadmin%2Fdelete%3Fx=/orders');
  });
});

describe('memory a read keeps is bounded', () => {
  it('a cursor beyond 64 KiB stops the read as incomplete, before it is followed', async () => {
    const api = await serve({ faults: [{ kind: 'status', status: 200, route: '/cursor', body: { data: [{ id: 1 }], next_cursor: 'c'.repeat(70_000), has_more: true } }] });
    const connector = await connect(definition({ customers: cursorStream() }), {}, local(api));
    const { messages, error } = await collectUntilError(connector.read('customers'));
    expect(error).toMatchObject({ code: 'ENGINE_CURSOR_TOO_LARGE' });
    expect(ofType(messages, 'raw')).toHaveLength(1);
    expect(api.count()).toBe(1);
  });
});

describe('a value that is itself a dot segment', () => {
  it.each(['..', '.'])('%s in a request path stops the read with ENGINE_UNSAFE_PATH_VALUE, before any request for it', async (value) => {
    const api = await serve();
    const def = definition({ customers: cursorStream({ request: { path: '/cursor/{{ $config.kind }}' } }) }, { config: { type: 'object', properties: { kind: { type: 'string' } } } });
    const connector = await connect(def, { kind: value }, local(api));
    const { error } = await collectUntilError(connector.read('customers'));
    expect(error).toMatchObject({ code: 'ENGINE_UNSAFE_PATH_VALUE' });
    expect(api.count()).toBe(0);
  });
});

describe('addresses that embed a private IPv4 address', () => {
  it.each(['::7f00:1', '::127.0.0.1', '::ffff:7f00:1', '::ffff:0:7f00:1', '::ffff:0:127.0.0.1', '2002:7f00:1::1', '2002:a9fe:a9fe::', 'fec0::1', '2001:0:4136:e378::1', 'fe80::1%eth0', '64:ff9b:1::a'])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['2002:808:808::1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});
