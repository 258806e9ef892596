// Incremental reads (a cursor kept in state, sent back or applied by the engine, with lookback and a start date)
// and partitions (list, config and parent, narrowed by the read, with state kept per partition), against testkit's
// `updated_since` filter and nested collections.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileConnector, type Connector, type StreamState } from '../src/index.ts';
import { collect, collectUntilError, definition, finalState, local, ofType, raws, readError, remoteIds, sortedStrings, startTestApi, type TestApi } from './support.ts';

type Json = Record<string, unknown>;

let api: TestApi;
const open: Connector[] = [];

beforeEach(async () => {
  api = await startTestApi({ seed: 3, dataset: { customers: 30, projects: 3, tickets: 30 } });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((connector) => connector.close()));
  await api.close();
});

async function connect(streams: Json, config: Json = {}, extra: Json = {}): Promise<Connector> {
  const connector = await compileConnector(definition(streams, extra), config, local(api));
  open.push(connector);
  return connector;
}

/** A timestamp as testkit writes it (whole seconds, Z): the form the engine stores and sends back. */
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const maxTime = (records: ReadonlyArray<{ updated_at: string }>) => iso(Math.max(...records.map((record) => Date.parse(record.updated_at))));
const changedSince = <T extends { updated_at: string; id: unknown }>(records: readonly T[], cursor: string) =>
  sortedStrings(records.filter((record) => Date.parse(record.updated_at) >= Date.parse(cursor)).map((record) => record.id));

const cursorPaging = (size: number) => ({
  kind: 'cursor',
  cursor: { from: 'body', path: 'next_cursor' },
  param: { in: 'query', name: 'cursor' },
  pageSize: { param: { in: 'query', name: 'limit' }, value: size },
});

function customers(incremental: Json): Json {
  return { customers: { request: { path: '/cursor/customers' }, records: { path: 'data' }, primaryKey: ['id'], pagination: cursorPaging(8), incremental } };
}

const SINCE = { cursorField: 'updated_at', format: 'iso8601', param: { in: 'query', name: 'updated_since' } };

