// The registry server on its own: its OpenAPI description, account rules, tokens kept only as hashes, and the
// registry key it keeps across restarts; over a SQLite file and over PostgreSQL (a schema of its own, see
// postgres.ts). Publishing and installing are tested through the client (@pullpush/registry-client), end to end with
// a real report in tools/test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryAuditLog, RegistryPackageInfo, RegistryPublishRequest, RegistrySearchResults, RegistryVersionDownload } from '@pullpush/schema';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { Value } from 'typebox/value';
import { startRegistry, type RunningRegistry } from '../src/index.ts';
import { POSTGRES_URL, postgresLocation, useSchemas } from './postgres.ts';
import { publisher } from './publisher.ts';

const freshSchema = useSchemas();

/** Where each test's registry keeps its data: a SQLite file in the test's temp dir, or a fresh PostgreSQL schema. */
const backends: Array<[string, (dir: string) => string, boolean]> = [
  ['a SQLite file', (dir) => join(dir, 'registry.db'), true],
  ['PostgreSQL', () => postgresLocation(freshSchema()), POSTGRES_URL !== undefined],
];

describe.each(backends)('the registry server over %s', (_backend, location, available) => {
  const test = it.skipIf(!available);
  let dir: string;
  let db: string;
  let registry: RunningRegistry | undefined;
  beforeEach(async () => {
    if (!available) return;
    dir = mkdtempSync(join(tmpdir(), 'pullpush-registry-server-'));
    db = location(dir);
    registry = await startRegistry({ db });
  });
  afterEach(async () => {
    await registry?.close();
    registry = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const url = () => (registry as RunningRegistry).url;
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${url()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

  test('serves the OpenAPI description of its API', async () => {
    const description = (await (await fetch(`${url()}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(description.openapi).toBe('3.1.0');
    expect(Object.keys(description.paths)).toEqual(expect.arrayContaining(['/-/accounts', '/-/search', '/packages/{scope}/{name}', '/packages/{scope}/{name}/{version}', '/packages/{scope}/{name}/dist-tags/{tag}']));
  });

  test('creates accounts with valid names only, once each; tokens are stored as hashes', async () => {
    const created = await post('/-/accounts', { name: 'acme' });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    expect((await post('/-/accounts', { name: 'acme' })).status).toBe(403);
    for (const name of ['Acme', '../x', '', 'a'.repeat(40)]) expect((await (await post('/-/accounts', { name })).json()) as object).toMatchObject({ error: { code: 'REGISTRY_INVALID_NAME' } });
    // The PostgreSQL store's tokens are read back as hashes in store-contract.test.ts.
    if (!db.startsWith('postgres')) expect(readFileSync(db).includes(token)).toBe(false);
    expect((await post('/-/tokens', { scope: 'read' }, token)).status).toBe(201);
    expect((await post('/-/tokens', { scope: 'read' }, 'pp_pub_forged')).status).toBe(401);
    expect((await post('/-/keys', { publicKey: 'not a key' }, token)).status).toBe(400);
  });

  test('keeps its signing key across restarts', async () => {
    const before = await (await fetch(`${url()}/-/registry-keys`)).json();
    await registry?.close();
    registry = await startRegistry({ db });
    expect(await (await fetch(`${url()}/-/registry-keys`)).json()).toEqual(before);
  });

  test('answers unknown packages and versions 404 with a code', async () => {
    expect(await (await fetch(`${url()}/packages/@acme/none`)).json()).toMatchObject({ error: { code: 'REGISTRY_NOT_FOUND' } });
  });

  test('answers with the documents of the schemas in @pullpush/schema, describes them in its OpenAPI, and refuses a body that does not fit', async () => {
    const acme = await publisher(url(), 'acme');
    const shop = shopConnectorDefinition({ baseUrl: 'https://shop.example.com' }) as unknown as Record<string, unknown>;
    expect((await acme.publish('@acme/shop', { ...shop, version: '1.0.0' })).status).toBe(201);
    const info: unknown = await (await fetch(`${url()}/packages/@acme/shop`)).json();
    expect([...Value.Errors(RegistryPackageInfo, info)]).toEqual([]);
    const download: unknown = await (await fetch(`${url()}/packages/@acme/shop/1.0.0`)).json();
    expect([...Value.Errors(RegistryVersionDownload, download)]).toEqual([]);
    const found = (await (await fetch(`${url()}/-/search?q=commerce.order`)).json()) as RegistrySearchResults;
    expect([...Value.Errors(RegistrySearchResults, found)]).toEqual([]);
    expect(found.results[0]).toMatchObject({ name: '@acme/shop', latest: '1.0.0', verification: { verdict: 'pass' } });

    const description = (await (await fetch(`${url()}/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>> };
    expect(description.paths['/packages/{scope}/{name}']?.['put']?.requestBody.content['application/json']?.schema).toEqual(JSON.parse(JSON.stringify(RegistryPublishRequest)));

    const refused = await fetch(`${url()}/packages/@acme/shop`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.token}` }, body: JSON.stringify({ definition: shop, report: {}, signature: { keyId: 'k' } }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'REGISTRY_INVALID_REQUEST', message: expect.stringContaining('/signature') } });
    const audit = (await (await fetch(`${url()}/-/audit`, { headers: { authorization: `Bearer ${acme.token}` } })).json()) as RegistryAuditLog;
    expect([...Value.Errors(RegistryAuditLog, audit)]).toEqual([]);
    expect(audit.entries.map((entry) => [entry.action, entry.name, entry.version])).toEqual([
      ['publish', '@acme/shop', '1.0.0'],
      ['add-key', null, null],
      ['create-account', null, null],
    ]);
    const other = await publisher(url(), 'other');
    expect(((await (await fetch(`${url()}/-/audit`, { headers: { authorization: `Bearer ${other.token}` } })).json()) as RegistryAuditLog).entries.map((entry) => entry.account)).toEqual(['other', 'other']);
    expect((await fetch(`${url()}/-/audit`)).status).toBe(401);
    expect(await (await post('/-/tokens', { scope: 'admin' }, acme.token)).json()).toMatchObject({ error: { code: 'REGISTRY_INVALID_REQUEST', message: 'The request body at /scope: must be equal to one of the allowed values (read, publish).' } });
  });

  test('refuses a second publish of a version with 409, and counts each download in the package and its search hit', async () => {
    const acme = await publisher(url(), 'acme');
    const shop = shopConnectorDefinition({ baseUrl: 'https://shop.example.com' }) as unknown as Record<string, unknown>;
    expect((await acme.publish('@acme/shop', { ...shop, version: '1.0.0' })).status).toBe(201);
    const again = await acme.publish('@acme/shop', { ...shop, version: '1.0.0' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'REGISTRY_VERSION_EXISTS' } });
    for (let download = 0; download < 2; download += 1) expect(await (await fetch(`${url()}/packages/@acme/shop/1.0.0`)).json()).toMatchObject({ version: '1.0.0', registryKeyId: expect.stringMatching(/^registry_/) });
    expect(await (await fetch(`${url()}/packages/@acme/shop`)).json()).toMatchObject({ downloads: 2 });
    expect(await (await fetch(`${url()}/-/search?q=commerce.order`)).json()).toMatchObject({ results: [{ name: '@acme/shop', downloads: 2 }] });
  });

  test('limits writes per account, and per address for requests without a valid token (an invented token buys nothing); reads apart', async () => {
    await registry?.close();
    registry = await startRegistry({ db, rateLimits: { reads: { limit: 4, windowMs: 60_000 }, writes: { limit: 3, windowMs: 60_000 } } });
    const shop = shopConnectorDefinition({ baseUrl: 'https://shop.example.com' }) as unknown as Record<string, unknown>;
    // Per account: creating it counts for the address; its key and two publishes fill acme's three writes.
    const acme = await publisher(url(), 'acme');
    for (const version of ['1.0.0', '1.0.1']) expect((await acme.publish('@acme/shop', { ...shop, version })).status).toBe(201);
    const limited = await acme.publish('@acme/shop', { ...shop, version: '1.0.2' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ error: { code: 'REGISTRY_RATE_LIMITED', hint: expect.stringMatching(/^Try again in \d+ s\.$/) } });
    // Another account has its own allowance.
    const beta = await publisher(url(), 'beta');
    expect((await beta.publish('@beta/shop', { ...shop, version: '1.0.0' })).status).toBe(201);
    // The address has made two writes (the two accounts); a forged token counts there, and the next is refused.
    expect((await post('/-/tokens', { scope: 'read' }, 'pp_pub_forged1')).status).toBe(401);
    expect((await post('/-/tokens', { scope: 'read' }, 'pp_pub_forged2')).status).toBe(429);
    // Reads are counted apart from writes: four for the address, then 429.
    for (let read = 0; read < 4; read += 1) expect((await fetch(`${url()}/-/search?q=shop`)).status).toBe(200);
    expect((await fetch(`${url()}/-/search?q=shop`)).status).toBe(429);
    expect((await fetch(`${url()}/-/search?q=shop`, { headers: { authorization: `Bearer ${acme.token}` } })).status).toBe(200);
  });
});
