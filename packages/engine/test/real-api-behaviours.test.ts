// What real APIs do that our own understanding of APIs missed (see shared/real-api-behaviours.md), against testkit's
// imitations of them: a self-hosted Redmine that clamps page sizes and wants operator syntax with whole seconds, a
// WordPress that puts totals in headers, refuses pages past the last and writes timestamps without a zone, and
// servers whose data changes while a client pages through it. A read either gets every record or fails.
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redmineAuth, redmineConnectorDefinition } from '@pullpush/testkit';
import { compileConnector, mapNativeRecord, type Connector, type ConnectorOptions } from '../src/index.ts';
import { collect, definition, FAST_RETRY, finalState, LOCAL, local, ofType, readError, remoteIds, runNodeScript, sortedStrings, useTestApis, type TestApi } from './support.ts';

type Json = Record<string, unknown>;

const { serve, keep } = useTestApis();
const KEY = 'redmine-key-4f0b9a77c2';
const examplesDir = join(dirname(createRequire(import.meta.url).resolve('@pullpush/schema/package.json')), 'examples');

async function connect(doc: unknown, config: Json, options: ConnectorOptions): Promise<Connector> {
  return keep(await compileConnector(doc, config, options));
}

const query = (name: string) => ({ in: 'query', name });
const paths = (api: TestApi, prefix: string) => api.requests.filter((request) => request.path.startsWith(prefix));

describe('a self-hosted Redmine: 1,200 issues, a page size the server clamps, operator syntax in the filter', () => {
  async function redmine() {
    const api = await serve({ auth: redmineAuth(KEY), dataset: { tickets: 1200 } });
    const config = { baseUrl: `${api.url}/redmine`, apiKey: KEY };
    const connector = await connect(redmineConnectorDefinition({ pageSize: 250 }), config, LOCAL);
    return { api, connector, config };
  }

  it('asks for 250, gets 100 a page, advances by what it received and reads all 1,200', async () => {
    const { api, connector } = await redmine();
    const messages = await collect(connector.read('issues'));
    const ids = remoteIds(messages);
    expect(ids).toHaveLength(1200);
    expect(new Set(ids).size).toBe(1200);
    expect(ofType(messages, 'failure')).toEqual([]);
    const offsets = paths(api, '/redmine/issues.json').map((request) => Number(request.query['offset']));
    expect(offsets).toEqual(Array.from({ length: 12 }, (_, page) => page * 100));
    expect(ofType(messages, 'end')).toMatchObject([{ reason: 'exhausted', observations: [{ kind: 'clampedPageSize', requested: 250, received: 100 }] }]);
  });

  it('stores the cursor exactly as Redmine wrote it, and the next read sends it back with whole seconds and >=', async () => {
    const { api, connector } = await redmine();
    const state = finalState(await collect(connector.read('issues')));
    const written = api.data.tickets.map((ticket) => ticket.updated_at).sort().at(-1) as string;
    expect(state).toEqual({ partitions: { '': { cursor: written } } });
    expect(written).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const touched = [api.data.tickets[10]?.id, api.data.tickets[500]?.id] as number[];
    api.touch('tickets', touched);
    api.resetRequests();
    const second = await collect(connector.read('issues', { state }));
    const [request] = paths(api, '/redmine/issues.json');
    expect(request?.query['updated_on']).toBe(`>=${written}`);
    expect(request?.status).toBe(200);
    const boundary = api.data.tickets.filter((ticket) => ticket.updated_at === written && !touched.includes(ticket.id)).map((ticket) => ticket.id);
    expect(sortedStrings(remoteIds(second))).toEqual(sortedStrings([...touched, ...boundary]));
  });

  it('a start date with milliseconds still goes out with whole seconds (Redmine answers 422 to .000Z)', async () => {
    const { api, connector } = await redmine();
    const messages = await collect(connector.read('issues', { state: { partitions: { '': { cursor: '2026-02-01T10:00:00.000Z' } } } }));
    expect(paths(api, '/redmine/issues.json')[0]?.query['updated_on']).toBe('>=2026-02-01T10:00:00Z');
    expect(ofType(messages, 'page').every((page) => page.status === 200)).toBe(true);
  });

  it('projects have no canonical type: a raw stream keyed by id', async () => {
    const { connector } = await redmine();
    const messages = await collect(connector.read('projects'));
    expect(ofType(messages, 'raw').map((message) => message.remoteId).length).toBeGreaterThan(0);
    expect(ofType(messages, 'raw').every((message) => message.remoteId === String((message.record as Json)['id']))).toBe(true);
  });

  it('the check reads the account, which a wrong key cannot, although issues are public', async () => {
    const api = await serve({ auth: redmineAuth(KEY), dataset: { tickets: 50 } });
    const connector = await connect(redmineConnectorDefinition(), { baseUrl: `${api.url}/redmine`, apiKey: 'wrong-key-0000' }, LOCAL);
    expect((await collect(connector.read('issues'))).length).toBeGreaterThan(0);
    const error = await (async () => {
      try {
        await connector.check();
        return undefined;
      } catch (caught) {
        return caught as { code?: string };
      }
    })();
    expect(error?.code).toBe('ENGINE_HTTP_STATUS');
  });
});

