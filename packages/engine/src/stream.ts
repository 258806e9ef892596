// The read loop of one stream: for each partition, send the requests its paginator asks for, pull the records out
// of each response, track the incremental cursor, map records to canonical events, and report pages, records,
// checkpoints and how each partition ended. Every part it drives is a DSL component compiled once (request.ts,
// records.ts, pagination/, partitions/, incremental.ts, response-filters.ts, mapping.ts).
import { createCanonicalEvent, PullPushError, type CanonicalEvent, type CanonicalTypeDefinition, type Issue } from '@pullpush/canonical';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StreamSpec } from '@pullpush/schema';
import type { AuthProvider } from './auth/index.ts';
import { bodyExcerpt, parseBody, type BodyFormat } from './body.ts';
import { EngineErrorCode } from './errors.ts';
import { Incremental, type IncrementalWalk } from './incremental.ts';
import { pointer } from './pointer.ts';
import { compileMapping, type CompiledMapping, type MappingBindings } from './mapping.ts';
import type { HttpClient, HttpResponse } from './net/http-client.ts';
import { createPaginator, type Observation, type Paginator } from './pagination/index.ts';
import { createPartitionRouter, partitionKey, type PartitionRouter } from './partitions/index.ts';
import { RecordsSelector } from './records.ts';
import type { Redactor } from './redact.ts';
import { CompiledRequest, sendRequest, type ConnectionDefaults, type PageRequest } from './request.ts';
import type { ResponseFilters } from './response-filters.ts';
import type { SiteTable } from './sites.ts';

/** Stored progress of a stream: the incremental cursor per partition (`""` for an unpartitioned stream). */
export interface StreamState {
  partitions: Record<string, { cursor?: string }>;
}

/** Why a partition's read ended: at the end of the data, or at a limit the caller set. */
export type EndReason = 'exhausted' | 'page-limit' | 'record-limit';

export type ReadMessage =
  | { type: 'record'; stream: string; partition: string; event: CanonicalEvent<Record<string, unknown>>; native?: unknown }
  | { type: 'raw'; stream: string; partition: string; record: unknown; remoteId: string }
  | { type: 'failure'; stream: string; partition: string; remoteId: string; message: string; issues: Issue[]; native?: unknown }
  /** `bytes`: the size of the response body, so a consumer can bound what it holds in memory. */
  | { type: 'page'; stream: string; partition: string; index: number; method: string; url: string; status: number; records: number; received: number; bytes: number; elapsedMs: number; attempts: number }
  | { type: 'request-failed'; stream: string; partition: string; method: string; url: string; status: number; elapsedMs: number; attempts: number }
  | { type: 'state'; stream: string; state: StreamState }
  | { type: 'end'; stream: string; partition: string; pages: number; reason: EndReason; observations: Observation[] }
  | { type: 'partitions-limited'; stream: string; partitions: number };

export interface ReadLimits {
  /**
   * Pages per partition. A limit the caller sets ends a partition early and normally (test runs); without one,
   * a bound of 100,000 applies and reaching it is an error (ENGINE_PAGE_LIMIT): never success on partial data.
   */
  maxPages?: number;
  /** Records per stream; reaching it ends the read early and normally (test runs, `pullpush read --limit`). */
  maxRecords?: number;
  /** The record limit ends a partition only after this many pages, so a test sees pagination work (default 1). */
  minPages?: number;
  /** Partitions per stream. A limit the caller sets reads the first ones; without one, more than 10,000 is an error. */
  maxPartitions?: number;
}

export interface ReadOptions {
  state?: StreamState;
  /** Read only these partition values. */
  partitions?: readonly unknown[];
  limits?: ReadLimits;
  signal?: AbortSignal;
  /** Attach the native record to record and failure messages (test runs infer the native schema from them). */
  withNative?: boolean;
  /** Called with each accepted page's response, secrets redacted (probes read headers and the body's shape). */
  onResponse?: (response: ObservedResponse) => void;
}

