// The marketplace tools through the SDK's real Client, against a real registry server: publishing a stored
// definition only with a passing report of exactly that revision, search, a connector's page, installing into the
// workspace (verified), and the workspace lockfile.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '@pullpush/registry-client';
import { startRegistry, type RunningRegistry } from '@pullpush/registry-server';
import { shopConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from './support.ts';

const TOKEN = 'marketplace-shop-token-31c9';
let dir: string;
let registry: RunningRegistry;
let api: TestApi;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-mcp-marketplace-'));
  registry = await startRegistry({ db: join(dir, 'registry.db') });
  api = await startTestApi({ auth: { kind: 'bearer', token: TOKEN }, dataset: { orders: 12, customers: 6, products: 4, locations: 3 }, pagination: { maxPageSize: 2 } });
});
afterEach(async () => {
  await registry.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

async function account() {
  const { token } = await new RegistryClient({ url: registry.url }).createAccount('acme');
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const keyId = await new RegistryClient({ url: registry.url, token }).addKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return { url: registry.url, token, signer: { keyId, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } };
}

describe('marketplace tools', () => {
  it('publishes only a tested revision, then searches, reads and installs it into another workspace', { timeout: 120_000 }, async () => {
    const publisher = await connect({ registry: await account(), toolsets: ['author', 'connect', 'test', 'marketplace'] });
    const definition = { ...(shopConnectorDefinition({ baseUrl: 'https://shop.example.com', pageSize: 2 }) as unknown as Record<string, unknown>), version: '1.0.0' };
    await publisher.ok('create_definition', { document: definition });
    expect(await publisher.fails('publish_definition', { definition: 'testkit-shop', name: '@acme/shop' })).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS', hint: expect.stringContaining('test_connector') });
    await publisher.ok('create_connection', { connection: 'shop', definition: 'testkit-shop', config: { apiKey: TOKEN }, baseUrl: api.url });
    expect(await publisher.ok('test_connector', { connection: 'shop' })).toMatchObject({ verdict: 'pass' });
    const published = await publisher.ok<{ name: string; version: string; report: string }>('publish_definition', { definition: 'testkit-shop', name: '@acme/shop' });
    expect(published).toMatchObject({ name: '@acme/shop', version: '1.0.0' });
    // A new revision has no passing report of its own.
    await publisher.ok('update_definition', { definition: 'testkit-shop', patch: [{ op: 'replace', path: '/version', value: '1.1.0' }] });
    expect(await publisher.fails('publish_definition', { definition: 'testkit-shop', name: '@acme/shop' })).toMatchObject({ message: expect.stringContaining('revision 2') });

    const reader = await connect({ registry: { url: registry.url }, toolsets: ['marketplace', 'author'] });
    expect((await reader.ok<{ results: Array<{ name: string }> }>('search_marketplace', { query: 'commerce.order' })).results.map((hit) => hit.name)).toEqual(['@acme/shop']);
    expect(await reader.ok('get_marketplace_connector', { name: '@acme/shop' })).toMatchObject({ distTags: { latest: '1.0.0' }, versions: [{ version: '1.0.0', verification: { verdict: 'pass' } }] });
    expect(await reader.ok('install_connector', { spec: '@acme/shop@^1.0.0' })).toMatchObject({ name: '@acme/shop', version: '1.0.0', definition: 'testkit-shop', revision: 1 });
    expect((await reader.ok<{ document: { version: string } }>('get_definition', { definition: 'testkit-shop' })).document.version).toBe('1.0.0');
    expect(await reader.ok('list_installed_connectors')).toMatchObject({ connectors: { '@acme/shop': { version: '1.0.0', registry: registry.url } } });
    expect(await reader.fails('publish_definition', { definition: 'testkit-shop', name: '@acme/shop' })).toMatchObject({ hint: expect.stringContaining('pullpush login') });
  });

  it('without a registry, the tools say how to set one', async () => {
    const { fails } = await connect();
    expect(await fails('search_marketplace', { query: 'shop' })).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS', hint: expect.stringContaining('PULLPUSH_REGISTRY') });
  });
});