describe('offset paging that cannot lose records', () => {
  const contacts = (pagination: Json) => definition({ contacts: { request: { path: '/offset/contacts' }, records: { path: 'items' }, primaryKey: ['id'], pagination } });
  const offset = (extra: Json = {}) => ({ kind: 'offset', offsetParam: query('offset'), limitParam: query('limit'), limit: 50, ...extra });

  it('without a total, a short page is probed once: the server clamps, the walk follows its real page size', async () => {
    const api = await serve({ dataset: { contacts: 95 }, pagination: { maxPageSize: 20 } });
    const connector = await connect(contacts(offset()), {}, local(api));
    const messages = await collect(connector.read('contacts'));
    expect(remoteIds(messages)).toHaveLength(95);
    expect(api.requests.map((request) => request.query['offset'])).toEqual(['0', '20', '40', '60', '80']);
    expect(ofType(messages, 'end')[0]?.observations).toEqual([{ kind: 'clampedPageSize', requested: 50, received: 20 }]);
  });

  it('without a total, a genuinely short last page costs one empty probe, no more', async () => {
    const api = await serve({ dataset: { contacts: 30 } });
    const connector = await connect(contacts(offset()), {}, local(api));
    expect(remoteIds(await collect(connector.read('contacts')))).toHaveLength(30);
    expect(api.requests.map((request) => request.query['offset'])).toEqual(['0', '30']);
  });

  it('a total written as a string ("95") is read as the count', async () => {
    const api = await serve({ dataset: { contacts: 95 }, pagination: { numbersAsStrings: true } });
    const connector = await connect(contacts(offset({ total: { from: 'body', path: 'total' } })), {}, local(api));
    expect(remoteIds(await collect(connector.read('contacts')))).toHaveLength(95);
    expect(api.count()).toBe(2);
  });

  it('records deleted while paging by offset make the read fail, never a silent gap (ENGINE_INCOMPLETE_READ)', async () => {
    const api = await serve({ dataset: { contacts: 120 } });
    api.setOnRequest((request, server) => {
      // After the first page was served, the first five records disappear: later pages shift by five.
      if (request.seq === 2) server.remove('contacts', server.data.contacts.slice(0, 5).map((contact) => contact.id));
    });
    const connector = await connect(contacts(offset({ total: { from: 'body', path: 'total' } })), {}, local(api));
    const error = await readError(connector.read('contacts'));
    expect(error.code).toBe('ENGINE_INCOMPLETE_READ');
    expect(error.message).toMatch(/120 .*115|115.*120/);
  });

  it('an empty page before the announced total is an error, not the end', async () => {
    const api = await serve({ dataset: { contacts: 60 }, faults: [{ kind: 'status', status: 200, body: { items: [], total: 60 }, route: '/offset/contacts', after: 1 }] });
    const connector = await connect(contacts(offset({ total: { from: 'body', path: 'total' } })), {}, local(api));
    const error = await readError(connector.read('contacts'));
    expect(error.code).toBe('ENGINE_INCOMPLETE_READ');
    expect(error.message).toContain('60');
  });
});

