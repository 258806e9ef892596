// `pullpush write`, spawned as a user runs it: customers read from one testkit shop with `pullpush read` are written
// to another through its definition's writes, the event ids making a second run harmless; an update finds each
// record by the definition's lookup, and a bad line fails alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { local, pullpush, shopDefinition, useTempDirs, useTestApis, writeJson } from './support.ts';

const serve = useTestApis();
const tempDir = useTempDirs();

describe('pullpush write', () => {
  it('copies canonical records from one API to another, idempotently; updates found by lookup; a bad line fails alone (exit 3)', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const source = await serve({ seed: 41, auth: { kind: 'bearer', token: 'src-token' } });
    const destination = await serve({ seed: 7, auth: { kind: 'bearer', token: 'dst-token-5e1b' } });
    const sourceFile = writeJson(dir, 'source.json', shopDefinition());
    const destinationFile = writeJson(dir, 'destination.json', shopConnectorDefinition({ baseUrl: 'https://crm.example.test', writes: true }));
    const destinationArgs = ['-c', writeJson(dir, 'destination.config.json', { apiKey: 'dst-token-5e1b' }), ...local(destination)];

    const read = await pullpush(['read', sourceFile, 'customers', '--limit', '3', '-c', writeJson(dir, 'source.config.json', { apiKey: 'src-token' }), ...local(source)], { cwd: dir });
    expect(read.code, read.stderr).toBe(0);
    const eventsFile = join(dir, 'customers.jsonl');
    writeFileSync(eventsFile, read.stdout);
    const events = read.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; data: { email: string; firstName: string | null } });
    expect(events).toHaveLength(3);

    const write = (args: string[]) => pullpush(['write', destinationFile, 'commerce.customer@1', ...args, ...destinationArgs], { cwd: dir });
    const created = await write(['create', '--records', eventsFile]);
    expect(created.code, created.stderr).toBe(0);
    const results = created.stdout.trim().split('\n').map((line) => JSON.parse(line) as { status: number; remoteId: string; replayed: boolean });
    expect(results.map((result) => [result.status, result.replayed])).toEqual([[201, false], [201, false], [201, false]]);
    for (const [index, event] of events.entries()) expect(destination.data.customers.find((customer) => String(customer.id) === results[index]?.remoteId)?.email).toBe(event.data.email);
    // The same events again: each id is the idempotency key, so nothing is created twice.
    const again = await write(['create', '--records', eventsFile]);
    expect(again.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { replayed: boolean }).replayed)).toEqual([true, true, true]);
    expect(destination.data.customers.filter((customer) => events.some((event) => event.data.email === customer.email))).toHaveLength(3);

    const changed = join(dir, 'changed.jsonl');
    const renamed = events.map((event) => JSON.stringify({ ...event.data, firstName: `Renamed ${event.data.email}` }));
    writeFileSync(changed, [renamed[0], 'not json', renamed[1]].join('\n'));
    const updated = await write(['update', '--find', '--records', changed]);
    expect(updated.code).toBe(3);
    expect(JSON.parse(updated.stderr.trim())).toMatchObject({ type: 'failure', line: 2, code: 'CLI_INVALID_JSON' });
    expect(updated.stdout.trim().split('\n')).toHaveLength(2);
    for (const event of events.slice(0, 2)) expect(destination.data.customers.find((customer) => customer.email === event.data.email)?.first_name).toBe(`Renamed ${event.data.email}`);
    expect(`${created.stdout}${updated.stdout}${updated.stderr}`).not.toContain('dst-token-5e1b');
    expect(readFileSync(eventsFile, 'utf8')).toBe(read.stdout);
  });
});
