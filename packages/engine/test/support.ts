// Shared helpers of the engine's integration suites: definitions aimed at a local testkit API, collecting the
// messages of a read, and catching the PullPushError a read or a compile ends with.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PullPushError } from '@pullpush/canonical';
import type { CanonicalEvent } from '@pullpush/canonical';
import { startTestApi, type TestApi, type TestApiOptions } from '@pullpush/testkit';
import { afterEach } from 'vitest';
import type { Connector, ConnectorOptions, ReadMessage } from '../src/index.ts';

// The engine suites run the engine against real local HTTP servers from @pullpush/testkit. testkit is a dev-time
// fake of SaaS APIs and never a runtime dependency of the engine; this is the one place the engine's tests import it.
export { startTestApi, type Fault, type TestApi, type TestApiOptions } from '@pullpush/testkit';

/**
 * testkit servers and connectors for one suite, closed after each test: `serve` starts a server with the suite's
 * defaults, `keep` registers a connector to close.
 */
export function useTestApis(defaults: TestApiOptions = {}): { serve: (options?: TestApiOptions) => Promise<TestApi>; keep: <C extends Connector>(connector: C) => C } {
  const servers: TestApi[] = [];
  const connectors: Connector[] = [];
  afterEach(async () => {
    await Promise.all(connectors.splice(0).map((connector) => connector.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return {
    async serve(options = {}) {
      const api = await startTestApi({ ...defaults, ...options });
      servers.push(api);
      return api;
    },
    keep(connector) {
      connectors.push(connector);
      return connector;
    },
  };
}

type Json = Record<string, unknown>;

/** What every connection to a local testkit server needs: loopback addresses and plain http allowed. */
export const LOCAL = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const satisfies ConnectorOptions;

/** Connector options for a testkit server: its URL replaces the definition's base URL. */
export function local(api: { url: string }, extra: ConnectorOptions = {}): ConnectorOptions {
  return { ...LOCAL, baseUrl: api.url, ...extra };
}

/** Small retry delays so fault suites stay fast. */
export const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3, jitter: false };

/** A minimal valid definition around the given streams; `extra` replaces top-level parts (auth, config, http…). */
export function definition(streams: Json, extra: Json = {}): Json {
  return {
    dsl: 'pullpush/v1',
    id: 'testkit',
    name: 'Testkit',
    version: '1.0.0',
    config: { type: 'object', properties: {} },
    http: { baseUrl: 'https://api.example.test' },
    auth: { kind: 'none' },
    retry: FAST_RETRY,
    streams,
    ...extra,
  };
}

/** Every message of a read, in order. */
export async function collect(messages: AsyncIterable<ReadMessage>): Promise<ReadMessage[]> {
  const out: ReadMessage[] = [];
  for await (const message of messages) out.push(message);
  return out;
}

/** Every message of a read until it throws; the messages and the error (undefined when the read ended normally). */
export async function collectUntilError(messages: AsyncIterable<ReadMessage>): Promise<{ messages: ReadMessage[]; error: unknown }> {
  const out: ReadMessage[] = [];
  try {
    for await (const message of messages) out.push(message);
  } catch (error) {
    return { messages: out, error };
  }
  return { messages: out, error: undefined };
}

/** The PullPushError a promise rejects with; fails the test when it resolves or rejects with something else. */
export async function rejection(promise: Promise<unknown>): Promise<PullPushError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PullPushError) return error;
    throw new Error(`expected a PullPushError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The PullPushError a read ends with. */
export async function readError(messages: AsyncIterable<ReadMessage>): Promise<PullPushError> {
  return rejection(collect(messages));
}

export function ofType<T extends ReadMessage['type']>(messages: readonly ReadMessage[], type: T): Array<Extract<ReadMessage, { type: T }>> {
  return messages.filter((message): message is Extract<ReadMessage, { type: T }> => message.type === type);
}

/** Native records of `raw` messages. */
export function raws(messages: readonly ReadMessage[]): Json[] {
  return ofType(messages, 'raw').map((message) => message.record as Json);
}

/** Canonical events of `record` messages. */
export function events(messages: readonly ReadMessage[]): Array<CanonicalEvent<Json>> {
  return ofType(messages, 'record').map((message) => message.event);
}

/** Remote ids of what a read yielded: native ids of raw records, remote ids of canonical events. */
export function remoteIds(messages: readonly ReadMessage[]): string[] {
  return messages.flatMap((message) => {
    if (message.type === 'raw') return [String((message.record as Json)['id'])];
    if (message.type === 'record') return [String((message.event.data['remote'] as Json)['id'])];
    return [];
  });
}

/** The last state checkpoint of a read. */
export function finalState(messages: readonly ReadMessage[]): Extract<ReadMessage, { type: 'state' }>['state'] {
  const states = ofType(messages, 'state');
  const last = states.at(-1);
  if (!last) throw new Error('the read yielded no state message');
  return last.state;
}

export function sortedStrings(values: Iterable<unknown>): string[] {
  return [...values].map(String).sort();
}

/** The canonical mapping of testkit customers (Shopify-shaped) to commerce.customer@1. */
export const CUSTOMER_MAPPING = {
  fields: {
    createdAt: { path: 'created_at' },
    updatedAt: { path: 'updated_at' },
    firstName: { path: 'first_name' },
    lastName: { path: 'last_name' },
    email: { path: 'email' },
    phone: { path: 'phone' },
    addresses: {
      expr: "[addresses.{ 'name': null, 'company': company, 'line1': address1, 'line2': address2, 'city': city, 'region': province, 'postalCode': zip, 'country': country_code, 'phone': phone }]",
    },
    defaultAddress: {
      expr: "default_address ? { 'name': null, 'company': default_address.company, 'line1': default_address.address1, 'line2': default_address.address2, 'city': default_address.city, 'region': default_address.province, 'postalCode': default_address.zip, 'country': default_address.country_code, 'phone': default_address.phone } : null",
    },
    acceptsMarketing: { path: 'accepts_marketing' },
    state: { expr: "{ 'value': state, 'native': state }" },
    totalSpent: { expr: "{ 'amount': total_spent, 'currency': currency }" },
    ordersCount: { path: 'orders_count' },
    tags: { expr: "[$split(tags, ',') ~> $map($trim) ~> $filter(function($t) { $t != '' })]" },
    note: { path: 'note' },
    locale: { path: 'locale' },
    taxExempt: { path: 'tax_exempt' },
  },
};

/**
 * Runs an ES module script in a fresh Node process with extra flags (from the repository root, sources importable)
 * and returns the JSON it prints: for what only a differently started runtime can show.
 */
export function runNodeScript(flags: readonly string[], lines: readonly string[]): unknown {
  const output = execFileSync(process.execPath, [...flags, '--conditions=@pullpush/source', '--input-type=module', '-e', lines.join('\n')], {
    cwd: fileURLToPath(new URL('../../../', import.meta.url)),
    encoding: 'utf8',
  });
  return JSON.parse(output);
}