describe('a WordPress: totals only in headers, 400 past the last page, timestamps without a zone', () => {
  const posts = (pagination: Json, extra: Json = {}) =>
    definition({ posts: { request: { path: '/wp-json/wp/v2/posts', query: { orderby: 'modified', order: 'asc' } }, primaryKey: ['id'], pagination, ...extra } });
  const pages = (extra: Json = {}) => ({ kind: 'page', pageParam: query('page'), pageSize: { param: query('per_page'), value: 100 }, ...extra });

  it('reads the page count from X-WP-TotalPages and never asks for the page after the last', async () => {
    const api = await serve({ dataset: { tickets: 250 } });
    const connector = await connect(posts(pages({ totalPages: { from: 'header', path: 'X-WP-TotalPages' }, total: { from: 'header', path: 'X-WP-Total' } })), {}, local(api));
    const messages = await collect(connector.read('posts'));
    expect(remoteIds(messages)).toHaveLength(250);
    expect(api.requests.map((request) => [request.query['page'], request.status])).toEqual([['1', 200], ['2', 200], ['3', 200]]);
  });

  it('without declared totals, the 400 for the page after a short one ends the read, and is reported', async () => {
    const api = await serve({ dataset: { tickets: 250 } });
    const connector = await connect(posts(pages()), {}, local(api));
    const messages = await collect(connector.read('posts'));
    expect(remoteIds(messages)).toHaveLength(250);
    expect(ofType(messages, 'request-failed')).toMatchObject([{ status: 400 }]);
    expect(ofType(messages, 'end')[0]?.observations).toEqual([{ kind: 'refusedSpeculativePage', status: 400 }]);
  });

  it('a 400 for a page asked for after a full page is an error, with the parameter the API names in the hint', async () => {
    const api = await serve({ dataset: { tickets: 50 } });
    const connector = await connect(posts({ ...pages(), pageSize: { param: query('per_page'), value: 150 } }), {}, local(api));
    const error = await readError(connector.read('posts'));
    expect(error.code).toBe('ENGINE_HTTP_STATUS');
    expect(error.message).toContain('400');
    expect(error.hint).toContain('per_page');
  });

  const incremental = { cursorField: 'modified_gmt', format: 'iso8601', param: query('modified_after'), requestFormat: 'iso8601Seconds', lookbackSeconds: 1 };

  it('stores modified_gmt as written (no zone) and sends it back as UTC, whatever the host time zone', async () => {
    // The same read in two processes, one in UTC and one in New York: requests and state must be byte-identical.
    const script = (zone: string) =>
      runNodeScript([], [
        `process.env.TZ = ${JSON.stringify(zone)};`,
        "import { startTestApi } from './packages/testkit/src/index.ts';",
        "import { compileConnector } from './packages/engine/src/index.ts';",
        'const api = await startTestApi({ dataset: { tickets: 40 } });',
        `const doc = ${JSON.stringify(posts(pages({ totalPages: { from: 'header', path: 'X-WP-TotalPages' } }), { incremental }))};`,
        "const connector = await compileConnector(doc, {}, { allowPrivateNetwork: 'loopback', allowInsecureHttp: true, baseUrl: api.url });",
        'let state;',
        "for await (const m of connector.read('posts')) if (m.type === 'state') state = m.state;",
        'api.touch("tickets", [api.data.tickets[3].id]);',
        'api.resetRequests();',
        'const ids = [];',
        "for await (const m of connector.read('posts', { state })) if (m.type === 'raw') ids.push(m.record.id);",
        'const requests = api.requests.map((r) => r.query);',
        'await connector.close(); await api.close();',
        'console.log(JSON.stringify({ state, requests, ids, offset: new Date(2026, 0, 15).getTimezoneOffset() }));',
      ]) as { state: unknown; requests: unknown; ids: unknown; offset: number };
    const utc = script('UTC');
    const newYork = script('America/New_York');
    expect(newYork.offset).not.toBe(utc.offset);
    expect({ ...newYork, offset: 0 }).toEqual({ ...utc, offset: 0 });
    const cursor = (utc.state as { partitions: Record<string, { cursor: string }> }).partitions['']?.cursor as string;
    expect(cursor).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect((utc.requests as Json[])[0]?.['modified_after']).toBe(new Date(Date.parse(`${cursor}Z`) - 1000).toISOString().replace('.000Z', 'Z'));
    expect((utc.ids as unknown[]).length).toBeGreaterThan(0);
  });

  it('a definition time zone reads the site-local `modified` field right', async () => {
    const api = await serve({ dataset: { tickets: 30 }, siteTimeZone: 'America/New_York' });
    const siteLocal = { ...incremental, cursorField: 'modified' };
    const connector = await connect(posts(pages({ totalPages: { from: 'header', path: 'X-WP-TotalPages' } }), { incremental: siteLocal }), {}, { ...LOCAL, baseUrl: api.url });
    const state = finalState(await collect(connector.read('posts')));
    api.resetRequests();
    await collect(connector.read('posts', { state }));
    const sent = api.requests[0]?.query['modified_after'] as string;
    const newest = api.data.tickets.map((ticket) => Date.parse(ticket.updated_at)).reduce((a, b) => Math.max(a, b));
    // Without timeZone the zone-less local time would be read as UTC: hours off.
    expect(Date.parse(sent)).not.toBe(newest - 1000);
    const zoned = await connect({ ...posts(pages({ totalPages: { from: 'header', path: 'X-WP-TotalPages' } }), { incremental: siteLocal }), timeZone: 'America/New_York' }, {}, { ...LOCAL, baseUrl: api.url });
    const zonedState = finalState(await collect(zoned.read('posts')));
    api.resetRequests();
    await collect(zoned.read('posts', { state: zonedState }));
    expect(Date.parse(api.requests[0]?.query['modified_after'] as string)).toBe(newest - 1000);
  });
});

