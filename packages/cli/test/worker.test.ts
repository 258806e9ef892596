// `pullpush worker`, `pullpush jobs`, `pullpush schedule`, and the flow commands on a PostgreSQL store, spawned as a
// user runs them: a flow run once into PostgreSQL, then queued runs (now and on a cron schedule) done by a worker
// process, which SIGTERM stops after its running jobs (exit 0). The password never appears in any output.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { PostgresStore } from '@pullpush/sync';
import { describe, expect, it } from 'vitest';
import { allOutput, pullpush, until, useTempDirs, useTestApis, writeJson, type Result } from './support.ts';

const POSTGRES_URL = process.env['PULLPUSH_TEST_POSTGRES_URL'];
const serve = useTestApis();
const tempDir = useTempDirs();
const LOCAL = ['--allow-private-network', '--allow-insecure-http'];

describe.skipIf(POSTGRES_URL === undefined)('pullpush worker, jobs and schedule on PostgreSQL', () => {
  it('runs a flow into PostgreSQL, then queued and scheduled runs on a worker that SIGTERM drains', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const source = await serve({ seed: 41, dataset: { customers: 12 }, auth: { kind: 'bearer', token: 'src-token' } });
    const crm = await serve({ seed: 7, dataset: { customers: 3 }, auth: { kind: 'bearer', token: 'crm-secret-9d1' } });
    const prefix = `pullpush_cliw_${process.pid}_${Date.now().toString(36)}`;
    const url = new URL(POSTGRES_URL as string);
    const password = decodeURIComponent(url.password);
    url.searchParams.set('schema', prefix);
    const db = url.toString();
    const flow = writeJson(dir, 'flow.json', {
      dsl: 'pullpush/flow/v1',
      id: 'shop-to-crm',
      source: { connector: 'testkit-shop', connection: 'shop', streams: ['customers'] },
      destination: { kind: 'connector', connector: 'crm', connection: 'crm' },
    });
    const definitions = ['-d', writeJson(dir, 'shop.json', shopConnectorDefinition({ baseUrl: source.url })), '-d', writeJson(dir, 'crm.json', { ...shopConnectorDefinition({ baseUrl: crm.url, writes: true }), id: 'crm' })];
    const configs = ['-c', `shop=${writeJson(dir, 'shop.config.json', { apiKey: 'src-token' })}`, '-c', `crm=${writeJson(dir, 'crm.config.json', { apiKey: 'crm-secret-9d1' })}`];
    const results: Result[] = [];
    const run = async (args: string[]) => {
      const result = await pullpush(args, { cwd: dir });
      results.push(result);
      return result;
    };
    const names = () => crm.data.customers.map((customer) => customer.first_name);
    let worker: ChildProcess | undefined;
    try {
      // Once, by hand, with the flow's store in PostgreSQL.
      const first = await run(['flow', 'run', flow, ...definitions, ...configs, '--db', db, ...LOCAL]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('Delivered 12 (12 created');
      const status = JSON.parse((await run(['flow', 'status', flow, '--db', db, '--json'])).stdout) as { outbox: { delivered: number; pending: number }; remoteIds: number; runs: Array<{ status: string }> };
      expect(status).toMatchObject({ outbox: { delivered: 12, pending: 0 }, remoteIds: 12 });
      expect(status.runs.map((entry) => entry.status)).toEqual(['succeeded']);
      expect((await run(['dlq', 'list', '--db', db, '--flow', 'shop-to-crm'])).stdout).toContain('is empty');

      // Queued: a change at the source, a run queued, and a worker that does it.
      const [renamed] = source.data.customers;
      if (!renamed) throw new Error('no customer');
      source.update('customers', renamed.id, { first_name: 'Queued' });
      const added = await run(['jobs', 'add', flow, ...definitions, '--db', db, '--json']);
      expect(added.code, added.stderr).toBe(0);
      expect(JSON.parse(added.stdout)).toMatchObject({ flow: 'shop-to-crm' });
      // Counted now, before any worker runs: one run of a flow waiting.
      const waiting = JSON.parse((await run(['jobs', 'list', '--db', db, '--json'])).stdout) as { counts: Array<{ queue: string; queued: number; active: number }> };
      expect(waiting.counts).toEqual([
        { queue: 'pullpush-flow', queued: 1, active: 0, deferred: 0, total: 1 },
        { queue: 'pullpush-sync', queued: 0, active: 0, deferred: 0, total: 0 },
        { queue: 'pullpush-deliver', queued: 0, active: 0, deferred: 0, total: 0 },
      ]);
      let workerOutput = '';
      const workerDone = pullpush(['worker', '--db', db, ...configs, '--heartbeat', '10', '--json', ...LOCAL], {
        cwd: dir,
        onSpawn: (child) => {
          worker = child;
          child.stdout?.on('data', (chunk: Buffer) => (workerOutput += chunk.toString()));
        },
      });
      await until(() => names().includes('Queued'), 90_000);
      const listed = JSON.parse((await run(['jobs', 'list', '--db', db, '--json'])).stdout) as { jobs: Array<{ queue: string; state: string }> };
      expect(listed.jobs.filter((job) => job.queue === 'pullpush-flow').map((job) => job.state)).toEqual(['completed']);
      expect(listed.jobs.some((job) => job.queue === 'pullpush-sync' && job.state === 'completed')).toBe(true);
      expect((await run(['jobs', 'list', '--db', db, '--state', 'failed'])).stdout).toContain('No jobs.');
      const completed = JSON.parse((await run(['jobs', 'list', '--db', db, '--state', 'completed', '--queue', 'sync', '--json'])).stdout) as { jobs: Array<{ queue: string; state: string; flow: string; stream: string }> };
      expect(completed.jobs.length).toBeGreaterThan(0);
      expect(completed.jobs.every((job) => job.queue === 'pullpush-sync' && job.state === 'completed' && job.flow === 'shop-to-crm' && job.stream === 'customers')).toBe(true);

      // On the flow's own schedule (every 5 seconds, an exact interval), until it is removed; a cron given replaces it.
      const noSchedule = await run(['schedule', 'add', flow, ...definitions, '--db', db]);
      expect(noSchedule.code).toBe(1);
      expect(noSchedule.stderr).toContain('SYNC_INVALID_SCHEDULE');
      const withCron = await run(['schedule', 'add', flow, ...definitions, '--cron', '0 3 * * *', '--tz', 'Europe/Paris', '--db', db]);
      expect(withCron.code, withCron.stderr).toBe(0);
      expect((await run(['schedule', 'list', '--db', db])).stdout).toMatch(/shop-to-crm\s+0 3 \* \* \*\s+Europe\/Paris/);
      source.update('customers', renamed.id, { first_name: 'Scheduled' });
      const everyFlow = writeJson(dir, 'every.json', { ...(JSON.parse(readFileSync(flow, 'utf8')) as object), schedule: { every: '5s' } });
      const scheduled = await run(['schedule', 'add', everyFlow, ...definitions, '--db', db]);
      expect(scheduled.code, scheduled.stderr).toBe(0);
      expect(scheduled.stdout).toContain('runs on "FREQ=SECONDLY;INTERVAL=5" (UTC)');
      expect((await run(['schedule', 'list', '--db', db])).stdout).toMatch(/shop-to-crm\s+FREQ=SECONDLY;INTERVAL=5\s+UTC/);
      await until(() => names().includes('Scheduled'), 90_000);
      expect((await run(['schedule', 'remove', 'shop-to-crm', '--db', db])).stdout).toContain('The schedule of flow shop-to-crm is removed.');
      expect((await run(['schedule', 'list', '--db', db])).stdout).toContain('No schedules.');
      expect(names().filter((name) => name === 'Scheduled')).toHaveLength(1);

      // Refusals with their codes: a bad cron, an unknown job, a flow without its destination's definition.
      const badCron = await run(['schedule', 'add', flow, ...definitions, '--cron', 'every day', '--db', db]);
      expect(badCron.code).toBe(1);
      expect(badCron.stderr).toContain('SYNC_INVALID_SCHEDULE');
      const unknown = await run(['jobs', 'retry', '00000000-0000-4000-8000-000000000000', '--db', db]);
      expect(unknown.stderr).toContain('SYNC_UNKNOWN_JOB');
      const missing = await run(['jobs', 'add', flow, definitions[0] as string, definitions[1] as string, '--db', db]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no --definition has that id');

      // SIGTERM: the worker stops taking jobs and exits 0.
      worker?.kill('SIGTERM');
      const stopped = await workerDone;
      results.push(stopped);
      expect(stopped.code, stopped.stderr).toBe(0);
      const events = workerOutput.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; queue: string });
      expect(events.some((event) => event.kind === 'finished' && event.queue === 'pullpush-deliver')).toBe(true);
      expect(allOutput(...results)).not.toContain(password);
      expect(allOutput(...results)).not.toContain('crm-secret-9d1');
    } finally {
      if (worker && worker.exitCode === null) worker.kill('SIGKILL');
      const store = new PostgresStore(POSTGRES_URL as string);
      for (const row of await store.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)", [prefix])) await store.query(`DROP SCHEMA IF EXISTS "${row.name}" CASCADE`);
      await store.close();
    }
  });
});
