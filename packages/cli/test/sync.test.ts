// `pullpush sync` and `pullpush state` end to end: records in the SQLite file, incremental reruns that read only
// what changed, JSON Lines destinations with a separate state file, failed records kept (exit 3), Ctrl-C (exit
// 130, what was read committed), rotated refresh tokens written back to the config file — never printed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresStore, type SyncSummary } from '@pullpush/sync';
import { describe, expect, it } from 'vitest';
import { allOutput, canary, countRows, hasAnsi, local, pullpush, query, shopDefinition, until, useTempDirs, useTestApis, writeJson } from './support.ts';

const tempDir = useTempDirs();
const serve = useTestApis();

async function shop(options: { orders?: number; pageSize?: number } = {}) {
  const apiKey = canary();
  const api = await serve({ dataset: { orders: options.orders ?? 40, customers: 12, products: 6 }, auth: { kind: 'bearer', token: apiKey } });
  const dir = tempDir();
  const definition = writeJson(dir, 'shop.json', shopDefinition({ pageSize: options.pageSize ?? 25 }));
  const config = writeJson(dir, 'shop.config.json', { apiKey });
  return { api, apiKey, dir, definition, config };
}

function summaryOf(text: string): SyncSummary {
  return JSON.parse(text) as SyncSummary;
}

function streamOf(summary: SyncSummary, stream: string) {
  const found = summary.streams.find((entry) => entry.stream === stream);
  if (!found) throw new Error(`no stream ${stream} in the summary`);
  return found;
}