describe('the next page travels while this one is processed', () => {
  const cursor = { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: query('cursor'), pageSize: { param: query('limit'), value: 10 } };
  const contacts = () => definition({ contacts: { request: { path: '/cursor/contacts' }, records: { path: 'data' }, primaryKey: ['id'], pagination: cursor } });

  it('asks for page 2 before the consumer has taken page 1\'s records', async () => {
    const api = await serve({ dataset: { contacts: 25 } });
    let second!: () => void;
    const secondArrived = new Promise<void>((resolve) => (second = resolve));
    api.setOnRequest((request) => {
      if (request.seq === 2) second();
    });
    const connector = await connect(contacts(), {}, local(api));
    let records = 0;
    for await (const message of connector.read('contacts')) {
      // Without a request sent ahead, this would wait forever: page 2 is only asked for after page 1's records.
      if (message.type === 'raw' && records++ === 0) await secondArrived;
    }
    expect(records).toBe(25);
  });

  it('page 2 is on the wire before page 1\'s records are handed out, to a consumer that never yields to the event loop', async () => {
    const api = await serve({ dataset: { contacts: 25 } });
    const connector = await connect(contacts(), {}, local(api));
    // undici publishes each request's headers as it writes them to the socket.
    let written = 0;
    const onSent = () => void (written += 1);
    diagnostics.subscribe('undici:client:sendHeaders', onSent);
    try {
      const writtenAtPage: number[] = [];
      for await (const message of connector.read('contacts')) if (message.type === 'page') writtenAtPage.push(written);
      // Page 1 comes with the requests of pages 1 and 2 written, and so on: the API prepares each page while the
      // one before is mapped. Without the engine's turns of the event loop, undici writes the next request only
      // after this page's records (it checks an idle keep-alive socket in a setImmediate first).
      expect(writtenAtPage).toEqual([2, 3, 3]);
    } finally {
      diagnostics.unsubscribe('undici:client:sendHeaders', onSent);
    }
  });

  it('not under a record limit: no request is sent that the limit makes useless', async () => {
    const api = await serve({ dataset: { contacts: 25 } });
    const connector = await connect(contacts(), {}, local(api));
    expect(remoteIds(await collect(connector.read('contacts', { limits: { maxRecords: 10 } })))).toHaveLength(10);
    expect(api.count({ path: '/cursor/contacts' })).toBe(1);
  });

  it('a consumer that stops early leaves no request behind to fail later', async () => {
    const api = await serve({ dataset: { contacts: 25 }, faults: [{ kind: 'status', status: 500, route: '/cursor/contacts', after: 1 }] });
    const connector = await connect(contacts(), {}, local(api));
    for await (const message of connector.read('contacts')) if (message.type === 'raw') break;
    // The request sent ahead fails (500, retried): nothing reaches the consumer, and no rejection goes unhandled.
    await connector.close();
  });
});

