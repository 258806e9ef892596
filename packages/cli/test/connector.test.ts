// `pullpush test` and `pullpush read` against a local testkit shop: the report and its verdict, JSON Lines of
// canonical and native records, failures on stderr, config from a file or the environment — and the API key
// never in any output.
import { describe, expect, it } from 'vitest';
import { allOutput, canary, hasAnsi, local, pullpush, shopDefinition, useTempDirs, useTestApis, writeJson } from './support.ts';

const tempDir = useTempDirs();
const serve = useTestApis();

/** A shop with a bearer token, its definition and a config file holding the token. */
async function shop(counts: { orders?: number } = {}) {
  const apiKey = canary();
  // More of each than a page of 10: a test run sees every stream page.
  const api = await serve({ dataset: { orders: counts.orders ?? 30, customers: 15, products: 12, locations: 12 }, auth: { kind: 'bearer', token: apiKey } });
  const dir = tempDir();
  const definition = writeJson(dir, 'shop.json', shopDefinition({ pageSize: 10 }));
  const config = writeJson(dir, 'shop.config.json', { apiKey });
  return { api, apiKey, dir, definition, config };
}

describe.concurrent('pullpush test', () => {
  it('prints the report and exits 0 when the verdict passes', async () => {
    const { api, apiKey, dir, definition, config } = await shop();
    const text = await pullpush(['test', definition, '--config', config, '--max-records', '15', ...local(api)], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^PASS testkit-shop 1\.0\.0/);
    expect(text.stdout).toContain('auth: ok');
    expect(text.stdout).toMatch(/PASS orders → commerce\.order@1: 15 records, 2 pages/);
    expect(hasAnsi(text.stdout)).toBe(false);

    const json = await pullpush(['test', definition, '-c', config, '--stream', 'orders', '--stream', 'customers', '--max-pages', '1', '--json', ...local(api)], { cwd: dir });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { verdict: string; auth: { ok: boolean }; streams: Array<{ stream: string; pages: number; verdict: string; pagination: { stoppedBecause: string } }> };
    // One page at most: pagination cannot be exercised, and the verdict says so.
    expect(report).toMatchObject({ connector: 'testkit-shop', verdict: 'warn', auth: { ok: true, error: null } });
    expect(report.streams.map((stream) => stream.stream)).toEqual(['orders', 'customers']);
    expect(report.streams[0]).toMatchObject({ pages: 1, verdict: 'warn', pagination: { stoppedBecause: 'page-limit', exercised: false } });
    // Read-only: nothing but GETs reached the API.
    expect(api.requests.every((request) => request.method === 'GET')).toBe(true);
    expect(allOutput(text, json)).not.toContain(apiKey);
  });

  it('exits 1 when the verdict fails (a wrong key), without printing the key', async () => {
    const { api, apiKey, dir, definition } = await shop();
    const wrongKey = canary('sk_wrong');
    const wrong = writeJson(dir, 'wrong.config.json', { apiKey: wrongKey });
    const result = await pullpush(['test', definition, '--config', wrong, ...local(api)], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL testkit-shop/);
    expect(result.stdout).toContain('auth: failed');
    expect(allOutput(result)).not.toContain(wrongKey);
    expect(allOutput(result)).not.toContain(apiKey);
  });

  it('never prints the key, even when the API echoes it in records (test --json, test, read native and canonical)', async () => {
    const { api, apiKey, dir, definition, config } = await shop();
    // A "who am I" style API: the caller's token in every customer, one of them failing validation because of it.
    for (const customer of api.data.customers) api.update('customers', customer.id, { note: `token ${apiKey}`, first_name: apiKey.toUpperCase() });
    api.update('customers', api.data.customers[0]?.id as number, { email: `${apiKey}@` });
    const json = await pullpush(['test', definition, '--config', config, '--stream', 'customers', '--json', ...local(api)], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ streams: [{ stream: 'customers' }] });
    const text = await pullpush(['test', definition, '--config', config, '--stream', 'customers', ...local(api)], { cwd: dir });
    const native = await pullpush(['read', definition, 'customers', '--config', config, '--native', ...local(api)], { cwd: dir });
    const canonical = await pullpush(['read', definition, 'customers', '--config', config, ...local(api)], { cwd: dir });
    expect(native.stdout.split('\n').filter(Boolean)).toHaveLength(15);
    expect(native.stdout).toContain('token ***');
    expect(allOutput(json, text, native, canonical).toLowerCase()).not.toContain(apiKey.toLowerCase());
  });

  it('takes config values from PULLPUSH_<KEY> and explains missing ones', async () => {
    const { api, apiKey, dir, definition } = await shop();
    const fromEnv = await pullpush(['test', definition, '--stream', 'locations', ...local(api)], { cwd: dir, env: { PULLPUSH_API_KEY: apiKey } });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain('PASS locations');
    const missing = await pullpush(['test', definition, ...local(api)], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[ENGINE_INVALID_CONFIG]');
    expect(missing.stderr).toContain('apiKey (or PULLPUSH_API_KEY)');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const badFile = await pullpush(['test', definition, '--config', 'missing.json'], { cwd: dir });
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toContain('[SYNC_CONFIG_FILE]');
    expect(allOutput(fromEnv, missing, badFile)).not.toContain(apiKey);
  });

  it('refuses a local API unless the network flags allow it', async () => {
    const { api, dir, definition, config } = await shop();
    const result = await pullpush(['test', definition, '--config', config, '--base-url', api.url, '--json'], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { auth: { ok: boolean; error: { code: string } } };
    expect(report.auth.ok).toBe(false);
    expect(['ENGINE_INSECURE_URL', 'ENGINE_PRIVATE_ADDRESS', 'ENGINE_INVALID_DEFINITION']).toContain(report.auth.error.code);
    expect(api.requests).toHaveLength(0);
  });
});

describe.concurrent('pullpush read', () => {
  it('prints canonical events as JSON Lines, native records with --native', async () => {
    const { api, apiKey, dir, definition, config } = await shop();
    const events = await pullpush(['read', definition, 'orders', '--config', config, ...local(api)], { cwd: dir });
    expect(events.code).toBe(0);
    expect(events.stderr).toBe('');
    const lines = events.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { specversion: string; type: string; subject: string; data: { number: string; remote: { id: string } } });
    expect(lines).toHaveLength(api.data.orders.length);
    expect(lines[0]).toMatchObject({ specversion: '1.0', type: expect.stringMatching(/^commerce\.order\./) });
    expect(new Set(lines.map((line) => line.data.remote.id))).toEqual(new Set(api.data.orders.map((order) => String(order.id))));

    const native = await pullpush(['read', definition, 'customers', '-c', config, '--native', '--limit', '3', ...local(api)], { cwd: dir });
    expect(native.code).toBe(0);
    const records = native.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number; email: string });
    expect(records).toHaveLength(3);
    expect(records[0]).toHaveProperty('email');
    expect(records[0]).not.toHaveProperty('specversion');
    expect(allOutput(events, native)).not.toContain(apiKey);
  });

  it('prints failing records on stderr as JSON lines and exits 3', async () => {
    const { api, dir, config } = await shop();
    const definition = writeJson(
      dir,
      'failing.json',
      shopDefinition({ pageSize: 10 }, (shop) => {
        const fields = shop.streams['orders']?.mapping?.fields;
        if (fields) fields['currency'] = { expr: "id % 3 = 0 ? 'not-a-currency' : currency" };
      }),
    );
    const result = await pullpush(['read', definition, 'orders', '--config', config, ...local(api)], { cwd: dir });
    expect(result.code).toBe(3);
    const failing = api.data.orders.filter((order) => order.id % 3 === 0).length;
    expect(failing).toBeGreaterThan(0);
    const failures = result.stderr.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; stream: string; remoteId: string; issues: Array<{ pointer: string }> });
    expect(failures).toHaveLength(failing);
    expect(failures[0]).toMatchObject({ type: 'failure', stream: 'orders', issues: expect.arrayContaining([expect.objectContaining({ pointer: expect.stringContaining('currency') })]) });
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(api.data.orders.length - failing);
  });

  it('reports an unknown stream with its code', async () => {
    const { api, dir, definition, config } = await shop();
    const result = await pullpush(['read', definition, 'invoices', '--config', config, ...local(api)], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^pullpush: .*invoices.* \[ENGINE_UNKNOWN_STREAM\]/);
  });
});
