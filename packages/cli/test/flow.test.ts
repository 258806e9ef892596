// `pullpush flow run` and `pullpush dlq`, spawned as a user runs them: a flow from one testkit shop's customers to
// another's writes; the records the destination refuses go to the dead-letter queue, are shown by cause, retried
// once the cause is gone, and delivered by the next run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { pullpush, useTempDirs, useTestApis, writeJson } from './support.ts';

const serve = useTestApis();
const tempDir = useTempDirs();
const LOCAL = ['--allow-private-network', '--allow-insecure-http'];

describe('pullpush flow run and pullpush dlq', () => {
  it('delivers a flow to a connector destination; refused records wait in the dead-letter queue until retried', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const source = await serve({ seed: 41, dataset: { customers: 12 }, auth: { kind: 'bearer', token: 'src-token' } });
    const crm = await serve({
      seed: 7,
      dataset: { customers: 3 },
      auth: { kind: 'bearer', token: 'crm-secret-9d1' },
      faults: [{ kind: 'status', status: 422, method: 'POST', route: '/customers', times: 2, body: { error: { code: 'invalid', message: 'phone is not valid' } } }],
    });
    const flow = writeJson(dir, 'flow.json', {
      dsl: 'pullpush/flow/v1',
      id: 'shop-to-crm',
      source: { connector: 'testkit-shop', connection: 'shop', streams: ['customers'] },
      destination: { kind: 'connector', connector: 'crm', connection: 'crm' },
    });
    const args = [
      'flow', 'run', flow,
      '-d', writeJson(dir, 'shop.json', shopConnectorDefinition({ baseUrl: source.url })),
      '-d', writeJson(dir, 'crm.json', { ...shopConnectorDefinition({ baseUrl: crm.url, writes: true }), id: 'crm' }),
      '-c', `shop=${writeJson(dir, 'shop.config.json', { apiKey: 'src-token' })}`,
      '-c', `crm=${writeJson(dir, 'crm.config.json', { apiKey: 'crm-secret-9d1' })}`,
      '--db', join(dir, 'flow.db'),
      '--concurrency', '1',
      ...LOCAL,
    ];
    const previewed = await pullpush(['flow', 'preview', ...args.slice(2).filter((arg) => !['--concurrency', '1'].includes(arg))], { cwd: dir });
    expect(previewed.code, previewed.stderr).toBe(0);
    expect(previewed.stdout).toContain('12 to create, 0 to update, 0 to delete, 0 unchanged, 0 skipped; nothing was written.');
    expect(crm.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    const first = await pullpush(args, { cwd: dir });
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toContain('Delivered 10 (10 created');
    expect(first.stdout).toContain('2 to the dead-letter queue');
    const dlq = (command: string, ...extra: string[]) => pullpush(['dlq', command, '--db', join(dir, 'flow.db'), '--flow', 'shop-to-crm', ...extra], { cwd: dir });
    const clusters = await dlq('clusters');
    expect(clusters.stdout).toContain('2 × create 422 ENGINE_WRITE_FAILED');
    expect(clusters.stdout).toContain('write mapping');
    const listed = JSON.parse((await dlq('list', '--json')).stdout) as Array<{ id: number; payload: { email: string } }>;
    expect(listed).toHaveLength(2);
    const shown = await dlq('show', String(listed[0]?.id));
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Answer: 422 ENGINE_WRITE_FAILED');
    expect(shown.stdout).toContain('create  dead  422');
    expect(shown.stdout).toContain(`"email": "${listed[0]?.payload.email}"`);
    expect(await dlq('show', '999')).toMatchObject({ code: 2 });
    expect(await dlq('retry')).toMatchObject({ code: 2 });
    expect((await dlq('retry', '--all')).stdout).toContain('2 put back');

    const second = await pullpush(args, { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Delivered 2 (2 created');
    expect((await dlq('list')).stdout).toContain('is empty');
    for (const letter of listed) expect(crm.data.customers.filter((customer) => customer.email === letter.payload.email)).toHaveLength(1);
    // The destination drifts (a customer deleted there); reconcile creates it again and leaves the rest.
    const gone = crm.data.customers.find((customer) => customer.email === source.data.customers[0]?.email);
    if (!gone) throw new Error('no delivered customer');
    crm.remove('customers', [gone.id]);
    const reconciled = await pullpush(['flow', 'reconcile', ...args.slice(2).filter((arg) => !['--concurrency', '1'].includes(arg))], { cwd: dir });
    expect(reconciled.code, reconciled.stderr).toBe(0);
    expect(reconciled.stdout).toContain('Compared: 1 missing, 0 different, 0 deleted at the source, 11 in line');
    expect(reconciled.stdout).toContain('Delivered 1 (1 created');
    expect(crm.data.customers.filter((customer) => customer.email === gone.email)).toHaveLength(1);
    // A candidate source revision that writes last names in capitals, run in shadow: those customers differ.
    const candidate = shopConnectorDefinition({ baseUrl: source.url });
    (candidate.streams['customers']?.mapping as { fields: Record<string, unknown> }).fields['lastName'] = { expr: '$uppercase(last_name)' };
    const shadowed = await pullpush(['flow', 'shadow', ...args.slice(2, 11), '--candidate', writeJson(dir, 'candidate.json', candidate), ...LOCAL], { cwd: dir });
    expect(shadowed.code, shadowed.stderr).toBe(0);
    // $uppercase fails on a null last name, so the candidate maps those customers to nothing: a finding too.
    const unnamed = source.data.customers.filter((customer) => customer.last_name === null).length;
    expect(shadowed.stdout).toContain('0 of 12 records would be written identically: confidence 0.0 %; nothing was written.');
    expect(shadowed.stdout.split('\n').filter((line) => line.endsWith(': /body/last_name'))).toHaveLength(12 - unnamed);
    expect(shadowed.stdout.split('\n').filter((line) => line.endsWith('only the live revision writes it'))).toHaveLength(unnamed);
    // --promote: that candidate falls short and changes nothing (exit 1); one that writes the same replaces shop.json.
    const shopFile = args[4] as string;
    const liveText = readFileSync(shopFile, 'utf8');
    const short = await pullpush(['flow', 'shadow', ...args.slice(2, 11), '--candidate', join(dir, 'candidate.json'), '--promote', '0.5', ...LOCAL], { cwd: dir });
    expect(short.code).toBe(1);
    expect(short.stdout).toContain('Not promoted: the confidence is below 50.0 %.');
    expect(readFileSync(shopFile, 'utf8')).toBe(liveText);
    const same = writeJson(dir, 'same.json', { ...shopConnectorDefinition({ baseUrl: source.url }), description: 'The shop, described again.' });
    const promoted = await pullpush(['flow', 'shadow', ...args.slice(2, 11), '--candidate', same, '--promote', '1', ...LOCAL], { cwd: dir });
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain(`Promoted: ${same} now replaces ${shopFile}.`);
    expect(JSON.parse(readFileSync(shopFile, 'utf8'))).toMatchObject({ description: 'The shop, described again.' });
    expect(await pullpush(['flow', 'shadow', ...args.slice(2, 11), '--candidate', writeJson(dir, 'other.json', { ...candidate, id: 'other' }), '--promote', '1', ...LOCAL], { cwd: dir })).toMatchObject({ code: 2 });
    expect(`${first.stdout}${first.stderr}${clusters.stdout}${shown.stdout}${second.stdout}`).not.toContain('crm-secret-9d1');

    // Paused: a run is refused before anything is read.
    const mode = (wanted: string) => pullpush(['flow', 'mode', flow, wanted], { cwd: dir });
    expect((await mode('paused')).stdout).toContain('Flow shop-to-crm: live → paused.');
    const sourceRequests = source.requests.length;
    const paused = await pullpush(args, { cwd: dir });
    expect(paused.code).toBe(1);
    expect(paused.stderr).toContain('SYNC_FLOW_PAUSED');
    expect(paused.stderr).toContain('pullpush flow mode <flow> live');
    expect(source.requests.length).toBe(sourceRequests);
    // Shadow: a rename at the source is reported as an update, and nothing is written.
    const renamed = source.data.customers[1];
    if (!renamed) throw new Error('no customer');
    source.update('customers', renamed.id, { first_name: 'Grace' });
    expect((await mode('shadow')).stdout).toContain('paused → shadow');
    const writesBefore = crm.requests.filter((request) => request.method !== 'GET' && !request.path.startsWith('/search')).length;
    const shadowRun = await pullpush(args, { cwd: dir });
    expect(shadowRun.code, shadowRun.stderr).toBe(0);
    expect(shadowRun.stdout).toContain('Shadow run of flow shop-to-crm:');
    expect(shadowRun.stdout).toContain('0 to create, 1 to update, 0 to delete, 11 unchanged');
    expect(shadowRun.stdout).toContain(': /firstName');
    expect(crm.requests.filter((request) => request.method !== 'GET' && !request.path.startsWith('/search')).length).toBe(writesBefore);
    // Live again: the rename is delivered; the status lists every run with its kind.
    expect((await mode('live')).stdout).toContain('shadow → live');
    const live = await pullpush(args, { cwd: dir });
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toContain('Delivered 1 (0 created, 1 updated');
    const status = JSON.parse((await pullpush(['flow', 'status', flow, '--db', join(dir, 'flow.db'), '--json'], { cwd: dir })).stdout) as {
      mode: string;
      outbox: { pending: number; inDoubt: number };
      deadLetters: { open: number };
      breaker: { state: string };
      remoteIds: number;
      runs: Array<{ kind: string; status: string; summary: Record<string, unknown> }>;
    };
    expect(status).toMatchObject({ mode: 'live', outbox: { pending: 0, inDoubt: 0 }, deadLetters: { open: 0 }, breaker: { state: 'closed' }, remoteIds: 12 });
    expect(status.runs.map((entry) => `${entry.kind} ${entry.status}`)).toEqual(['run succeeded', 'shadow succeeded', 'reconcile succeeded', 'run succeeded', 'run partial']);
    expect(status.runs[1]?.summary).toMatchObject({ wouldWrite: { update: 1, unchanged: 11 } });
    const text = await pullpush(['flow', 'status', flow, '--db', join(dir, 'flow.db')], { cwd: dir });
    expect(text.stdout).toContain('Flow shop-to-crm: live, to connector.');
    expect(text.stdout).toContain('Circuit breaker: closed');
  });

  it('refuses shadow mode for a flow that does not go to a connector, and an unknown mode', async () => {
    const dir = tempDir();
    const flow = writeJson(dir, 'flow.json', {
      dsl: 'pullpush/flow/v1',
      id: 'shop-to-file',
      source: { connector: 'testkit-shop', connection: 'shop', streams: ['customers'] },
      destination: { kind: 'sqlite', path: 'shop.db' },
    });
    const shadow = await pullpush(['flow', 'mode', flow, 'shadow'], { cwd: dir });
    expect(shadow.code).toBe(1);
    expect(shadow.stderr).toContain('DSL_FLOW_SHADOW_DESTINATION');
    expect(shadow.stderr).toContain('/mode');
    expect(await pullpush(['flow', 'mode', flow, 'dry'], { cwd: dir })).toMatchObject({ code: 2 });
    expect(JSON.parse(readFileSync(flow, 'utf8'))).not.toHaveProperty('mode');
    expect((await pullpush(['flow', 'mode', flow, 'paused'], { cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(flow, 'utf8'))).toMatchObject({ id: 'shop-to-file', mode: 'paused' });
  });
});