describe('pages that end the way real APIs end them', () => {
  const cursor = { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: query('cursor'), pageSize: { param: query('limit'), value: 10 } };

  it('a next cursor on the last page leads to an empty page, which ends the read normally', async () => {
    const api = await serve({ dataset: { contacts: 25 }, faults: [{ kind: 'trailingEmptyPage' }] });
    const connector = await connect(definition({ contacts: { request: { path: '/cursor/contacts' }, records: { path: 'data' }, primaryKey: ['id'], pagination: cursor } }), {}, local(api));
    const messages = await collect(connector.read('contacts'));
    expect(remoteIds(messages)).toHaveLength(25);
    expect(ofType(messages, 'page').map((page) => page.records)).toEqual([10, 10, 5, 0]);
  });

  it('stopWhen says there is more but no cursor comes: ENGINE_INCOMPLETE_READ, not the end', async () => {
    const api = await serve({ dataset: { contacts: 25 } });
    const spec = { ...cursor, cursor: { from: 'body', path: 'next_token' }, stopWhen: '$not(has_more)' };
    const connector = await connect(definition({ contacts: { request: { path: '/cursor/contacts' }, records: { path: 'data' }, primaryKey: ['id'], pagination: spec } }), {}, local(api));
    expect((await readError(connector.read('contacts'))).code).toBe('ENGINE_INCOMPLETE_READ');
  });

  it('a bare array paged by the last id (pagination only in prose)', async () => {
    const api = await serve({ dataset: { contacts: 33 } });
    const spec = { kind: 'cursor', cursor: { from: 'body', path: '$[-1].id' }, param: query('after'), pageSize: { param: query('limit'), value: 10 } };
    const connector = await connect(definition({ contacts: { request: { path: '/after/contacts' }, primaryKey: ['id'], pagination: spec } }), {}, local(api));
    expect(sortedStrings(remoteIds(await collect(connector.read('contacts'))))).toEqual(sortedStrings(api.data.contacts.map((contact) => contact.id)));
  });

  it('a record limit does not end the read before the second page (test runs see pagination work)', async () => {
    const api = await serve({ dataset: { contacts: 25 } });
    const connector = await connect(definition({ contacts: { request: { path: '/cursor/contacts' }, records: { path: 'data' }, primaryKey: ['id'], pagination: cursor } }), {}, local(api));
    const messages = await collect(connector.read('contacts', { limits: { maxRecords: 10, minPages: 2 } }));
    expect(ofType(messages, 'page')).toHaveLength(2);
    expect(remoteIds(messages)).toHaveLength(10);
    expect(ofType(messages, 'end')[0]?.reason).toBe('record-limit');
  });
});