/** A page's response as a probe sees it: URL, header values and body with every secret redacted. */
export interface ObservedResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface StreamContext {
  connector: string;
  connection: string;
  /** The connection config without its secrets: all a stream's expressions may see. */
  config: Record<string, unknown>;
  defaults: ConnectionDefaults;
  format: BodyFormat;
  timeZone: string;
  http: HttpClient;
  auth: AuthProvider;
  redactor: Redactor;
  filters: ResponseFilters;
  sites: SiteTable;
  /** Reads another stream's native records (parent partitions), within the same limits. */
  readParent: (stream: string, options: ReadOptions) => AsyncIterable<ReadMessage>;
}

/**
 * Records made into messages before they are handed out: a page's worth at a time (so the long read loop resumes
 * once a page, not once a record), and no more, so a page of thousands never holds thousands of events at once.
 */
const RECORDS_PER_BATCH = 100;

/** What a page's records are made into messages with. */
interface PageContext {
  key: string;
  cursor: IncrementalWalk | undefined;
  bindings: MappingBindings;
  mode: 'canonical' | 'native';
  withNative: boolean;
}

/** The messages of each batch, one by one: a consumer that stops early stops the batches too (return, finally). */
async function* oneByOne(batches: AsyncGenerator<ReadMessage[]>): AsyncGenerator<ReadMessage> {
  for await (const batch of batches) for (const message of batch) yield message;
}

const DEFAULT_MAX_PAGES = 100_000;
const DEFAULT_MAX_PARTITIONS = 10_000;

function remoteIdOf(record: unknown, keyPaths: ReadonlyArray<readonly string[]>): string {
  return keyPaths
    .map((keys) => {
      let value = record;
      for (const key of keys) value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
      return value === undefined || value === null ? '' : String(value);
    })
    .join(':');
}

/** The parameter a 400 names, when the API says which (WordPress's data.params, a message naming it). */
function rejectedParameter(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { data?: { params?: Record<string, unknown> }; errors?: unknown; error?: { param?: unknown } };
    const params = parsed.data?.params;
    if (params && typeof params === 'object') return Object.keys(params).join(', ') || undefined;
    if (typeof parsed.error?.param === 'string') return parsed.error.param;
  } catch {
    /* not JSON */
  }
  return undefined;
}

export class CompiledStream {
  readonly name: string;
  readonly spec: StreamSpec;
  readonly canonical: CanonicalTypeDefinition | undefined;
  readonly #context: StreamContext;
  readonly #request: CompiledRequest;
  readonly #records: RecordsSelector;
  readonly #paginator: Paginator;
  readonly #partitions: PartitionRouter;
  readonly #incremental: Incremental | undefined;
  readonly #mapping: CompiledMapping | undefined;
  readonly #keyPaths: ReadonlyArray<readonly string[]>;

  constructor(name: string, spec: StreamSpec, canonical: CanonicalTypeDefinition | undefined, context: StreamContext) {
    const { sites } = context;
    this.name = name;
    this.spec = spec;
    this.canonical = canonical;
    this.#context = context;
    this.#request = new CompiledRequest(pointer('streams', name, 'request'), spec.request, context.defaults, sites, 'request');
    this.#records = new RecordsSelector(name, spec.records, sites);
    this.#paginator = createPaginator(spec.pagination, { stream: name, sites, redactor: context.redactor });
    this.#partitions = createPartitionRouter(spec.partitions, { stream: name, config: context.config, sites });
    this.#incremental = spec.incremental ? new Incremental(spec.incremental, { stream: name, sites, timeZone: context.timeZone, redactor: context.redactor }) : undefined;
    this.#mapping =
      canonical && spec.mapping
        ? compileMapping(canonical, spec.mapping, { connector: context.connector, connection: context.connection, stream: name, primaryKey: spec.primaryKey, sites })
        : undefined;
    this.#keyPaths = spec.primaryKey.map((path) => path.split('.'));
  }