describe('incremental reads', () => {
  it('hands out the records before one whose cursor value it cannot read, then fails without a checkpoint for that page', async () => {
    const connector = await connect(customers(SINCE));
    const bad = api.data.customers[10] as { id: unknown; updated_at: string };
    // testkit serves by (updated_at, id): the unreadable value sorts last, on the fourth page of eight after 24 others.
    bad.updated_at = 'last Tuesday';
    const { messages, error } = await collectUntilError(connector.read('customers'));
    expect(error).toMatchObject({ code: 'ENGINE_CURSOR', message: expect.stringContaining('last Tuesday') });
    const types = messages.map((message) => message.type);
    const lastPage = types.lastIndexOf('page');
    expect(types.slice(0, lastPage)).toEqual(Array.from({ length: 3 }, () => ['page', ...Array(8).fill('raw'), 'state']).flat());
    expect(types.slice(lastPage + 1)).toEqual(Array(5).fill('raw'));
    expect(remoteIds(messages)).toHaveLength(29);
    expect(remoteIds(messages)).not.toContain(String(bad.id));
  });

  it('stores the greatest cursor after a full read, then asks only for what changed since', async () => {
    const connector = await connect(customers(SINCE));
    const first = await collect(connector.read('customers'));
    expect(remoteIds(first)).toHaveLength(30);
    expect(api.requests.every((request) => request.query['updated_since'] === undefined)).toBe(true);

    const cursor = maxTime(api.data.customers);
    const state = finalState(first);
    expect(state).toEqual({ partitions: { '': { cursor } } });
    // Checkpoints before the end do not move the cursor: an interrupted read is read again.
    const states = ofType(first, 'state');
    expect(states.slice(0, -1).every((message) => message.state.partitions['']?.cursor === undefined)).toBe(true);

    const touched = api.data.customers.filter((customer) => new Date(customer.updated_at).toISOString() !== cursor).slice(0, 3).map((customer) => customer.id);
    const stamp = api.touch('customers', touched);
    api.resetRequests();

    const second = await collect(connector.read('customers', { state }));
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.query['updated_since']).toBe(cursor);
    const ids = remoteIds(second);
    // The touched records, plus those at the stored instant itself (the bound is inclusive: ties are never lost).
    const boundary = api.data.customers.filter((customer) => !touched.includes(customer.id) && Date.parse(customer.updated_at) === Date.parse(cursor));
    expect(ids.sort()).toEqual(sortedStrings([...touched, ...boundary.map((customer) => customer.id)]));
    expect(ids.sort()).toEqual(changedSince(api.data.customers, cursor));
    expect(finalState(second)).toEqual({ partitions: { '': { cursor: iso(Date.parse(stamp)) } } });

    // Nothing changed: only the records at the new cursor come again, in one request.
    api.resetRequests();
    const third = await collect(connector.read('customers', { state: finalState(second) }));
    expect(api.requests.map((request) => request.query['updated_since'])).toEqual([iso(Date.parse(stamp))]);
    expect(remoteIds(third).sort()).toEqual(sortedStrings(touched));
  });

  it('without a request parameter, the engine filters by the cursor field itself', async () => {
    const connector = await connect(customers({ cursorField: 'updated_at', format: 'iso8601' }));
    const state = finalState(await collect(connector.read('customers')));
    const cursor = state.partitions['']?.cursor as string;
    const touched = [api.data.customers[4]?.id, api.data.customers[9]?.id] as number[];
    api.touch('customers', touched);
    api.resetRequests();

    const second = await collect(connector.read('customers', { state }));
    // Every page is read (the API cannot filter), but only changed records come out.
    expect(api.requests).toHaveLength(4);
    expect(api.requests.every((request) => request.query['updated_since'] === undefined)).toBe(true);
    expect(remoteIds(second).sort()).toEqual(changedSince(api.data.customers, cursor));
    expect(remoteIds(second)).toEqual(expect.arrayContaining(touched.map(String)));
    expect(ofType(second, 'page').reduce((sum, page) => sum + page.records, 0)).toBe(30);
  });

  it('lookbackSeconds re-reads a window before the stored cursor, without moving the cursor back', async () => {
    const connector = await connect(customers({ ...SINCE, lookbackSeconds: 7 * 86_400 }));
    const state = finalState(await collect(connector.read('customers')));
    const cursor = state.partitions['']?.cursor as string;
    api.resetRequests();

    const second = await collect(connector.read('customers', { state }));
    const since = iso(Date.parse(cursor) - 7 * 86_400_000);
    expect(api.requests.map((request) => request.query['updated_since'])).toEqual(Array(api.requests.length).fill(since));
    const expected = changedSince(api.data.customers, since);
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(30);
    expect(remoteIds(second).sort()).toEqual(expected);
    expect(finalState(second)).toEqual(state);
  });

  it('starts a first read at the configured startDate', async () => {
    const times = api.data.customers.map((customer) => customer.updated_at).sort();
    const startDate = times[Math.floor(times.length / 2)] as string;
    const connector = await connect(customers({ ...SINCE, startDate: '{{ $config.startDate }}' }), { startDate }, {
      config: { type: 'object', properties: { startDate: { type: 'string', format: 'date-time' } } },
    });
    const messages = await collect(connector.read('customers'));
    expect(api.requests.map((request) => request.query['updated_since'])).toEqual(Array(api.requests.length).fill(startDate));
    const expected = changedSince(api.data.customers, startDate);
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(30);
    expect(remoteIds(messages).sort()).toEqual(expected);

    // A stored cursor wins over the start date.
    api.resetRequests();
    const state = finalState(messages);
    await collect(connector.read('customers', { state }));
    expect(api.requests[0]?.query['updated_since']).toBe(state.partitions['']?.cursor);
  });

  it('without a startDate value in the config, a first read reads everything', async () => {
    const connector = await connect(customers({ ...SINCE, startDate: '{{ $config.startDate }}' }), {}, {
      config: { type: 'object', properties: { startDate: { type: 'string' } } },
    });
    expect(remoteIds(await collect(connector.read('customers')))).toHaveLength(30);
    expect(api.requests.every((request) => request.query['updated_since'] === undefined)).toBe(true);
  });
});