describe('what fetch did for the engine: compressed answers, default headers', () => {
  const contacts = (api: TestApi) => definition({ contacts: { request: { path: '/cursor/contacts' }, records: { path: 'data' }, primaryKey: ['id'], pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: query('cursor'), pageSize: { param: query('limit'), value: 10 } } } }, { http: { baseUrl: api.url } });

  it('asks for gzip and deflate (as fetch does over http) and reads what the server compressed', async () => {
    const api = await serve({ dataset: { contacts: 25 }, compression: 'negotiate' });
    const connector = await connect(contacts(api), {}, local(api));
    expect(sortedStrings(remoteIds(await collect(connector.read('contacts'))))).toEqual(sortedStrings(api.data.contacts.map((contact) => contact.id)));
    expect(new Set(api.requests.map((request) => request.headers['accept-encoding']))).toEqual(new Set(['gzip, deflate']));
  });

  it('sends a User-Agent where the definition sets none (GitHub refuses a request without one); a definition\'s own headers win', async () => {
    const api = await serve({ dataset: { contacts: 5 } });
    await collect((await connect(contacts(api), {}, local(api))).read('contacts'));
    expect(api.requests[0]?.headers).toMatchObject({ accept: 'application/json', 'user-agent': 'pullpush', 'accept-encoding': 'gzip, deflate' });
    api.resetRequests();
    const own = contacts(api) as { http: Record<string, unknown> };
    own.http['headers'] = { 'User-Agent': 'acme-sync/2.0', Accept: 'application/json', 'Accept-Encoding': 'identity' };
    await collect((await connect(own, {}, local(api))).read('contacts'));
    expect(api.requests[0]?.headers).toMatchObject({ accept: 'application/json', 'user-agent': 'acme-sync/2.0', 'accept-encoding': 'identity' });
  });

  it("gets past GitHub's refusal of a request without a User-Agent, whose words an empty one shows on one line", async () => {
    const api = await serve({ dataset: { tickets: 12 } });
    const github = JSON.parse(readFileSync(join(examplesDir, 'github.json'), 'utf8')) as { http: { headers: Record<string, string> } };
    const config = { accessToken: 'github_pat_11TESTKIT0123', repositories: api.data.projects.map((project) => project.repository) };
    const records = remoteIds(await collect((await connect(github, config, local(api))).read('issues')));
    expect(records.length).toBeGreaterThan(0);
    github.http.headers['User-Agent'] = '';
    const error = await readError((await connect(github, config, local(api))).read('issues'));
    expect(error.code).toBe('ENGINE_HTTP_STATUS');
    expect(error.message).toMatch(/answered 403 \(stream issues\) — Request forbidden by administrative rules\. Please make sure your request has a User-Agent header \(https:\/\/docs\.github\.com\/[^ ]+\)\.$/);
  });

  it('reads an answer compressed although the request did not ask for it (br from a proxy), and error answers too', async () => {
    const api = await serve({ dataset: { contacts: 25 }, compression: 'br', faults: [{ kind: 'status', status: 404, route: '/cursor/contacts', after: 1 }] });
    const connector = await connect(contacts(api), {}, local(api));
    const error = await readError(connector.read('contacts'));
    expect(error.code).toBe('ENGINE_HTTP_STATUS');
    expect(error.message).toContain('answered 404');
    expect(error.message).toContain('injected fault: status 404');
    expect(api.requests.map((request) => request.status)).toEqual([200, 404]);
  });

  it('caps what comes out of the decompressor, not what came over the wire (ENGINE_RESPONSE_TOO_LARGE)', async () => {
    // A page of ten contacts is about 3 KB of JSON and well under 2 KB gzipped.
    const api = await serve({ dataset: { contacts: 25 }, compression: 'gzip' });
    const connector = await connect(contacts(api), {}, local(api, { maxResponseBytes: 2048 }));
    expect((await readError(connector.read('contacts'))).code).toBe('ENGINE_RESPONSE_TOO_LARGE');
  });
});