  get method(): string {
    return this.#request.method;
  }

  /** A parent stream's records, read under the same page limit as the read that asks for them. */
  async *#parentRecords(parent: string, options: ReadOptions): AsyncIterable<unknown> {
    const limits = options.limits?.maxPages === undefined ? {} : { maxPages: options.limits.maxPages };
    for await (const message of this.#context.readParent(parent, { limits, ...(options.signal ? { signal: options.signal } : {}) })) {
      if (message.type === 'raw') yield message.record;
    }
  }

  /** Sends one request of the stream (request.ts: auth, response filters, one re-authentication). */
  #send(request: PageRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
    return sendRequest(this.#context.http, this.#context.auth, request, {
      method: this.method,
      stream: this.name,
      readsOnly: this.method === 'POST' && this.spec.request.search === true,
      signal,
      classify: this.#context.filters.classify,
    });
  }

  #statusError(response: HttpResponse, message?: string): PullPushError {
    const shown = this.#context.redactor.url(response.url);
    const snippet = bodyExcerpt(response.body, this.#context.redactor);
    const status = response.status;
    const exhausted = response.verdict.action === 'retry' || response.verdict.action === 'rateLimited';
    const rejected = status === 400 || status === 422 ? rejectedParameter(response.body.toString('utf8')) : undefined;
    const hint = exhausted
      ? `The API still answered ${status} after ${response.attempts} attempts: raise retry.maxAttempts or slow down (rateLimits).`
      : status === 401 || status === 403
        ? 'Check the connection credentials and their permissions.'
        : status === 404
          ? 'Check the request path of the stream, and any ids it uses.'
          : status === 400 || status === 422
            ? `The API refused the request${rejected ? ` (it names ${this.#context.redactor.text(rejected)})` : ''}: check the request parameters, the page size, the pagination and the incremental parameter and format it sends.`
            : status >= 500
              ? 'The API failed on its side; the request was retried. Try again later.'
              : 'Declare a response filter if this status is expected (ignore, retry, fail).';
    return new PullPushError(EngineErrorCode.HttpStatus, `${this.method} ${shown} answered ${status} (stream ${this.name})${message ? `: ${message}` : ''}${snippet ? ` — ${snippet}` : ''}`, { hint });
  }

  /** Reads the stream: records (or failures) as they come, a page message and a state checkpoint per page. */
  read(options: ReadOptions = {}, mode: 'canonical' | 'native' = 'canonical'): AsyncGenerator<ReadMessage> {
    return oneByOne(this.#batches(options, mode));
  }

  /**
   * Messages for the page's records from `from` on, into `into`: at most RECORDS_PER_BATCH of them and no more than
   * `limit` (what the read's record limit still allows). Says where it stopped and how many records it counted
   * (those the incremental cursor kept). What it made before an error (a cursor value it could not read) stays in
   * `into`.
   */
  async #recordMessages(records: readonly unknown[], from: number, limit: number, into: ReadMessage[], page: PageContext): Promise<{ next: number; counted: number }> {
    const { key, cursor, bindings, mode, withNative } = page;
    const end = Math.min(records.length, from + RECORDS_PER_BATCH);
    let counted = 0;
    let at = from;
    for (; at < end && counted < limit; at += 1) {
      const native = records[at];
      if (cursor) {
        let keep = cursor.observe(native, { ...bindings, record: native });
        if (keep instanceof Promise) keep = await keep;
        if (!keep) continue;
      }
      counted += 1;
      if (mode === 'native' || !this.#mapping) {
        into.push({ type: 'raw', stream: this.name, partition: key, record: native, remoteId: remoteIdOf(native, this.#keyPaths) });
        continue;
      }
      let mapped = this.#mapping.map(native, bindings);
      if (mapped instanceof Promise) mapped = await mapped;
      if (mapped.ok) {
        const event = createCanonicalEvent(this.canonical as CanonicalTypeDefinition, mapped.record, { validate: false });
        const record = { type: 'record', stream: this.name, partition: key, event } as const;
        into.push(withNative ? { ...record, native } : record);
      } else {
        const message = this.#context.redactor.text(mapped.message);
        const failure = { type: 'failure', stream: this.name, partition: key, remoteId: mapped.remoteId, message, issues: mapped.issues } as const;
        into.push(withNative ? { ...failure, native } : failure);
      }
    }
    return { next: at, counted };
  }

  /**
   * The read in batches: each is what the reader hands out next (a page message, up to RECORDS_PER_BATCH of its
   * records, its checkpoint; or one message). The per-record work runs in #recordMessages and the hand-out in
   * oneByOne, so this long generator resumes once a page: V8 then optimizes the small parts that run per record
   * rather than this whole one.
   */
  async *#batches(options: ReadOptions, mode: 'canonical' | 'native'): AsyncGenerator<ReadMessage[]> {
    const state: StreamState = structuredClone(options.state ?? { partitions: {} });
    const limits = options.limits ?? {};
    const maxPages = limits.maxPages ?? DEFAULT_MAX_PAGES;
    const maxRecords = limits.maxRecords ?? Number.POSITIVE_INFINITY;
    const minPages = limits.minPages ?? 1;
    const maxPartitions = limits.maxPartitions ?? DEFAULT_MAX_PARTITIONS;
    const prefetch = limits.maxRecords === undefined;
    const wanted = options.partitions ? new Set(options.partitions.map(partitionKey)) : undefined;
    const { config } = this.#context;
    const tooMany = () =>
      new PullPushError(EngineErrorCode.PartitionLimit, `Stream ${this.name} has more than ${maxPartitions} partitions.`, {
        hint: 'Narrow the partitions; a read of this many is refused rather than run without a bound.',
      });
    // A list that is too long is refused before any request; a parent stream's partitions only as they come.
    if (limits.maxPartitions === undefined && !wanted && (this.#partitions.count?.() ?? 0) > maxPartitions) throw tooMany();
    let recordCount = 0;
    let partitionCount = 0;
    const readParent = (parent: string) => this.#parentRecords(parent, options);
    // A request sent ahead is aborted when the read ends before it is needed (the consumer stopped, an error).
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    try {
      for await (const partition of this.#partitions.partitions({ signal: options.signal, limit: maxPartitions + 1, readParent })) {
        const key = partitionKey(partition.value);
        if (wanted && !wanted.has(key)) continue;
        if (partitionCount >= maxPartitions) {
          if (limits.maxPartitions !== undefined) {
            yield [{ type: 'partitions-limited', stream: this.name, partitions: partitionCount }];
            break;
          }
          throw tooMany();
        }
        partitionCount += 1;
        const base = { config, partition: partition.value ?? null, parent: partition.parent ?? null };
        const cursor: IncrementalWalk | undefined = await this.#incremental?.begin(state.partitions[key]?.cursor, config);
        const first = await this.#request.build({ ...base, state: cursor?.requestCursor === undefined ? {} : { cursor: cursor.requestCursor } });
        await cursor?.place(first, config);
        const walk = this.#paginator.start(first, base);
        const mapping: MappingBindings = base;
        let request: PageRequest | null = walk.first;
        let index = 0;
        let reason: EndReason = 'exhausted';
        // The next page is asked for as soon as this one's response says what it is, and travels while this page's
        // records are mapped and handed out. Not when a record limit may end the read first: no request is wasted.
        let ahead: Promise<HttpResponse> | undefined;
        while (request) {
          if (index >= maxPages) {
            if (limits.maxPages === undefined) {
              throw new PullPushError(EngineErrorCode.PageLimit, `Stream ${this.name} has more than ${maxPages} pages in partition ${JSON.stringify(key)}; the read stopped there and is incomplete.`, {
                hint: 'Ask for larger pages (pageSize), or partition the stream; a read without a bound is refused.',
              });
            }
            reason = 'page-limit';
            break;
          }
          const response = await (ahead ?? this.#send(request, signal));
          ahead = undefined;
          const verdict = response.verdict;
          const shown = this.#context.redactor.url(response.url);
          if (verdict.action !== 'accept' && verdict.action !== 'ignore') {
            yield [{ type: 'request-failed', stream: this.name, partition: key, method: this.method, url: shown, status: response.status, elapsedMs: Math.round(response.elapsedMs), attempts: response.attempts }];
            // A page asked for without evidence that it exists, refused: the previous, short page was the last.
            if (request.speculative && response.status >= 400 && response.status < 500 && verdict.action === 'fail') {
              walk.observations.push({ kind: 'refusedSpeculativePage', status: response.status });
              break;
            }
            throw this.#statusError(response, verdict.message);
          }
          const ignore = verdict.action === 'ignore';
          const body = ignore ? null : parseBody(response.body, this.#context.format, shown, this.#context.redactor);
          const headers = Object.fromEntries(response.headers);
          if (options.onResponse) {
            const redacted = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, this.#context.redactor.text(value)]));
            options.onResponse({ url: shown, status: response.status, headers: redacted, body });
          }
          const { records, received } = ignore ? { records: [], received: 0 } : await this.#records.extract(body, { ...base, headers });
          // An error of the walk (an incomplete read) comes after this page's records, which are good.
          let next: PageRequest | null = null;
          let walkError: unknown;
          if (!ignore) {
            try {
              next = await walk.next({ request, response, body, received, index });
            } catch (error) {
              walkError = error;
            }
          }
          if (next && prefetch && index + 1 < maxPages) {
            ahead = this.#send(next, signal);
            // Handled when awaited; a read that stops before then abandons it (and aborts it, below).
            ahead.catch(() => undefined);
            // This page's records are handed out in one run of microtasks, and the request goes out only from a
            // later turn of the event loop (undici checks an idle keep-alive socket in a setImmediate before writing
            // to it): two turns let it leave now, so the API prepares the next page while this one is mapped.
            await nextTurn();
            await nextTurn();
          }
          let batch: ReadMessage[] = [
            {
              type: 'page', stream: this.name, partition: key, index, method: this.method, url: shown,
              status: response.status, records: records.length, received, bytes: response.body.length, elapsedMs: Math.round(response.elapsedMs), attempts: response.attempts,
            },
          ];
          const page: PageContext = { key, cursor, bindings: mapping, mode, withNative: options.withNative === true };
          for (let next = 0; next < records.length && recordCount < maxRecords; ) {
            // The batch made so far goes out before the page's next hundred records are made.
            if (next > 0) {
              yield batch;
              batch = [];
            }
            let made: { next: number; counted: number };
            try {
              made = await this.#recordMessages(records, next, maxRecords - recordCount, batch, page);
            } catch (error) {
              // The records before the error are good: they go out, then the read fails without this page's checkpoint.
              yield batch;
              throw error;
            }
            recordCount += made.counted;
            next = made.next;
          }
          batch.push({ type: 'state', stream: this.name, state: structuredClone(state) });
          yield batch;
          index += 1;
          if (recordCount >= maxRecords && index >= minPages) {
            reason = 'record-limit';
            break;
          }
          if (walkError !== undefined) throw walkError;
          request = next;
        }
        // The cursor moves only when a partition was read to its end, so an interrupted read is read again.
        const end = cursor?.end;
        if (reason === 'exhausted' && end !== undefined && end !== state.partitions[key]?.cursor) {
          state.partitions[key] = { cursor: end };
          yield [{ type: 'state', stream: this.name, state: structuredClone(state) }];
        }
        yield [{ type: 'end', stream: this.name, partition: key, pages: index, reason, observations: walk.observations }];
        if (reason === 'record-limit') break;
      }
    } finally {
      stop.abort();
    }
  }
}
