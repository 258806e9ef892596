// The write side: canonical customers read from one testkit shop and written to another through the destination
// definition's writes — create, update, upsert, delete, lookup, the idempotency key — and what a destination does
// wrong: refusals, 5xx, 429, an answer lost after the write was applied, echoed secrets, foreign hosts, read-only runs.
import type { CanonicalEvent } from '@pullpush/canonical';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { compileConnector, type Connector, type ConnectorOptions } from '../src/index.ts';
import { events, collect, FAST_RETRY, local, rejection, useTestApis, type Fault, type TestApi } from './support.ts';

type Json = Record<string, unknown>;

const { serve, keep } = useTestApis();
const TOKEN = 'dest-t0ken-9f3a7c';

const TYPE = 'commerce.customer@1';

/** The destination: testkit's shop with its customer writes (and lookup by email); `change` edits those writes. */
function destination(change: (writes: Json) => void = () => undefined): Json {
  const definition = shopConnectorDefinition({ writes: true }) as unknown as Json;
  definition['retry'] = FAST_RETRY;
  change((definition['writes'] as Json)[TYPE] as Json);
  return definition;
}

/** Canonical customers read from a source shop (another seed than the destination's, so emails do not collide). */
async function sourceCustomers(count: number): Promise<Array<CanonicalEvent<Json>>> {
  const source = await serve({ seed: 41, auth: { kind: 'bearer', token: 'src' } });
  const reader = keep(await compileConnector(shopConnectorDefinition(), { apiKey: 'src' }, local(source)));
  return events(await collect(reader.read('customers', { limits: { maxRecords: count } }))).slice(0, count);
}

async function destinationApi(faults: Fault[] = []): Promise<TestApi> {
  return serve({ seed: 7, auth: { kind: 'bearer', token: TOKEN }, faults });
}

async function connect(api: TestApi, definition: Json = destination(), options: ConnectorOptions = {}): Promise<Connector> {
  return keep(await compileConnector(definition, { apiKey: TOKEN }, local(api, options)));
}

const customerOf = (api: TestApi, id: string) => api.data.customers.find((customer) => String(customer.id) === id);
const writesTo = (api: TestApi, method: string) => api.requests.filter((request) => request.method === method && request.path.startsWith('/customers'));