describe('expressions in a connector: their bounds, clock and calendar', () => {
  const doc = (expr: string) =>
    definition(
      { notes: { canonical: 'crm.activity@1', request: { path: '/x' }, primaryKey: ['id'], mapping: { fields: { kind: { const: { value: 'note', native: null } }, subject: { expr } } } } },
      { retry: FAST_RETRY },
    );

  it('ConnectorOptions.expressions bounds the evaluations of the connector', async () => {
    const api = await serve({ dataset: { contacts: 3 } });
    const recursive = '($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $string($f(40)))';
    const doc = definition({
      contacts: {
        canonical: 'crm.activity@1',
        request: { path: '/cursor/contacts' },
        records: { path: 'data' },
        primaryKey: ['id'],
        mapping: { fields: { kind: { const: { value: 'note', native: null } }, subject: { expr: recursive } } },
      },
    });
    const bounded = await connect(doc, {}, local(api, { expressions: { maxDepth: 10 } }));
    const failures = ofType(await collect(bounded.read('contacts')), 'failure');
    expect(failures).toHaveLength(3);
    expect(failures[0]?.issues[0]?.pointer).toBe('/subject');
    const unbounded = await connect(doc, {}, local(api));
    expect(ofType(await collect(unbounded.read('contacts')), 'record')).toHaveLength(3);
  });

  it('$now() is the run time in a mapping (a bound $now used to shadow it)', async () => {
    const result = await mapNativeRecord(doc('$now()'), 'notes', { id: 1 }, { now: new Date('2026-03-01T12:00:00Z') });
    expect(result).toMatchObject({ ok: true, record: { subject: '2026-03-01T12:00:00.000Z' } });
  });

  it('$toMillis answers as JSONata does for everything but a time without a zone: dates, zones, non-ISO text', async () => {
    const { compileExpression } = await import('../src/index.ts');
    const toMillis = (text: string) => compileExpression(`$toMillis(${JSON.stringify(text)})`, '/x', { timeZone: 'Europe/Berlin' }).evaluate({}, {});
    expect(await toMillis('2026-01-15')).toBe(Date.parse('2026-01-15T00:00:00Z'));
    expect(await toMillis('2026-01-15T08:31:07+02:00')).toBe(Date.parse('2026-01-15T06:31:07Z'));
    expect(await toMillis('2026-01-15T08:31:07')).toBe(Date.parse('2026-01-15T07:31:07Z'));
    await expect(toMillis('2018-02-03 11:15:33')).rejects.toMatchObject({ code: 'ENGINE_EXPRESSION', cause: { code: 'D3110' } });
  });

  it('$toMillis of a timestamp without a zone is UTC, or the definition time zone, never the host zone', () => {
    const run = (zone: string) =>
      runNodeScript([], [
        `process.env.TZ = ${JSON.stringify(zone)};`,
        "import { mapNativeRecord } from './packages/engine/src/index.ts';",
        `const base = ${JSON.stringify(doc('$string($toMillis(at))'))};`,
        "const utc = await mapNativeRecord(base, 'notes', { id: 1, at: '2026-01-15T08:31:07' });",
        "const berlin = await mapNativeRecord({ ...base, timeZone: 'Europe/Berlin' }, 'notes', { id: 1, at: '2026-01-15T08:31:07' });",
        'console.log(JSON.stringify([utc.record.subject, berlin.record.subject]));',
      ]);
    const expected = [String(Date.parse('2026-01-15T08:31:07Z')), String(Date.parse('2026-01-15T07:31:07Z'))];
    expect(run('UTC')).toEqual(expected);
    expect(run('America/New_York')).toEqual(expected);
  });
});
