// A flow from one testkit shop's customers to another's writes, through the flow's outbox — in its SQLite file and
// in a PostgreSQL schema, the same tests on both: every record
// delivered once at its latest version, in order per key, through 5xx bursts, 429s, and answers lost after the
// write was applied; dead letters clustered by cause and retried; a circuit breaker that opens during an outage,
// keeps its state across runs, and closes after it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileConnector } from '@pullpush/engine';
import type { Flow } from '@pullpush/schema';
import { shopConnectorDefinition, startTestApi, type Fault, type TestApi } from '@pullpush/testkit';
import { afterAll, afterEach, beforeEach, describe, expect, it as itAlways } from 'vitest';
import { deliver, flowStatus, flowStoreExists, openFlowOutbox, previewFlow, reconcileFlow, runFlow, shadowFlow, type FlowRunOptions } from '../src/index.ts';
import { dropSchemas, freshSchema, POSTGRES_URL, schemaUrl } from './postgres.ts';

const LOCAL = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;
const SOURCE_TOKEN = 'src-token';
const DESTINATION_TOKEN = 'crm-t0ken-77aa';
const FAST = { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3, jitter: false };
const QUICK = { backoff: { initialMs: 10, maxMs: 40 }, maxWaitMs: 10_000 };

let dir: string;
let source: TestApi;
let target: TestApi;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-delivery-'));
  source = await startTestApi({ seed: 41, dataset: { customers: 24 }, auth: { kind: 'bearer', token: SOURCE_TOKEN } });
  target = await startTestApi({ seed: 7, dataset: { customers: 5 }, auth: { kind: 'bearer', token: DESTINATION_TOKEN } });
});
afterEach(async () => {
  await Promise.all([source.close(), target.close()]);
  rmSync(dir, { recursive: true, force: true });
});
afterAll(dropSchemas);

/** The flow's store of the current test: a SQLite file in its temp dir, or a PostgreSQL schema of its own. */
let db: () => string;
const STORES: Array<[string, () => string, boolean]> = [
  ['SQLite', () => join(dir, 'flow.db'), true],
  ['PostgreSQL', () => schemaUrl(freshSchema()), POSTGRES_URL !== undefined],
];

const FLOW: Flow = {
  dsl: 'pullpush/flow/v1',
  id: 'shop-to-crm',
  source: { connector: 'testkit-shop', connection: 'shop', streams: ['customers'] },
  destination: { kind: 'connector', connector: 'crm', connection: 'crm' },
};

/** The destination: testkit's shop writes under another id, its retries quick. */
function crmDefinition(): Record<string, unknown> {
  return { ...shopConnectorDefinition({ writes: true }), id: 'crm', retry: FAST };
}

async function run(extra: Partial<FlowRunOptions> = {}) {
  const summary = await runFlow(FLOW, {
    definition: shopConnectorDefinition({ baseUrl: source.url }),
    config: { apiKey: SOURCE_TOKEN },
    engine: LOCAL,
    target: { definition: crmDefinition(), config: { apiKey: DESTINATION_TOKEN }, engine: { ...LOCAL, baseUrl: target.url } },
    db: db(),
    delivery: QUICK,
    ...extra,
  });
  if (summary.mode !== 'live') throw new Error(`expected a live run, got ${summary.mode}`);
  return summary;
}

/** The source's live customers' emails, and how many destination customers carry each. */
function copies(): Map<string, number> {
  const counts = new Map(source.data.customers.map((customer) => [customer.email, 0]));
  for (const customer of target.data.customers) if (counts.has(customer.email)) counts.set(customer.email, (counts.get(customer.email) ?? 0) + 1);
  return counts;
}

const posts = () => target.requests.filter((request) => request.method === 'POST' && request.path === '/customers');