describe('writes: the connector as a destination', () => {
  it('creates, finds, updates, upserts and deletes canonical records read from another API', async () => {
    const [first, second] = await sourceCustomers(2);
    if (!first || !second) throw new Error('the source has too few customers');
    const api = await destinationApi();
    const connector = await connect(api);
    expect(connector.writes).toEqual({ [TYPE]: ['create', 'update', 'upsert', 'delete'], 'commerce.order@1': ['create', 'update', 'delete'], 'commerce.stocklevel@1': ['update', 'upsert', 'delete'] });

    const created = await connector.write(TYPE, 'create', first.data, { idempotencyKey: first.id });
    expect(created).toMatchObject({ type: TYPE, operation: 'create', status: 201, replayed: false, key: first.subject });
    const remoteId = created.remoteId as string;
    expect(customerOf(api, remoteId)).toMatchObject({ email: first.data['email'], first_name: first.data['firstName'], last_name: first.data['lastName'] });
    expect(writesTo(api, 'POST').at(-1)?.headers).toMatchObject({ 'idempotency-key': first.id, authorization: `Bearer ${TOKEN}` });

    // The same event again: the destination replays its answer, and there is still one customer.
    expect(await connector.write(TYPE, 'create', first.data, { idempotencyKey: first.id })).toMatchObject({ remoteId, replayed: true });
    expect(api.data.customers.filter((customer) => customer.email === first.data['email'])).toHaveLength(1);

    expect(await connector.findRemoteId(TYPE, first.data)).toBe(remoteId);
    expect(await connector.findRemoteId(TYPE, second.data)).toBeUndefined();

    await connector.write(TYPE, 'update', { ...first.data, firstName: 'Renamed', note: null }, { remoteId });
    expect(customerOf(api, remoteId)).toMatchObject({ first_name: 'Renamed', note: null, email: first.data['email'] });

    const upserted = await connector.write(TYPE, 'upsert', second.data);
    expect(upserted.status).toBe(201);
    expect((await connector.write(TYPE, 'upsert', { ...second.data, lastName: 'Again' })).remoteId).toBe(upserted.remoteId);
    expect(customerOf(api, upserted.remoteId as string)).toMatchObject({ last_name: 'Again' });

    expect(await connector.write(TYPE, 'delete', first.data, { remoteId })).toMatchObject({ status: 204, remoteId });
    expect(await connector.findRemoteId(TYPE, first.data)).toBeUndefined();
  });

  it('refuses what cannot be written before sending anything: an unknown type or operation, an invalid record, no remote id', async () => {
    const [customer] = await sourceCustomers(1);
    if (!customer) throw new Error('the source has no customers');
    const api = await destinationApi();
    const connector = await connect(api, destination((writes) => delete writes['delete']));
    const before = api.requests.length;
    expect(await rejection(connector.write('crm.contact@1', 'create', customer.data))).toMatchObject({ code: 'ENGINE_WRITE_UNSUPPORTED', hint: `It writes ${TYPE}, commerce.order@1, commerce.stocklevel@1.` });
    expect(await rejection(connector.write(TYPE, 'delete', customer.data, { remoteId: '1' }))).toMatchObject({ code: 'ENGINE_WRITE_UNSUPPORTED', message: expect.stringContaining(customer.subject) });
    const invalid = await rejection(connector.write(TYPE, 'create', { ...customer.data, state: 'nope' }));
    expect(invalid).toMatchObject({ code: 'ENGINE_WRITE_INVALID_RECORD', message: expect.stringContaining('/state') });
    expect(await rejection(connector.write(TYPE, 'update', customer.data))).toMatchObject({ code: 'ENGINE_WRITE_NEEDS_REMOTE_ID', hint: expect.stringContaining('findRemoteId') });
    expect(api.requests.length).toBe(before);
  });

  it('says what the destination refused: operation, canonical key, URL, status and the start of the answer, secrets hidden', async () => {
    const [customer] = await sourceCustomers(1);
    if (!customer) throw new Error('the source has no customers');
    const api = await destinationApi([{ kind: 'status', status: 422, method: 'PATCH', body: { error: `field rejected for Bearer ${TOKEN}` }, times: 1 }]);
    const connector = await connect(api);
    const { remoteId } = await connector.write(TYPE, 'create', customer.data);
    const taken = await rejection(connector.write(TYPE, 'create', customer.data));
    expect(taken).toMatchObject({ code: 'ENGINE_WRITE_FAILED', hint: expect.stringContaining('look it up') });
    expect(taken.message).toMatch(new RegExp(`^create of ${customer.subject.replaceAll('.', '\\.')}: POST http://127\\.0\\.0\\.1:\\d+/customers answered 409 — .*email`));
    const refused = await rejection(connector.write(TYPE, 'update', customer.data, { remoteId: remoteId as string }));
    expect(refused).toMatchObject({ code: 'ENGINE_WRITE_FAILED', message: expect.stringContaining('answered 422'), hint: expect.stringContaining('write mapping') });
    expect(refused.message).not.toContain(TOKEN);
    expect(refused.message).toContain('Bearer ***');
  });

  it('never sends a create twice without an idempotency key: no retry after silence or a 5xx; a 429 is retried', async () => {
    const [one, two, three] = await sourceCustomers(3);
    if (!one || !two || !three) throw new Error('the source has too few customers');
    const api = await destinationApi([
      { kind: 'reset', phase: 'response', method: 'POST', route: '/customers', times: 1 },
      { kind: 'status', status: 503, method: 'POST', route: '/customers', times: 1 },
      { kind: 'status', status: 429, retryAfter: 0, method: 'POST', route: '/customers', times: 1 },
    ]);
    const connector = await connect(api);
    // The connection drops after the destination created the customer: the engine cannot know, and says so.
    const lost = await rejection(connector.write(TYPE, 'create', one.data));
    expect(lost).toMatchObject({ code: 'ENGINE_WRITE_AMBIGUOUS', hint: expect.stringContaining('findRemoteId') });
    expect(writesTo(api, 'POST')).toHaveLength(1);
    expect(await connector.findRemoteId(TYPE, one.data)).toBeDefined();
    // A 503 is not retried either: the API may have applied part of it.
    expect(await rejection(connector.write(TYPE, 'create', two.data))).toMatchObject({ code: 'ENGINE_WRITE_FAILED', message: expect.stringContaining('503') });
    expect(writesTo(api, 'POST')).toHaveLength(2);
    // A 429 refused the request: it is sent again.
    expect(await connector.write(TYPE, 'create', three.data)).toMatchObject({ status: 201, attempts: 2 });
    expect(writesTo(api, 'POST')).toHaveLength(4);
  });

  it('with an idempotency key, a create is retried after silence and a 5xx, and applied once', async () => {
    const [one, two] = await sourceCustomers(2);
    if (!one || !two) throw new Error('the source has too few customers');
    const api = await destinationApi([
      { kind: 'reset', phase: 'response', method: 'POST', route: '/customers', times: 1 },
      { kind: 'status', status: 503, method: 'POST', route: '/customers', times: 1 },
    ]);
    const connector = await connect(api);
    const count = api.data.customers.length;
    // Applied, then the answer lost; the retry meets a 503; the third attempt gets the first answer replayed.
    expect(await connector.write(TYPE, 'create', one.data, { idempotencyKey: one.id })).toMatchObject({ status: 201, replayed: true, attempts: 3 });
    expect(writesTo(api, 'POST').map((request) => [request.status, request.fault ?? null])).toEqual([[201, 'reset'], [503, 'status'], [201, null]]);
    expect(await connector.write(TYPE, 'create', two.data, { idempotencyKey: two.id })).toMatchObject({ status: 201, replayed: false, attempts: 1 });
    expect(api.data.customers.length).toBe(count + 2);
  });

  it('writes go through the same boundary as reads: read-only runs refuse them, foreign hosts are refused, the lookup still reads', async () => {
    const [customer] = await sourceCustomers(1);
    if (!customer) throw new Error('the source has no customers');
    const api = await destinationApi();
    const readOnly = await connect(api, destination(), { readOnly: true });
    const before = api.requests.length;
    expect(await rejection(readOnly.write(TYPE, 'create', customer.data))).toMatchObject({ code: 'ENGINE_READ_ONLY' });
    expect(await rejection(readOnly.write(TYPE, 'delete', customer.data, { remoteId: '1' }))).toMatchObject({ code: 'ENGINE_READ_ONLY' });
    expect(api.requests.length).toBe(before);
    expect(await readOnly.findRemoteId(TYPE, customer.data)).toBeUndefined();

    const foreign = await connect(api, destination((writes) => ((writes['create'] as { request: Json }).request['path'] = 'https://collector.example.net/customers')));
    expect(await rejection(foreign.write(TYPE, 'create', customer.data))).toMatchObject({ code: 'ENGINE_HOST_NOT_ALLOWED' });
    // A remote id cannot climb out of the path it is placed in.
    expect(await rejection(foreign.write(TYPE, 'delete', customer.data, { remoteId: '..' }))).toMatchObject({ code: 'ENGINE_UNSAFE_PATH_VALUE' });
  });
});
