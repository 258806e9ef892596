// The marketplace end to end, with real parts: a registry server on a SQLite file, the testkit shop connector
// tested read-only by the engine against a testkit API (its report is what verifies the publish), installed by
// name into a scratch folder through the client, synced into SQLite from the installed file; then 1.1.0, a
// rollback of latest to 1.0.0, and an install that follows it.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConnector } from '@pullpush/engine';
import { install, RegistryClient } from '@pullpush/registry-client';
import { startRegistry } from '@pullpush/registry-server';
import { openSqliteStore, runSync } from '@pullpush/sync';
import { shopConnectorDefinition, startTestApi } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';

describe('publish, install and sync through the registry', () => {
  it('publishes the shop connector with its passing report, installs it by name, syncs from it, and follows a rollback', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullpush-registry-e2e-'));
    const token = 'shop-e2e-token-8d1f';
    // Pages of 2: every stream, the three locations too, shows its pagination working, so the test passes rather than warns.
    const api = await startTestApi({ auth: { kind: 'bearer', token }, dataset: { orders: 30, customers: 12, products: 8, locations: 3 }, pagination: { maxPageSize: 2 } });
    const registry = await startRegistry({ db: join(dir, 'registry.db') });
    try {
      const local = { baseUrl: api.url, allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;
      const definition = (version: string) => ({ ...(shopConnectorDefinition({ baseUrl: 'https://shop.example.com', pageSize: 2 }) as unknown as Record<string, unknown>), version });
      const { token: publishToken } = await new RegistryClient({ url: registry.url }).createAccount('acme');
      const publisher = new RegistryClient({ url: registry.url, token: publishToken });
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const signer = { keyId: await publisher.addKey(publicKey.export({ type: 'spki', format: 'pem' }).toString()), privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };

      for (const version of ['1.0.0', '1.1.0']) {
        const report = await testConnector(definition(version), { apiKey: token }, local);
        expect(report.verdict, JSON.stringify(report.streams.map((stream) => [stream.stream, stream.verdict, stream.notes]))).toBe('pass');
        await publisher.publish('@acme/shop', definition(version), report, signer);
      }

      const reader = new RegistryClient({ url: registry.url });
      const options = { dir: join(dir, 'connectors'), lockfile: join(dir, 'pullpush-lock.json') };
      const installed = await install(reader, '@acme/shop', options);
      expect(installed.version).toBe('1.1.0');
      const fromFile = JSON.parse(readFileSync(installed.path, 'utf8')) as Record<string, unknown>;
      const store = openSqliteStore(join(dir, 'shop.db'));
      try {
        const summary = await runSync({ definition: fromFile, config: { apiKey: token }, destination: store, engine: local });
        expect(summary.status).toBe('succeeded');
        expect(summary.streams.find((stream) => stream.stream === 'orders')).toMatchObject({ records: 30, inserted: 30 });
      } finally {
        store.close();
      }

      expect(await publisher.setDistTag('@acme/shop', 'latest', '1.0.0')).toEqual({ latest: '1.0.0' });
      expect((await install(reader, '@acme/shop', options)).version).toBe('1.0.0');
      expect(JSON.parse(readFileSync(options.lockfile, 'utf8'))).toMatchObject({ connectors: { '@acme/shop': { version: '1.0.0' } } });
      expect((await reader.search('commerce.order'))[0]).toMatchObject({ name: '@acme/shop', latest: '1.0.0' });
    } finally {
      await registry.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
