// The marketplace through the real binaries: `pullpush registry serve` in its own process, `login`, `keys create`,
// `test --json` for the report, `publish`, `install`, `sync` from the installed file, a second version, `rollback`
// and an install that follows it; and the refusals a person meets.
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresStore } from '@pullpush/sync';
import { describe, expect, it } from 'vitest';
import { local, pullpush, shopDefinition, until, useTempDirs, useTestApis, writeJson } from './support.ts';

const tempDir = useTempDirs();
const serve = useTestApis();

describe('pullpush registry, publish and install', () => {
  it('serves a registry, publishes the shop connector with its passing report, installs it and syncs from it; rollback moves latest back', { timeout: 240_000 }, async () => {
    const token = 'registry-cli-token-5c2e';
    // Pages of two: every stream, the three locations too, shows its pagination working, so the test passes.
    const api = await serve({ auth: { kind: 'bearer', token }, dataset: { orders: 20, customers: 10, products: 6, locations: 3 }, pagination: { maxPageSize: 2 } });
    const dir = tempDir();
    const env = { HOME: dir, PULLPUSH_API_KEY: token };
    let stdout = '';
    let child: ChildProcess | undefined;
    const server = pullpush(['registry', 'serve', '--db', join(dir, 'registry.db'), '--json'], {
      cwd: dir,
      env,
      onSpawn: (spawned) => {
        child = spawned;
        spawned.stdout?.on('data', (chunk: string) => (stdout += chunk));
      },
    });
    try {
      await until(() => /"url"/.test(stdout), 60_000);
      const url = (JSON.parse(stdout.trim().split('\n')[0] as string) as { url: string }).url;
      const run = async (args: string[]) => {
        const result = await pullpush(args, { cwd: dir, env });
        expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
        return result;
      };
      await run(['login', '--registry', url, '--account', 'acme']);
      expect(await run(['keys', 'create'])).toMatchObject({ stdout: expect.stringContaining('never leaves this machine') });

      for (const version of ['1.0.0', '1.1.0']) {
        const file = writeJson(dir, `shop-${version}.json`, { ...shopDefinition({ pageSize: 2 }), version });
        const tested = await run(['test', file, '--json', ...local(api)]);
        writeFileSync(join(dir, `report-${version}.json`), tested.stdout);
        expect((JSON.parse(tested.stdout) as { verdict: string }).verdict).toBe('pass');
        await run(['publish', file, '--report', join(dir, `report-${version}.json`), '--name', '@acme/shop']);
      }
      const refused = await pullpush(['publish', join(dir, 'shop-1.0.0.json'), '--report', join(dir, 'report-1.0.0.json'), '--name', '@acme/shop'], { cwd: dir, env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('REGISTRY_VERSION_EXISTS');
      const mismatched = await pullpush(['publish', join(dir, 'shop-1.1.0.json'), '--report', join(dir, 'report-1.0.0.json'), '--name', '@acme/other'], { cwd: dir, env });
      expect(mismatched.stderr).toContain('REGISTRY_UNVERIFIED');

      expect((await run(['search', 'commerce.order'])).stdout).toContain('@acme/shop@1.1.0');
      expect((await run(['install', '@acme/shop'])).stdout).toContain('@acme/shop@1.1.0 → connectors/@acme/shop.json');
      const installed = join(dir, 'connectors', '@acme', 'shop.json');
      const synced = await run(['sync', installed, '--to', `sqlite:${join(dir, 'shop.db')}`, '--json', ...local(api)]);
      expect(JSON.parse(synced.stdout)).toMatchObject({ status: 'succeeded' });

      await run(['rollback', '@acme/shop', '1.0.0']);
      expect((await run(['install', '@acme/shop'])).stdout).toContain('@acme/shop@1.0.0');
      expect(JSON.parse(readFileSync(join(dir, 'pullpush-lock.json'), 'utf8'))).toMatchObject({ connectors: { '@acme/shop': { version: '1.0.0' } } });
      expect((await run(['info', '@acme/shop'])).stdout).toContain('latest → 1.0.0');
      const audit = (await run(['audit'])).stdout;
      const [rolledBack, published] = ['acme  dist-tag  @acme/shop@1.0.0  latest', 'acme  publish  @acme/shop@1.1.0'].map((line) => audit.indexOf(line));
      expect(rolledBack).toBeGreaterThanOrEqual(0);
      expect(published).toBeGreaterThan(rolledBack as number); // newest first
    } finally {
      child?.kill('SIGINT');
      await server;
    }
  });

  it('says what is missing before publishing: no registry, no key', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const file = writeJson(dir, 'shop.json', shopDefinition());
    const noRegistry = await pullpush(['publish', file, '--report', file, '--name', '@acme/shop'], { cwd: dir, env: { HOME: dir } });
    expect(noRegistry.code).toBe(2);
    expect(noRegistry.stderr).toContain('pullpush login');
    const noKey = await pullpush(['publish', file, '--report', file, '--name', '@acme/shop'], { cwd: dir, env: { HOME: dir, PULLPUSH_REGISTRY: 'http://127.0.0.1:9' } });
    expect(noKey.stderr).toContain('pullpush keys create');
  });

  it('says which PostgreSQL server it cannot reach, without the password, before serving anything', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const refused = await pullpush(['registry', 'serve', '--db', 'postgres://someone:s3cret-pw@127.0.0.1:1/nowhere?schema=registry'], { cwd: dir, env: { HOME: dir } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('postgres://someone:***@127.0.0.1:1/nowhere (schema registry)');
    expect(refused.stderr).toContain('[REGISTRY_DATABASE]');
    expect(refused.stderr).toContain('hint: Check the URL');
    expect(refused.stderr).not.toContain('s3cret-pw');
  });
});

const POSTGRES_URL = process.env['PULLPUSH_TEST_POSTGRES_URL'];

describe.skipIf(POSTGRES_URL === undefined)('pullpush registry serve on PostgreSQL', () => {
  it('keeps the registry in a schema of the database the URL names, and names the server without its password', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const url = new URL(POSTGRES_URL as string);
    const schema = `pullpush_cli_registry_${process.pid}_${Date.now().toString(36)}`;
    url.searchParams.set('schema', schema);
    let stderr = '';
    let child: ChildProcess | undefined;
    const server = pullpush(['registry', 'serve', '--db', url.toString()], {
      cwd: dir,
      env: { HOME: dir },
      onSpawn: (spawned) => {
        child = spawned;
        spawned.stderr?.on('data', (chunk: string) => (stderr += chunk));
      },
    });
    try {
      await until(() => /PullPush registry on /.test(stderr), 60_000);
      const served = /on (http:\/\/\S+) \(data in (.*)\)\./.exec(stderr);
      expect(served?.[2]).toContain(`@${url.host}`);
      expect(served?.[2]).toContain(`(schema ${schema})`);
      if (url.password) expect(stderr).not.toContain(url.password);
      const keys = (await (await fetch(`${served?.[1]}/-/registry-keys`)).json()) as { keys: Array<{ id: string }> };
      expect(keys.keys[0]?.id).toMatch(/^registry_/);
    } finally {
      child?.kill('SIGINT');
      await server;
      const store = new PostgresStore(POSTGRES_URL as string, { schema });
      await store.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await store.close();
    }
  });
});
