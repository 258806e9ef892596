// The registry client against a real registry server on 127.0.0.1 (a SQLite file in a temp dir): accounts, keys,
// verified publishing, install with its lockfile, dist-tags, yanks, search, and every refusal on either side.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definitionArtifact } from '@pullpush/schema';
import { startRegistry, type RunningRegistry } from '@pullpush/registry-server';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install, installFromLockfile, RegistryClient, type PublishSigner } from '../src/index.ts';

let dir: string;
let registry: RunningRegistry;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-registry-'));
  registry = await startRegistry({ db: join(dir, 'registry.db') });
});
afterEach(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

function shop(version = '1.0.0'): Record<string, unknown> {
  return { ...(shopConnectorDefinition({ baseUrl: 'https://shop.example.com' }) as unknown as Record<string, unknown>), version };
}

/** The shape of the engine's report of a passing read-only test of `definition` (the real one is tested in tools/test). */
function passingReport(definition: unknown, change: (report: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
  const report: Record<string, unknown> = {
    connector: 'testkit-shop',
    definitionVersion: (definition as { version: string }).version,
    integrity: definitionArtifact(definition).integrity,
    startedAt: '2026-11-30T00:00:00.000Z',
    verdict: 'pass',
    auth: { ok: true },
    streams: ['locations', 'products', 'stock_levels', 'customers', 'orders'].map((stream) => ({ stream, verdict: 'pass' })),
  };
  change(report);
  return report;
}

async function publisher(account = 'acme'): Promise<{ client: RegistryClient; token: string; signer: PublishSigner }> {
  const { token } = await new RegistryClient({ url: registry.url }).createAccount(account);
  const client = new RegistryClient({ url: registry.url, token });
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const keyId = await client.addKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return { client, token, signer: { keyId, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } };
}

describe('publish and install', () => {
  it('publishes a verified definition, installs it by name with a lockfile, and reinstalls the same bytes from it', async () => {
    const { client, signer } = await publisher();
    const published = await client.publish('@acme/shop', shop(), passingReport(shop()), signer);
    expect(published).toMatchObject({ name: '@acme/shop', version: '1.0.0', integrity: definitionArtifact(shop()).integrity });
    const reader = new RegistryClient({ url: registry.url });
    const options = { dir: join(dir, 'connectors'), lockfile: join(dir, 'pullpush-lock.json') };
    const installed = await install(reader, '@acme/shop', options);
    expect(installed).toMatchObject({ version: '1.0.0', path: join(dir, 'connectors', '@acme', 'shop.json') });
    const bytes = readFileSync(installed.path, 'utf8');
    expect(JSON.parse(bytes)).toEqual(shop());
    expect(JSON.parse(readFileSync(options.lockfile, 'utf8'))).toEqual({ lockfileVersion: 1, connectors: { '@acme/shop': { version: '1.0.0', integrity: published.integrity, registry: registry.url } } });
    rmSync(installed.path);
    await installFromLockfile(reader, options);
    expect(readFileSync(installed.path, 'utf8')).toBe(bytes);
    expect((await reader.info('@acme/shop')).downloads).toBe(2);
  });

  it('versions: latest moves with each publish and back on rollback; ranges skip yanked versions', async () => {
    const { client, signer } = await publisher();
    await client.publish('@acme/shop', shop('1.0.0'), passingReport(shop('1.0.0')), signer);
    await client.publish('@acme/shop', shop('1.1.0'), passingReport(shop('1.1.0')), signer);
    const reader = new RegistryClient({ url: registry.url });
    const options = { dir: join(dir, 'c'), lockfile: join(dir, 'lock.json') };
    expect((await install(reader, '@acme/shop', options)).version).toBe('1.1.0');
    expect(await client.setDistTag('@acme/shop', 'latest', '1.0.0')).toEqual({ latest: '1.0.0' });
    expect((await install(reader, '@acme/shop', options)).version).toBe('1.0.0');
    expect((await install(reader, '@acme/shop@^1.0.0', options)).version).toBe('1.1.0');
    await client.yank('@acme/shop', '1.1.0');
    expect((await install(reader, '@acme/shop@^1.0.0', options)).version).toBe('1.0.0');
    // A yanked version is still there for whoever names it exactly (lockfiles).
    expect((await install(reader, '@acme/shop@1.1.0', options)).version).toBe('1.1.0');
    await client.deprecate('@acme/shop', 'Use @acme/shop2.', '1.0.0');
    expect((await reader.info('@acme/shop')).versions.map((version) => [version.version, version.yanked, version.deprecated])).toEqual([
      ['1.0.0', false, 'Use @acme/shop2.'],
      ['1.1.0', true, null],
    ]);
    await expect(install(reader, '@acme/shop@^2.0.0', options)).rejects.toMatchObject({ code: 'REGISTRY_CLIENT_NO_MATCHING_VERSION' });
  });

  it('searches names, descriptions, canonical types, auth kinds and streams', async () => {
    const { client, signer } = await publisher();
    await client.publish('@acme/shop', shop(), passingReport(shop()), signer);
    const reader = new RegistryClient({ url: registry.url });
    for (const query of ['shop', 'commerce.order', 'bearer', 'stock_levels', 'testkit']) {
      expect((await reader.search(query)).map((hit) => hit.name), query).toEqual(['@acme/shop']);
    }
    expect(await reader.search('zendesk')).toEqual([]);
    expect((await reader.search('shop'))[0]).toMatchObject({ latest: '1.0.0', authKind: 'bearer', canonicalTypes: expect.arrayContaining(['commerce.order@1']) });
  });
});

describe('refusals', () => {
  it('publishing needs a publish token, your own scope, a passing report of this exact definition, a valid definition without credentials, and your key', async () => {
    const { client, token, signer } = await publisher();
    const anonymous = new RegistryClient({ url: registry.url });
    await expect(anonymous.publish('@acme/shop', shop(), passingReport(shop()), signer)).rejects.toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
    const readOnly = new RegistryClient({ url: registry.url, token: await client.createToken('read') });
    await expect(readOnly.publish('@acme/shop', shop(), passingReport(shop()), signer)).rejects.toMatchObject({ code: 'REGISTRY_FORBIDDEN' });
    await expect(client.publish('@other/shop', shop(), passingReport(shop()), signer)).rejects.toMatchObject({ code: 'REGISTRY_FORBIDDEN', hint: expect.stringContaining('@acme/shop') });
    await expect(client.publish('@acme/shop', shop(), passingReport(shop('9.9.9')), signer)).rejects.toMatchObject({ code: 'REGISTRY_UNVERIFIED', message: expect.stringContaining('another definition') });
    const failing = passingReport(shop(), (report) => {
      const streams = report['streams'] as Array<{ verdict: string }>;
      (streams[4] as { verdict: string }).verdict = 'fail';
    });
    await expect(client.publish('@acme/shop', shop(), failing, signer)).rejects.toMatchObject({
      code: 'REGISTRY_UNVERIFIED',
      message: expect.stringContaining('orders'),
    });
    const invalid = { ...shop(), streams: {} };
    await expect(client.publish('@acme/shop', invalid, passingReport(invalid), signer)).rejects.toMatchObject({ code: 'REGISTRY_INVALID_DEFINITION' });
    const leaky = { ...shop(), auth: { kind: 'bearer', token: 'sk_live_51HxAbCdEfGhIjKlMnOp' } };
    await expect(client.publish('@acme/shop', leaky, passingReport(leaky), signer)).rejects.toMatchObject({ code: 'REGISTRY_SECRET_LITERAL', message: expect.stringContaining('/auth/token') });
    const stranger = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(client.publish('@acme/shop', shop(), passingReport(shop()), { keyId: signer.keyId, privateKey: stranger })).rejects.toMatchObject({ code: 'REGISTRY_BAD_SIGNATURE' });
    const { signer: otherSigner } = await publisher('other');
    await expect(client.publish('@acme/shop', shop(), passingReport(shop()), otherSigner)).rejects.toMatchObject({ code: 'REGISTRY_BAD_SIGNATURE' });
    // Nothing of that was stored.
    await expect(anonymous.info('@acme/shop')).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
    expect(token).toMatch(/^pp_pub_/);
  });

  it('refuses a name that could reach a path, and a 10 MB upload', async () => {
    const { token, signer } = await publisher();
    for (const name of ['@acme/../x', '@acme/..', '@../etc/passwd', '@acme/a/b']) {
      const response = await fetch(`${registry.url}/packages/${name}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
      expect([400, 404], name).toContain(response.status);
    }
    await expect(install(new RegistryClient({ url: registry.url }), '@acme/../../x', { dir: join(dir, 'c'), lockfile: join(dir, 'l.json') })).rejects.toMatchObject({ code: 'REGISTRY_CLIENT_INVALID_NAME' });
    const huge = { ...shop(), description: 'x'.repeat(10 * 1024 * 1024) };
    const response = await fetch(`${registry.url}/packages/@acme/shop`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ definition: huge }) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'REGISTRY_TOO_LARGE' } });
    expect(signer.keyId).toMatch(/^key_/);
  });

  it('one of two concurrent publishes of one version wins; the other is told the version exists', async () => {
    const { client, signer } = await publisher();
    const results = await Promise.allSettled([0, 1, 2, 3].map(() => client.publish('@acme/shop', shop(), passingReport(shop()), signer)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((entry) => entry.status === 'rejected')) expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'REGISTRY_VERSION_EXISTS' });
  });

  it('install refuses a tampered artifact, a signature by an unknown key and an untrusted registry key, writing nothing', async () => {
    const { client, signer } = await publisher();
    await client.publish('@acme/shop', shop(), passingReport(shop()), signer);
    const options = { dir: join(dir, 'c'), lockfile: join(dir, 'lock.json') };
    const db = new DatabaseSync(join(dir, 'registry.db'));
    const original = db.prepare('SELECT artifact, key_id FROM versions').get() as { artifact: string; key_id: string };
    db.prepare('UPDATE versions SET artifact = ?').run(original.artifact.replace('"Testkit', '"Evil'));
    await expect(install(new RegistryClient({ url: registry.url }), '@acme/shop', options)).rejects.toMatchObject({ code: 'REGISTRY_CLIENT_INTEGRITY' });
    db.prepare('UPDATE versions SET artifact = ?, key_id = ?').run(original.artifact, 'key_unknown');
    await expect(install(new RegistryClient({ url: registry.url }), '@acme/shop', options)).rejects.toMatchObject({ code: 'REGISTRY_CLIENT_SIGNATURE' });
    db.prepare('UPDATE versions SET key_id = ?').run(original.key_id);
    db.close();
    const pinned = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expect(install(new RegistryClient({ url: registry.url, registryKeys: { other: pinned } }), '@acme/shop', options)).rejects.toMatchObject({ code: 'REGISTRY_CLIENT_SIGNATURE', message: expect.stringContaining('countersignature') });
    expect(() => readFileSync(options.lockfile)).toThrow();
    // With the real keys it installs.
    expect((await install(new RegistryClient({ url: registry.url }), '@acme/shop', options)).version).toBe('1.0.0');
  });

  it('a rate-limited request fails at once with REGISTRY_RATE_LIMITED and when to try again (no retry into the window)', async () => {
    await registry.close();
    registry = await startRegistry({ db: join(dir, 'registry.db'), rateLimits: { reads: { limit: 2, windowMs: 3_600_000 }, writes: { limit: 10, windowMs: 60_000 } } });
    const reader = new RegistryClient({ url: registry.url });
    await reader.search('shop');
    await reader.search('shop');
    await expect(reader.search('shop')).rejects.toMatchObject({ code: 'REGISTRY_RATE_LIMITED', hint: expect.stringMatching(/^Try again in \d+ s\.$/) });
  });
});
