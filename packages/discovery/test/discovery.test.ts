// Discovery on small descriptions written for one behaviour each: the input forms (Swagger 2.0, OpenAPI 3.0 and
// 3.1, JSON and YAML, external and circular $refs, Postman), the errors, and the draft's shape.
import { validateDefinition } from '@pullpush/schema';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover, DiscoveryErrorCode, draftConnector } from '../src/index.ts';
import { openapi31, swagger2 } from './descriptions.ts';

const dir = mkdtempSync(join(tmpdir(), 'pullpush-discovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading descriptions', () => {
  it('reads Swagger 2.0 YAML text: server, basic auth, page pagination with its page count, parents, single reads left out', async () => {
    const model = await discover({ text: swagger2 });
    expect(model.format).toBe('openapi-2.0');
    expect(model.servers[0]?.url).toBe('https://desk.example.com/api/v2');
    expect(model.authSchemes).toMatchObject([{ name: 'basic', kind: 'basic' }]);
    expect(model.listOperations.map((operation) => operation.path)).toEqual(['/tickets', '/tickets/{id}/comments']);
    const [tickets, comments] = model.listOperations;
    expect(tickets?.records).toMatchObject({ path: 'tickets', schemaRef: '#/components/schemas/Ticket' });
    expect(tickets?.pagination.spec).toEqual({ kind: 'page', pageParam: { in: 'query', name: 'page' }, pageSize: { param: { in: 'query', name: 'per_page' }, value: 100 }, totalPages: { from: 'body', path: 'total_pages' } });
    expect(tickets?.primaryKey[0]?.field).toBe('id');
    expect(tickets?.incremental[0]).toMatchObject({ cursorField: 'updated_at', format: 'iso8601', param: { in: 'query', name: 'updated_since' } });
    expect(comments?.parent).toMatchObject({ operation: 'listTickets', param: 'id', field: 'id' });
    expect(model.skipped).toContainEqual({ pointer: '/paths/~1tickets~1{id}/get', reason: 'reads one record of /tickets' });
  });

  it('reads OpenAPI 3.1 JSON with circular $refs and an allOf envelope; the draft validates and names its evidence', async () => {
    const model = await discover({ text: JSON.stringify(openapi31) });
    const [folders] = model.listOperations;
    expect(folders?.records.path).toBe('data');
    expect(folders?.records.schemaRef).toBe('#/components/schemas/Folder');
    expect(folders?.pagination.spec).toEqual({ kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: { in: 'query', name: 'cursor' }, stopWhen: '$not(has_more)', pageSize: { param: { in: 'query', name: 'limit' }, value: 200 } });
    expect(folders?.primaryKey[0]?.field).toBe('uid');
    // The circular parent is cut, not expanded forever.
    expect(JSON.stringify(folders?.records.schema).length).toBeLessThan(5000);
    const draft = draftConnector(model);
    expect(validateDefinition(draft.definition).errors).toEqual([]);
    expect(draft.definition.http.baseUrl).toBe('https://{{ $config.region }}.files.example.com/v1');
    expect(draft.definition.auth).toEqual({ kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: '{{ $config.apiKey }}' });
    expect((draft.definition.config as { properties: Record<string, unknown> }).properties['region']).toMatchObject({ default: 'eu', enum: ['eu', 'us'] });
    const pagination = draft.report.streams[0]?.choices.find((choice) => choice.pointer === '/streams/folders/pagination');
    expect(pagination?.evidence.map((entry) => entry.pointer)).toContain('/paths/~1folders/get/parameters/0');
  });

  it('resolves $refs into other files next to the description', async () => {
    const folder = mkdtempSync(join(dir, 'external-'));
    writeFileSync(join(folder, 'schemas.yaml'), 'Item:\n  type: object\n  properties:\n    id: { type: string }\n    next: { $ref: "#/Item" }\n');
    writeFileSync(
      join(folder, 'api.yaml'),
      "openapi: 3.0.3\ninfo: { title: Ext, version: '1' }\nservers: [{ url: 'https://ext.example.com' }]\npaths:\n  /items:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { type: array, items: { $ref: './schemas.yaml#/Item' } }\n",
    );
    const model = await discover({ file: join(folder, 'api.yaml') });
    expect(model.listOperations[0]?.records.schema).toMatchObject({ type: 'object', properties: { id: { type: 'string' } } });
    expect(model.skipped).toEqual([]);
  });

  it('does not follow a $ref out of the root it is given', async () => {
    const folder = mkdtempSync(join(dir, 'outside-'));
    writeFileSync(join(dir, 'private.yaml'), 'Item:\n  type: object\n  properties:\n    secret: { type: string }\n');
    writeFileSync(
      join(folder, 'api.yaml'),
      "openapi: 3.0.3\ninfo: { title: Out, version: '1' }\nservers: [{ url: 'https://out.example.com' }]\npaths:\n  /items:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { type: array, items: { $ref: '../private.yaml#/Item' } }\n",
    );
    const model = await discover({ file: join(folder, 'api.yaml'), root: folder });
    expect(JSON.stringify(model)).not.toContain('secret');
    expect(model.skipped.map((entry) => entry.reason)).toContain(`$ref to ${join(dir, 'private.yaml')} points outside ${folder} and is not followed`);
    // Without a root, the file's own user may reach any file.
    expect(JSON.stringify((await discover({ file: join(folder, 'api.yaml') })).listOperations[0]?.records.schema)).toContain('secret');
  });

  it('infers the record shape from an example when a response has no schema', async () => {
    const spec = { openapi: '3.0.0', info: { title: 'Ex', version: '1' }, servers: [{ url: 'https://ex.example.com' }], paths: { '/notes': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { example: { notes: [{ id: 'n1', text: 'hi' }], next: 'https://ex.example.com/notes?page=2' } } } } } } } } };
    const model = await discover({ text: JSON.stringify(spec) });
    expect(model.listOperations[0]).toMatchObject({ records: { path: 'notes' }, pagination: { spec: { kind: 'nextUrl', path: 'next' } } });
  });

  it('reads a Postman collection, with its variables resolved into hosts and paths', async () => {
    const collection = {
      info: { name: 'Notes', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      variable: [{ key: 'baseUrl', value: 'https://notes.example.com' }],
      auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}' }] },
      item: [{ name: 'List notes', request: { method: 'GET', url: { raw: '{{baseUrl}}/notes?page=1', host: ['{{baseUrl}}'], path: ['notes'], query: [{ key: 'page', value: '1' }] } } }],
    };
    const model = await discover({ text: JSON.stringify(collection) });
    expect(model.format).toBe('postman-2.1');
    expect(model.servers[0]?.url).toBe('https://notes.example.com');
    expect(model.authSchemes[0]?.kind).toBe('bearer');
  });
});