describe.each(STORES)('delivery to a connector destination (outbox in %s)', (store, location, available) => {
  const it = available ? itAlways : itAlways.skip;
  beforeEach(() => {
    const at = location();
    db = () => at;
  });
  it('delivers every record once at its latest version through 5xx bursts, 429s and lost answers; then changes and deletions', { timeout: 120_000 }, async () => {
    const faults: Fault[] = [
      { kind: 'status', status: 503, method: 'POST', route: '/customers', times: 4 },
      { kind: 'status', status: 429, retryAfter: 0, method: 'POST', route: '/customers', after: 2, times: 2 },
      { kind: 'reset', phase: 'response', method: 'POST', route: '/customers', after: 5, every: 4, times: 3 },
    ];
    target.setFaults(faults);
    const first = await run();
    expect(first.status).toBe('succeeded');
    expect(first.delivery).toMatchObject({ delivered: 24, deadLettered: 0, pending: 0, breaker: 'closed' });
    // A create whose answer was lost is found by the lookup on its next attempt, and updated rather than created again.
    expect((first.delivery?.created ?? 0) + (first.delivery?.updated ?? 0)).toBe(24);
    expect([...copies().values()].every((count) => count === 1)).toBe(true);
    expect(posts().some((request) => request.fault === 'reset' && request.status === 201)).toBe(true);

    // Changes at the source: two customers renamed, one deleted; the rerun delivers only those, as updates and a delete.
    target.setFaults([]);
    const [renamed, alsoRenamed, removed] = source.data.customers;
    if (!renamed || !alsoRenamed || !removed) throw new Error('too few customers');
    source.update('customers', renamed.id, { first_name: 'Ada' });
    source.update('customers', alsoRenamed.id, { first_name: 'Grace' });
    source.remove('customers', [removed.id]);
    const before = target.requests.length;
    const second = await run();
    expect(second.delivery).toMatchObject({ delivered: 3, updated: 2, deleted: 1, created: 0, pending: 0 });
    const writes = target.requests.slice(before).filter((request) => request.method !== 'GET' && !request.path.startsWith('/search') && !request.path.startsWith('/cursor'));
    expect(writes.map((request) => request.method).sort()).toEqual(['DELETE', 'PATCH', 'PATCH']);
    expect(target.data.customers.find((customer) => customer.email === renamed.email)?.first_name).toBe('Ada');
    expect(target.data.customers.some((customer) => customer.email === removed.email)).toBe(false);
    expect([...copies().values()].every((count) => count === 1)).toBe(true);
  });

  it('delivers only the newest version of a key that changed while its delivery waited (older ones coalesced)', { timeout: 60_000 }, async () => {
    const [customer] = source.data.customers;
    if (!customer) throw new Error('no customer');
    // Every delivery is refused (503) and retried a minute later, so the records wait while the key changes twice,
    // each change read by a run of its own.
    target.setFaults([{ kind: 'status', status: 503, method: 'POST', route: '/customers' }]);
    const waiting = { delivery: { maxAttempts: 50, backoff: { initialMs: 60_000, maxMs: 60_000 }, breaker: { failures: 1000, halfOpenAfterMs: 1 } } };
    await run(waiting);
    source.update('customers', customer.id, { first_name: 'Second' });
    await run(waiting);
    source.update('customers', customer.id, { first_name: 'Third' });
    await run(waiting);
    target.setFaults([]);
    const outbox = openFlowOutbox(db(), FLOW.id);
    expect((await outbox.counts()).pending).toBe(26);
    await outbox.close();
    const destination = await compileConnector(crmDefinition(), { apiKey: DESTINATION_TOKEN }, { ...LOCAL, baseUrl: target.url, connection: 'crm' });
    try {
      // Due now: the retries above were scheduled a minute out, so the test moves the clock.
      const report = await deliver({ db: db(), flow: FLOW.id, destination, now: () => new Date(Date.now() + 120_000), concurrency: 8 });
      expect(report).toMatchObject({ delivered: 24, pending: 0 });
      expect(report.coalesced).toBe(2);
    } finally {
      await destination.close();
    }
    expect(target.data.customers.filter((entry) => entry.email === customer.email).map((entry) => entry.first_name)).toEqual(['Third']);
  });

  it('clusters dead letters by cause — a refused body apart from refused credentials — and a retry of all delivers them', { timeout: 60_000 }, async () => {
    target.setFaults([
      { kind: 'status', status: 422, method: 'POST', route: '/customers', times: 3, body: { error: { code: 'invalid', message: 'email is required' } } },
      { kind: 'status', status: 401, method: 'POST', route: '/customers', times: 2, body: { error: { code: 'unauthorized', message: 'API key expired' } } },
    ]);
    const first = await run({ delivery: { ...QUICK, concurrency: 1 } });
    expect(first.delivery).toMatchObject({ deadLettered: 5, delivered: 19, pending: 0 });
    const outbox = openFlowOutbox(db(), FLOW.id);
    try {
      const clusters = await outbox.clusters();
      expect(clusters.map((cluster) => [cluster.count, cluster.status])).toEqual([[3, 422], [2, 401]]);
      expect(clusters[0]?.hint).toContain('write mapping');
      expect(clusters[1]?.hint).toContain('expired');
      const [letter] = await outbox.deadLetters();
      expect(letter?.attempts.at(-1)).toMatchObject({ outcome: 'dead', status: 422, code: 'ENGINE_WRITE_FAILED' });
      expect(JSON.stringify(await outbox.deadLetters())).not.toContain(DESTINATION_TOKEN);
      expect(await outbox.retryDeadLetters(await outbox.deadLetters())).toBe(5);
    } finally {
      await outbox.close();
    }
    target.setFaults([]);
    const second = await run();
    expect(second.delivery).toMatchObject({ delivered: 5, deadLettered: 0, pending: 0 });
    expect([...copies().values()].every((count) => count === 1)).toBe(true);

    // A refused update is filed as an update.
    const [renamed] = source.data.customers;
    if (!renamed) throw new Error('no customer');
    source.update('customers', renamed.id, { first_name: 'Refused' });
    target.setFaults([{ kind: 'status', status: 422, method: 'PATCH', times: 1 }]);
    expect((await run()).delivery).toMatchObject({ deadLettered: 1, delivered: 0 });
    const again = openFlowOutbox(db(), FLOW.id);
    try {
      expect((await again.deadLetters()).map((letter) => [letter.operation, letter.status])).toEqual([['update', 422]]);
    } finally {
      await again.close();
    }
  });

  it('opens the circuit breaker during an outage, keeps it open across runs, and closes it after the outage', { timeout: 60_000 }, async () => {
    // Before any run there is nothing, and asking for the status does not make a file.
    expect(await flowStatus(FLOW, { db: db() })).toMatchObject({ outbox: { pending: 0 }, breaker: { state: 'closed', since: null }, runs: [] });
    if (store === 'SQLite') expect(existsSync(db())).toBe(false);
    expect(await flowStoreExists(db(), FLOW.id)).toBe(false);
    target.setFaults([{ kind: 'status', status: 503, method: 'POST', route: '/customers' }]);
    const breaker = { failures: 3, halfOpenAfterMs: 300 };
    const during = await run({ delivery: { backoff: { initialMs: 5, maxMs: 10 }, maxAttempts: 100, breaker, maxWaitMs: 0 } });
    expect(during.delivery).toMatchObject({ breaker: 'open', deadLettered: 0, delivered: 0, pending: 24 });
    const attempted = posts().length;
    expect(attempted).toBeGreaterThanOrEqual(3);
    // A second run at once: the stored breaker is open, so nothing is sent.
    const still = await run({ delivery: { backoff: { initialMs: 5, maxMs: 10 }, maxAttempts: 100, breaker, maxWaitMs: 0 } });
    expect(still.delivery).toMatchObject({ breaker: 'open', pending: 24 });
    expect(posts().length).toBe(attempted);
    // The flow's status says so from its file alone, and lists both runs as partial.
    const status = await flowStatus(FLOW, { db: db() });
    expect(status).toMatchObject({ mode: 'live', breaker: { state: 'open' }, outbox: { pending: 24, delivered: 0 }, remoteIds: 0 });
    expect(status.breaker.since).toMatch(/^\d{4}-/);
    expect(status.runs.map((entry) => `${entry.kind} ${entry.status}`)).toEqual(['run partial', 'run partial']);
    expect(status.runs[0]?.summary).toMatchObject({ sync: 'succeeded', delivered: 0, pending: 24, breaker: 'open' });
    // The outage ends; the breaker's probe succeeds and everything goes.
    target.setFaults([]);
    const after = await run({ delivery: { backoff: { initialMs: 5, maxMs: 10 }, maxAttempts: 100, breaker, maxWaitMs: 10_000 } });
    expect(after.delivery).toMatchObject({ breaker: 'closed', delivered: 24, pending: 0, deadLettered: 0 });
    expect(await flowStoreExists(db(), FLOW.id)).toBe(true);
    expect([...copies().values()].every((count) => count === 1)).toBe(true);
    expect(await flowStatus(FLOW, { db: db() })).toMatchObject({ breaker: { state: 'closed' }, outbox: { pending: 0, delivered: 24, inDoubt: 0, nextDueAt: null }, remoteIds: 24 });
  });

  it('previews what a flow would write — creates, updates with their changed fields, deletes — writing nothing', { timeout: 60_000 }, async () => {
    const preview = () =>
      previewFlow({
        flow: { ...FLOW, match: { 'commerce.customer': ['email'] } },
        source: { definition: shopConnectorDefinition({ baseUrl: source.url }), config: { apiKey: SOURCE_TOKEN }, engine: LOCAL },
        target: { definition: crmDefinition(), config: { apiKey: DESTINATION_TOKEN }, engine: { ...LOCAL, baseUrl: target.url } },
        db: db(),
      });
    const writes = () => target.requests.filter((request) => request.method !== 'GET').length;
    const before = await preview();
    expect(before.counts).toEqual({ create: 24, update: 0, delete: 0, unchanged: 0, skip: 0 });
    expect(writes()).toBe(0);
    expect(target.data.customers).toHaveLength(5);

    await run();
    const [renamed, removed] = source.data.customers;
    if (!renamed || !removed) throw new Error('too few customers');
    const oldName = renamed.first_name;
    source.update('customers', renamed.id, { first_name: 'Ada' });
    source.remove('customers', [removed.id]);
    const written = writes();
    const after = await preview();
    expect(after.counts).toEqual({ create: 0, update: 1, delete: 1, unchanged: 22, skip: 0 });
    expect(after.items.find((item) => item.action === 'update')?.changes).toEqual([{ kind: 'changed', path: '/firstName', before: oldName, after: 'Ada' }]);
    expect(writes()).toBe(written);
    expect(after.requests.destination).toBeGreaterThan(0);
  });

  it('reconciles a destination that drifted: records changed or removed there are written again, the rest left alone', { timeout: 60_000 }, async () => {
    await run();
    const [changed, removed] = source.data.customers;
    if (!changed || !removed) throw new Error('too few customers');
    const copyOf = (email: string) => target.data.customers.find((customer) => customer.email === email);
    target.update('customers', (copyOf(changed.email) as { id: number }).id, { first_name: 'Drifted' });
    target.remove('customers', [(copyOf(removed.email) as { id: number }).id]);
    const before = target.requests.length;
    const report = await reconcileFlow({
      flow: FLOW,
      source: { definition: shopConnectorDefinition({ baseUrl: source.url }), config: { apiKey: SOURCE_TOKEN }, engine: LOCAL },
      target: { definition: crmDefinition(), config: { apiKey: DESTINATION_TOKEN }, engine: { ...LOCAL, baseUrl: target.url } },
      db: db(),
      delivery: QUICK,
    });
    expect(report.comparison.counts).toEqual({ create: 1, update: 1, delete: 0, unchanged: 22, skip: 0 });
    expect(report.delivery).toMatchObject({ delivered: 2, deadLettered: 0, pending: 0 });
    expect(copyOf(changed.email)?.first_name).toBe(changed.first_name);
    expect(copyOf(removed.email)).toBeDefined();
    const writes = target.requests.slice(before).filter((request) => request.method !== 'GET' && !request.path.startsWith('/search'));
    expect(writes.map((request) => request.method).sort()).toEqual(['PATCH', 'POST']);
    expect([...copies().values()].every((count) => count === 1)).toBe(true);
  });

  it('runs a new revision in shadow: its would-be writes are compared with the live ones, the changed field found, nothing written', { timeout: 60_000 }, async () => {
    const live = shopConnectorDefinition({ baseUrl: source.url });
    const candidate = structuredClone(live);
    const mapping = candidate.streams['customers']?.mapping as { fields: Record<string, unknown> };
    mapping.fields['firstName'] = { expr: '$uppercase(first_name)' };
    const shadow = (revision: unknown) =>
      shadowFlow({
        flow: FLOW,
        source: { definition: live, config: { apiKey: SOURCE_TOKEN }, engine: LOCAL },
        target: { definition: crmDefinition(), config: { apiKey: DESTINATION_TOKEN }, engine: { ...LOCAL, baseUrl: target.url } },
        candidate: { source: revision },
      });
    const same = await shadow(structuredClone(live));
    expect(same).toMatchObject({ records: 24, identical: 24, confidence: 1, differences: [] });
    const changed = await shadow(candidate);
    const named = source.data.customers.filter((customer) => customer.first_name !== null && customer.first_name !== customer.first_name.toUpperCase());
    expect(changed.records).toBe(24);
    expect(changed.differences).toHaveLength(named.length);
    expect(changed.confidence).toBeCloseTo((24 - named.length) / 24);
    for (const difference of changed.differences) expect(difference.changes.map((change) => change.path)).toEqual(['/body/first_name']);
    expect(target.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });
});