describe('partitions', () => {
  const projectIds = () => api.data.projects.map((project) => project.id);
  const ticketsOf = (projectId: number) => api.data.tickets.filter((ticket) => ticket.project_id === projectId);
  const ticketStream = (partitions: Json, extra: Json = {}) => ({
    request: { path: '/cursor/projects/{{ $partition }}/tickets' },
    records: { path: 'data' },
    primaryKey: ['id'],
    pagination: cursorPaging(4),
    partitions,
    ...extra,
  });
  const projects = { request: { path: '/cursor/projects' }, records: { path: 'data' }, primaryKey: ['id'], pagination: cursorPaging(2) };

  function expectEveryTicketOnceUnderItsProject(messages: Awaited<ReturnType<typeof collect>>, only?: number[]): void {
    const wanted = only ?? projectIds();
    const expected = api.data.tickets.filter((ticket) => wanted.includes(ticket.project_id));
    const got = ofType(messages, 'raw');
    expect(sortedStrings(got.map((message) => (message.record as Json)['id']))).toEqual(sortedStrings(expected.map((ticket) => ticket.id)));
    for (const message of got) expect(message.partition).toBe(String((message.record as Json)['project_id']));
    expect(ofType(messages, 'end').map((end) => end.partition)).toEqual(wanted.map(String));
    for (const id of wanted) expect(api.count({ path: `/cursor/projects/${id}/tickets` })).toBe(Math.max(1, Math.ceil(ticketsOf(id).length / 4)));
  }

  it('list: one walk per listed value', async () => {
    expect(projectIds()).toHaveLength(3);
    const connector = await connect({ tickets: ticketStream({ kind: 'list', values: projectIds() }) });
    expectEveryTicketOnceUnderItsProject(await collect(connector.read('tickets')));
  });

  it('config: one walk per value of a config array', async () => {
    const connector = await connect({ tickets: ticketStream({ kind: 'config', key: 'projects' }) }, { projects: projectIds() }, {
      config: { type: 'object', properties: { projects: { type: 'array', items: { type: 'integer' } } } },
    });
    expectEveryTicketOnceUnderItsProject(await collect(connector.read('tickets')));
  });

  it('parent: one walk per record of the parent stream, with $parent bound', async () => {
    const connector = await connect({
      projects,
      tickets: ticketStream({ kind: 'parent', stream: 'projects', value: 'id' }, { request: { path: '/cursor/projects/{{ $partition }}/tickets', query: { project_key: '{{ $parent.key }}' } } }),
    });
    const messages = await collect(connector.read('tickets'));
    expectEveryTicketOnceUnderItsProject(messages);
    // The parent stream was read once, page by page.
    expect(api.count({ path: '/cursor/projects' })).toBe(2);
    for (const project of api.data.projects) {
      const sent = api.requests.filter((request) => request.path === `/cursor/projects/${project.id}/tickets`);
      expect(sent.every((request) => request.query['project_key'] === project.key)).toBe(true);
    }
  });

  it.each(['list', 'parent'] as const)('%s: the partitions read option narrows the walks', async (kind) => {
    const partitions = kind === 'list' ? { kind: 'list', values: projectIds() } : { kind: 'parent', stream: 'projects', value: 'id' };
    const connector = await connect({ projects, tickets: ticketStream(partitions) });
    const chosen = projectIds()[1] as number;
    const messages = await collect(connector.read('tickets', { partitions: [chosen] }));
    expectEveryTicketOnceUnderItsProject(messages, [chosen]);
    const ticketRequests = api.requests.filter((request) => request.path.endsWith('/tickets'));
    expect(ticketRequests.every((request) => request.path === `/cursor/projects/${chosen}/tickets`)).toBe(true);
  });

  it('limits.maxPartitions reads the first partitions, and says it stopped there', async () => {
    const connector = await connect({ projects, tickets: ticketStream({ kind: 'parent', stream: 'projects', value: 'id' }) });
    const messages = await collect(connector.read('tickets', { limits: { maxPartitions: 2 } }));
    expect(ofType(messages, 'end').map((end) => end.partition)).toEqual(projectIds().slice(0, 2).map(String));
    expect(ofType(messages, 'partitions-limited')).toEqual([{ type: 'partitions-limited', stream: 'tickets', partitions: 2 }]);
    expect(new Set(api.requests.filter((request) => request.path.endsWith('/tickets')).map((request) => request.path)).size).toBe(2);
  });

  it('without a limit, more than 10,000 partitions is an error (ENGINE_PARTITION_LIMIT), before any request', async () => {
    const values = Array.from({ length: 10_001 }, (_, index) => index);
    const connector = await connect({ tickets: ticketStream({ kind: 'list', values }) });
    const error = await readError(connector.read('tickets'));
    expect(error.code).toBe('ENGINE_PARTITION_LIMIT');
    expect(api.count()).toBe(0);
  });

  it('keeps the incremental cursor per partition', async () => {
    const connector = await connect({ projects, tickets: ticketStream({ kind: 'parent', stream: 'projects', value: 'id' }, { incremental: SINCE }) });
    const first = await collect(connector.read('tickets'));
    const state = finalState(first);
    const [a, b, c] = projectIds() as [number, number, number];
    expect(state).toEqual({
      partitions: Object.fromEntries([a, b, c].map((id) => [String(id), { cursor: maxTime(ticketsOf(id)) }])),
    });

    // One ticket of project b changes: only b's cursor moves, and each partition asks from its own cursor.
    const changed = ticketsOf(b).find((ticket) => iso(Date.parse(ticket.updated_at)) !== state.partitions[String(b)]?.cursor)?.id as number;
    const stamp = api.touch('tickets', changed);
    api.resetRequests();
    const second = await collect(connector.read('tickets', { state }));
    for (const id of [a, b, c]) {
      const sent = api.requests.filter((request) => request.path === `/cursor/projects/${id}/tickets`);
      expect(sent.map((request) => request.query['updated_since'])).toEqual([state.partitions[String(id)]?.cursor]);
    }
    const yielded = raws(second);
    expect(yielded.map((ticket) => ticket['id'])).toContain(changed);
    for (const id of [a, b, c]) {
      const inPartition = ofType(second, 'raw').filter((message) => message.partition === String(id)).map((message) => (message.record as Json)['id']);
      expect(sortedStrings(inPartition)).toEqual(changedSince(ticketsOf(id), state.partitions[String(id)]?.cursor as string));
    }
    const next = finalState(second);
    expect(next.partitions[String(b)]).toEqual({ cursor: iso(Date.parse(stamp)) });
    expect(next.partitions[String(a)]).toEqual(state.partitions[String(a)]);
    expect(next.partitions[String(c)]).toEqual(state.partitions[String(c)]);

    // Narrowed to one partition, the others' cursors stay in the state untouched.
    api.resetRequests();
    const narrowed = finalState(await collect(connector.read('tickets', { state: next, partitions: [a] })));
    expect(narrowed).toEqual(next);
    expect(api.requests.filter((request) => request.path.endsWith('/tickets')).map((request) => request.path)).toEqual([`/cursor/projects/${a}/tickets`]);
  });

  it('the state given to a read is never mutated', async () => {
    const connector = await connect({ tickets: ticketStream({ kind: 'list', values: projectIds() }, { incremental: SINCE }) });
    const given: StreamState = { partitions: { [String(projectIds()[0])]: { cursor: '2026-01-01T00:00:00.000Z' } } };
    const copy = structuredClone(given);
    await collect(connector.read('tickets', { state: given }));
    expect(given).toEqual(copy);
  });
});