describe('a description fetched from a URL', () => {
  it('goes through the network policy: refused on a private address unless allowed; relative servers resolve against it', { timeout: 30_000 }, async () => {
    const spec = { ...openapi31, servers: [{ url: '/v1' }] };
    const server = createServer((request, response) => {
      response.writeHead(request.url === '/openapi.json' ? 200 : 404, { 'content-type': 'application/json' });
      response.end(request.url === '/openapi.json' ? JSON.stringify(spec) : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.json`;
    try {
      await expect(discover({ url })).rejects.toMatchObject({ code: expect.stringMatching(/^ENGINE_(INSECURE_URL|PRIVATE_ADDRESS)$/) });
      await expect(discover({ url, network: { allowInsecureHttp: true } })).rejects.toMatchObject({ code: 'ENGINE_PRIVATE_ADDRESS' });
      const model = await discover({ url, network: { allowInsecureHttp: true, allowPrivateNetwork: 'loopback' } });
      expect(model.origin).toBe(url);
      expect(model.servers[0]?.url).toBe(url.replace('/openapi.json', '/v1'));
      await expect(discover({ url: url.replace('openapi', 'missing'), network: { allowInsecureHttp: true, allowPrivateNetwork: 'loopback' } })).rejects.toMatchObject({ code: 'ENGINE_HTTP_STATUS', message: expect.stringContaining('404') });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('errors name the place and hint at a fix', () => {
  it('JSON that does not parse: DISCOVERY_UNPARSEABLE with the position', async () => {
    const error = await discover({ text: '{"openapi": "3.0.0",, }', origin: 'api.json' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: DiscoveryErrorCode.Unparseable, message: expect.stringMatching(/api\.json is not valid JSON: .*position/) });
  });

  it('YAML that does not parse: DISCOVERY_UNPARSEABLE with the line', async () => {
    const error = await discover({ text: 'openapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\n', origin: 'api.yaml' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: DiscoveryErrorCode.Unparseable, message: expect.stringMatching(/api\.yaml is not valid YAML at line \d+, column \d+/) });
  });

  it('a document that is not a description, an OpenAPI version discovery does not read, a missing file', async () => {
    await expect(discover({ text: '{"name": "not an API"}' })).rejects.toMatchObject({ code: DiscoveryErrorCode.NotADescription, hint: expect.stringContaining('OpenAPI') });
    await expect(discover({ text: '{"openapi": "4.0.0"}' })).rejects.toMatchObject({ code: DiscoveryErrorCode.NotADescription, message: expect.stringContaining('4.0.0') });
    await expect(discover({ file: join(dir, 'missing.yaml') })).rejects.toMatchObject({ code: DiscoveryErrorCode.Unreadable, message: expect.stringContaining('missing.yaml') });
  });

  it('a stream asked for that is not a list operation: DISCOVERY_UNKNOWN_OPERATION listing some that are', async () => {
    const model = await discover({ text: swagger2 });
    expect(() => draftConnector(model, { streams: ['listTicket'] })).toThrow(expect.objectContaining({ code: DiscoveryErrorCode.UnknownOperation, hint: expect.stringContaining('listTickets') }));
  });

  it('a broken $ref is listed as skipped, and discovery goes on with the rest', async () => {
    const spec = structuredClone(openapi31) as Record<string, unknown> & { paths: Record<string, unknown> };
    spec.paths['/broken'] = { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nowhere' } } } } } } };
    const model = await discover({ text: JSON.stringify(spec) });
    expect(model.listOperations.map((operation) => operation.path)).toEqual(['/folders']);
    expect(model.skipped.some((entry) => entry.reason.includes('#/components/schemas/Nowhere'))).toBe(true);
  });
});

describe('drafting', () => {
  it('fills a child path parameter from its parent stream and asks the connection for the rest', async () => {
    const model = await discover({ text: swagger2 });
    const draft = draftConnector(model, { streams: ['GET /tickets/{id}/comments'] });
    expect(validateDefinition(draft.definition).errors).toEqual([]);
    expect(Object.keys(draft.definition.streams)).toEqual(['tickets', 'comments']);
    expect(draft.definition.streams['comments']).toMatchObject({ request: { path: '/tickets/{{ $partition }}/comments' }, partitions: { kind: 'parent', stream: 'tickets', value: 'id' } });
    expect(draft.definition.streams['tickets']?.incremental).toMatchObject({ cursorField: 'updated_at', param: { in: 'query', name: 'updated_since' } });
    expect(draft.report.streams[0]?.picked).toContain('parent of');
    expect(draft.report.config.map((entry) => entry.key)).toEqual(['username', 'password', 'startDate']);
  });
});