describe.concurrent('pullpush sync into SQLite', () => {
  it('syncs every stream, prints the summary table, and a rerun reads only what changed', async () => {
    const { api, apiKey, dir, definition, config } = await shop();
    const first = await pullpush(['sync', definition, '--config', config, ...local(api)], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^testkit-shop \(connection default\) → sqlite:\.\/pullpush\.db/);
    expect(first.stdout).toMatch(/^stream\s+type\s+pages\s+records\s+inserted\s+updated\s+unchanged\s+deleted\s+failed\s+time\s+status$/m);
    expect(first.stdout).toMatch(new RegExp(`^orders\\s+commerce\\.order@1\\s+2\\s+${api.data.orders.length}\\s+${api.data.orders.length}\\s+0\\s+0\\s+0\\s+0\\s+\\d+ ms\\s+ok$`, 'm'));
    expect(first.stdout).toContain('Sync succeeded');
    // Not a terminal: no bars, no colours, a plain line per stream on stderr.
    expect(hasAnsi(first.stdout + first.stderr)).toBe(false);
    expect(first.stderr).toContain(`orders: ${api.data.orders.length} records, 2 pages`);

    const db = join(dir, 'pullpush.db');
    expect(countRows(db, 'commerce_order')).toBe(api.data.orders.length);
    expect(countRows(db, 'commerce_customer')).toBe(api.data.customers.length);
    expect(countRows(db, 'commerce_stocklevel')).toBe(api.data.stock_levels.length);
    const [order] = query<{ number: string; total: string }>(db, "select json_extract(data, '$.number') as number, json_extract(data, '$.totals.total.amount') as total from commerce_order order by remote_id limit 1");
    expect(order?.number).toBe(api.data.orders.map((entry) => entry).sort((a, b) => String(a.id).localeCompare(String(b.id)))[0]?.name);
    expect(order?.total).toMatch(/^\d+(\.\d+)?$/);

    // Three orders change at the source; the rerun asks only for changes and updates exactly those.
    const changed = api.data.orders.slice(0, 3).map((entry) => entry.id);
    api.touch('orders', changed);
    api.resetRequests();
    const second = await pullpush(['sync', definition, '--config', config, '--stream', 'orders', '--json', ...local(api)], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    const summary = summaryOf(second.stdout);
    expect(summary).toMatchObject({ connector: 'testkit-shop', connection: 'default', destination: 'sqlite:./pullpush.db', status: 'succeeded' });
    const orders = streamOf(summary, 'orders');
    expect(orders).toMatchObject({ updated: 3, inserted: 0, failed: 0, status: 'succeeded' });
    expect(orders.records - orders.unchanged).toBe(3);
    expect(orders.records).toBeLessThan(api.data.orders.length);
    expect(api.count({ path: '/cursor/orders' })).toBe(1);
    expect(api.requests.find((request) => request.path === '/cursor/orders')?.query['updated_since']).toBeDefined();
    expect(countRows(db, 'commerce_order')).toBe(api.data.orders.length);

    // --full reads everything again; nothing changed, so everything is unchanged.
    const full = await pullpush(['sync', definition, '--config', config, '--stream', 'orders', '--full', '--json', ...local(api)], { cwd: dir });
    expect(streamOf(summaryOf(full.stdout), 'orders')).toMatchObject({ records: api.data.orders.length, unchanged: api.data.orders.length });
    expect(allOutput(first, second, full)).not.toContain(apiKey);
  });

  it('keeps records that fail mapping in the failed-records table and exits 3', async () => {
    const { api, apiKey, dir, config } = await shop();
    const definition = writeJson(
      dir,
      'failing.json',
      shopDefinition({ pageSize: 25 }, (shop) => {
        const fields = shop.streams['orders']?.mapping?.fields;
        if (fields) fields['currency'] = { expr: "id % 4 = 0 ? 'not-a-currency' : currency" };
      }),
    );
    const failing = api.data.orders.filter((order) => order.id % 4 === 0).length;
    const result = await pullpush(['sync', definition, '--config', config, '--to', 'sqlite:shop.db', '--stream', 'orders', ...local(api)], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`${failing} records failed mapping or validation: kept in the pullpush_failed_records table of shop.db`);
    expect(result.stdout).toMatch(/^orders\s.*\spartial$/m);
    const db = join(dir, 'shop.db');
    expect(countRows(db, 'commerce_order')).toBe(api.data.orders.length - failing);
    const failed = query<{ stream: string; remote_id: string; issues: string }>(db, 'select stream, remote_id, issues from pullpush_failed_records');
    expect(failed).toHaveLength(failing);
    expect(failed[0]?.issues).toContain('currency');
    expect(allOutput(result)).not.toContain(apiKey);
  });

  it('stops on SIGINT with exit code 130, committing the records read so far', async () => {
    const { apiKey, config } = await shop();
    const api = await serve({ dataset: { orders: 1500, customers: 10, products: 5 }, auth: { kind: 'bearer', token: apiKey } });
    const dir = tempDir();
    // Pages of 10 at 20 requests a second: 150 pages take over seven seconds.
    const definition = writeJson(
      dir,
      'slow.json',
      shopDefinition({ pageSize: 10 }, (shop) => {
        shop.rateLimits = { budgets: [{ requests: 20, perSeconds: 1 }], maxConcurrency: 1 };
      }),
    );
    const run = pullpush(['sync', definition, '--config', config, '--stream', 'orders', '--json', ...local(api)], {
      cwd: dir,
      onSpawn: (child) => {
        void until(() => api.count({ path: '/cursor/orders' }) >= 12).then(() => child.kill('SIGINT'));
      },
    });
    const result = await run;
    expect(result.code).toBe(130);
    const summary = summaryOf(result.stdout);
    expect(summary.status).toBe('cancelled');
    const orders = streamOf(summary, 'orders');
    expect(orders.status).toBe('cancelled');
    expect(orders.records).toBeGreaterThanOrEqual(100);
    expect(orders.records).toBeLessThan(1500);
    // Everything read was committed, even though no batch of 1,000 was full.
    expect(countRows(join(dir, 'pullpush.db'), 'commerce_order')).toBe(orders.inserted);
    expect(orders.inserted).toBe(orders.records);
    expect(allOutput(result)).not.toContain(apiKey);
  });

  it('writes a rotated refresh token back into the config file, never printing it', async () => {
    const clientSecret = canary('cs_canary');
    const refreshToken = canary('rt_canary');
    const api = await serve({ dataset: { orders: 5 }, auth: { kind: 'oauth2RefreshToken', clientId: 'cli-test', clientSecret, refreshToken } });
    const dir = tempDir();
    const definition = writeJson(
      dir,
      'oauth.json',
      // Open to keys of the user's own (`note`), which the write-back must keep.
      shopDefinition({ auth: 'oauth2RefreshToken' }, (shop) => void delete (shop.config as { additionalProperties?: boolean }).additionalProperties),
    );
    const config = writeJson(dir, 'oauth.config.json', { clientId: 'cli-test', clientSecret, refreshToken, note: 'kept' });
    const first = await pullpush(['sync', definition, '--config', config, '--stream', 'locations', ...local(api)], { cwd: dir });
    expect(first.code).toBe(0);
    const saved = JSON.parse(readFileSync(config, 'utf8')) as Record<string, string>;
    expect(saved['refreshToken']).not.toBe(refreshToken);
    expect(saved['refreshToken']).toBe(api.refreshToken);
    expect(saved).toMatchObject({ clientId: 'cli-test', clientSecret, note: 'kept' });
    // The saved token is the one that works now: a second run refreshes with it.
    const second = await pullpush(['sync', definition, '--config', config, '--stream', 'locations', ...local(api)], { cwd: dir });
    expect(second.code).toBe(0);
    const output = allOutput(first, second);
    for (const secret of [clientSecret, refreshToken, saved['refreshToken'] ?? 'x', api.refreshToken ?? 'x']) expect(output).not.toContain(secret);
  });
});

describe.concurrent('pullpush sync into JSON Lines', () => {
  it('appends events to a file, with checkpoints in a --state file', async () => {
    const { api, apiKey, dir, definition, config } = await shop();
    const args = ['sync', definition, '--config', config, '--to', 'jsonl:out/customers.jsonl', '--state', 'state.db', '--stream', 'customers', '--json', ...local(api)];
    const first = await pullpush(args, { cwd: dir });
    expect(first.code).toBe(0);
    expect(summaryOf(first.stdout)).toMatchObject({ destination: 'jsonl:out/customers.jsonl', status: 'succeeded', totals: { records: api.data.customers.length } });
    const lines = readFileSync(join(dir, 'out/customers.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(api.data.customers.length);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ specversion: '1.0', type: expect.stringMatching(/^commerce\.customer\./) });
    expect(query(join(dir, 'state.db'), 'select stream from pullpush_state')).toEqual([{ stream: 'customers' }]);

    const second = await pullpush(args, { cwd: dir });
    expect(second.code).toBe(0);
    expect(summaryOf(second.stdout).totals.records).toBeLessThan(api.data.customers.length);
    expect(allOutput(first, second)).not.toContain(apiKey);
  });

  it('writes events to stdout with jsonl:- and the summary to stderr', async () => {
    const { api, dir, definition, config } = await shop();
    const result = await pullpush(['sync', definition, '--config', config, '--to', 'jsonl:-', '--stream', 'locations', '--json', ...local(api)], { cwd: dir });
    expect(result.code).toBe(0);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(events).toHaveLength(api.data.locations.length);
    expect(events.every((event) => event.type.startsWith('commerce.location.'))).toBe(true);
    expect(summaryOf(result.stderr)).toMatchObject({ destination: 'jsonl:-', status: 'succeeded' });
  });
});

describe.concurrent('pullpush state', () => {
  it('shows and resets checkpoints', async () => {
    const { api, dir, definition, config } = await shop();
    const sync = await pullpush(['sync', definition, '--config', config, '--to', 'sqlite:s.db', '--stream', 'orders', '--stream', 'customers', ...local(api)], { cwd: dir });
    expect(sync.code).toBe(0);
    const table = await pullpush(['state', 'show', '--db', 's.db'], { cwd: dir });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^connector\s+connection\s+stream\s+cursor\s+stored at$/m);
    expect(table.stdout).toMatch(/^testkit-shop\s+default\s+orders\s+20\d\d-\d\d-\d\dT/m);

    const json = await pullpush(['state', 'show', '--db', 's.db', '--stream', 'orders', '--json'], { cwd: dir });
    const states = JSON.parse(json.stdout) as Array<{ connector: string; stream: string; state: { partitions: Record<string, { cursor?: string }> } }>;
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({ connector: 'testkit-shop', connection: 'default', stream: 'orders', updatedAt: expect.any(String) });
    expect(states[0]?.state.partitions['']?.cursor).toMatch(/^20/);

    const reset = await pullpush(['state', 'reset', '--db', 's.db', '--stream', 'orders', '--json'], { cwd: dir });
    expect(JSON.parse(reset.stdout)).toEqual({ db: 's.db', reset: 1 });
    const after = await pullpush(['state', 'show', '--db', 's.db', '--json'], { cwd: dir });
    expect((JSON.parse(after.stdout) as Array<{ stream: string }>).map((state) => state.stream)).toEqual(['customers']);
    const text = await pullpush(['state', 'reset', '--db', 's.db'], { cwd: dir });
    expect(text.stdout).toBe('Reset 1 checkpoint in s.db: the next sync of those streams reads everything.\n');

    const missing = await pullpush(['state', 'show', '--db', 'missing.db'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[CLI_NO_DATABASE]');
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });
});

const POSTGRES_URL = process.env['PULLPUSH_TEST_POSTGRES_URL'];

describe.skipIf(POSTGRES_URL === undefined)('pullpush sync into PostgreSQL', () => {
  it('syncs into a schema of its own with the password from PGPASSWORD, and a rerun writes nothing new', { timeout: 120_000 }, async () => {
    const { api, dir, definition, config } = await shop();
    const url = new URL(POSTGRES_URL as string);
    const password = decodeURIComponent(url.password);
    url.password = '';
    const schema = `pullpush_cli_${process.pid}_${Date.now().toString(36)}`;
    const server = url.toString();
    url.searchParams.set('schema', schema);
    const env = { PGPASSWORD: password };
    try {
      const first = await pullpush(['sync', definition, '--config', config, '--to', url.toString(), ...local(api)], { cwd: dir, env });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(`→ ${server} (schema ${schema})`);
      expect(first.stdout).toMatch(new RegExp(`^orders\\s+commerce\\.order@1\\s+2\\s+${api.data.orders.length}\\s+${api.data.orders.length}\\s+0\\s+0\\s+0\\s+0`, 'm'));
      const second = summaryOf((await pullpush(['sync', definition, '--config', config, '--to', url.toString(), '--json', ...local(api)], { cwd: dir, env })).stdout);
      expect(second.totals).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
      expect(`${first.stdout}${first.stderr}`).not.toContain(password);
      // The checkpoints, shown and reset through the same URL; the password is needed but never printed.
      const states = JSON.parse((await pullpush(['state', 'show', '--db', url.toString(), '--json'], { cwd: dir, env })).stdout) as Array<{ stream: string }>;
      expect(states.map((entry) => entry.stream).sort()).toEqual(['customers', 'locations', 'orders', 'products', 'stock_levels']);
      const reset = await pullpush(['state', 'reset', '--db', url.toString(), '--stream', 'orders'], { cwd: dir, env });
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stdout).toContain(`Reset 1 checkpoint in ${server} (schema ${schema}): the next sync of those streams reads everything.`);
      const third = summaryOf((await pullpush(['sync', definition, '--config', config, '--to', url.toString(), '--stream', 'orders', '--json', ...local(api)], { cwd: dir, env })).stdout);
      expect(third.totals).toMatchObject({ records: api.data.orders.length, unchanged: api.data.orders.length, inserted: 0 });
      const withPassword = new URL(url.toString());
      withPassword.password = password;
      const shown = await pullpush(['state', 'show', '--db', withPassword.toString()], { cwd: dir });
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toMatch(/^testkit-shop\s+default\s+orders\s+/m);
      expect(`${reset.stdout}${shown.stdout}${shown.stderr}`).not.toContain(password);
      const refused = await pullpush(['sync', definition, '--config', config, '--to', url.toString(), '--state', join(dir, 'state.db'), ...local(api)], { cwd: dir, env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('a PostgreSQL destination keeps its checkpoints itself');
    } finally {
      const store = new PostgresStore(POSTGRES_URL as string, { schema });
      await store.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await store.close();
    }
  });
});
