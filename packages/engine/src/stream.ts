// One stream, compiled: how its requests are built, how records come out of responses, how it pages, where its
// incremental cursor stands, and how records become canonical events.
import { setTimeout as sleep } from 'node:timers/promises';
import { createCanonicalEvent, PullPushError, type CanonicalEvent, type CanonicalTypeDefinition, type Issue } from '@pullpush/canonical';
import type { IncrementalSpec, ResponseFilterSpec, StreamSpec } from '@pullpush/schema';
import type { AuthProvider } from './auth.ts';
import { parseBody, type BodyFormat } from './body.ts';
import { EngineErrorCode } from './errors.ts';
import { compileExpression, compileTemplate, compileTemplateTree, type Bindings, type CompiledExpression, type CompiledTemplate } from './expr/compile.ts';
import { compileMapping, type CompiledMapping } from './mapping.ts';
import type { HttpClient, HttpResponse } from './net/http-client.ts';
import { createPaginator, place, type PageRequest, type Paginator } from './pagination.ts';
import type { Redactor } from './redact.ts';

/** Stored progress of a stream: the incremental cursor per partition (`""` for an unpartitioned stream). */
export interface StreamState {
  partitions: Record<string, { cursor?: string }>;
}

export type ReadMessage =
  | { type: 'record'; stream: string; partition: string; event: CanonicalEvent<Record<string, unknown>>; native?: unknown }
  | { type: 'raw'; stream: string; partition: string; record: unknown }
  | { type: 'failure'; stream: string; partition: string; remoteId: string; message: string; issues: Issue[]; native?: unknown }
  | { type: 'page'; stream: string; partition: string; index: number; method: string; url: string; status: number; records: number; elapsedMs: number; attempts: number }
  | { type: 'state'; stream: string; state: StreamState }
  | { type: 'end'; stream: string; partition: string; pages: number; reason: 'exhausted' | 'page-limit' | 'record-limit' };

export interface ReadLimits {
  /** Pages per partition (default 100,000: a bound, not a target). */
  maxPages?: number;
  /** Records per stream; reaching it ends the read early and normally (test runs). */
  maxRecords?: number;
  /** Partitions per stream (default 10,000). */
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
}

export interface StreamContext {
  connector: string;
  connection: string;
  config: Record<string, unknown>;
  baseUrl: string;
  defaultHeaders: Record<string, CompiledTemplate>;
  defaultQuery: Record<string, CompiledTemplate>;
  format: BodyFormat;
  http: HttpClient;
  auth: AuthProvider;
  redactor: Redactor;
  responseFilters: readonly ResponseFilterSpec[];
  /** Reads another stream's native records (parent partitions). */
  readParent: (stream: string, signal?: AbortSignal) => AsyncIterable<unknown>;
  now: string;
}

const DEFAULT_MAX_PAGES = 100_000;
/** Bytes of an error body redacted before its first 300 characters go into a message. */
const MAX_ERROR_SNIPPET_SOURCE = 4096;
const DEFAULT_MAX_PARTITIONS = 10_000;

/** What may not stand in a URL path segment is encoded; `/` is kept so values like owner/name work. */
function encodePathValue(text: string): string {
  return text.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (char) => encodeURIComponent(char));
}

function cursorValue(value: unknown, format: IncrementalSpec['format']): number | string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (format === 'unixSeconds' || format === 'unixMillis') {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  if (format === 'iso8601') {
    const time = Date.parse(String(value));
    return Number.isFinite(time) ? time : undefined;
  }
  return String(value);
}

function formatCursor(comparable: number | string, format: IncrementalSpec['format']): string {
  if (format === 'iso8601') return new Date(comparable as number).toISOString();
  return String(comparable);
}

function applyLookback(cursor: string, incremental: IncrementalSpec): string {
  const seconds = incremental.lookbackSeconds ?? 0;
  if (seconds === 0) return cursor;
  const value = cursorValue(cursor, incremental.format);
  if (value === undefined) return cursor;
  if (incremental.format === 'iso8601') return new Date((value as number) - seconds * 1000).toISOString();
  if (incremental.format === 'unixSeconds') return String((value as number) - seconds);
  if (incremental.format === 'unixMillis') return String((value as number) - seconds * 1000);
  const date = new Date(`${String(value)}T00:00:00Z`);
  return Number.isFinite(date.getTime()) ? new Date(date.getTime() - seconds * 1000).toISOString().slice(0, 10) : cursor;
}

function partitionKey(value: unknown): string {
  return value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

function matchesStatus(filter: ResponseFilterSpec, status: number): boolean {
  return filter.status === undefined || filter.status.includes(status);
}

export class CompiledStream {
  readonly name: string;
  readonly spec: StreamSpec;
  readonly canonical: CanonicalTypeDefinition | undefined;
  readonly #context: StreamContext;
  readonly #path: CompiledTemplate;
  readonly #query: Record<string, CompiledTemplate>;
  readonly #headers: Record<string, CompiledTemplate>;
  readonly #body: ((bindings: Bindings) => Promise<unknown>) | undefined;
  readonly #records: CompiledExpression | undefined;
  readonly #filter: CompiledExpression | undefined;
  readonly #paginator: Paginator;
  readonly #mapping: CompiledMapping | undefined;
  readonly #cursorField: CompiledExpression | undefined;
  readonly #startDate: CompiledTemplate | undefined;
  readonly #filters: Array<{ spec: ResponseFilterSpec; matches?: CompiledExpression }>;
  readonly #parentValue: CompiledExpression | undefined;

  constructor(name: string, spec: StreamSpec, canonical: CanonicalTypeDefinition | undefined, context: StreamContext) {
    const where = `/streams/${name}`;
    this.name = name;
    this.spec = spec;
    this.canonical = canonical;
    this.#context = context;
    this.#path = compileTemplate(spec.request.path, `${where}/request/path`, undefined, encodePathValue);
    this.#query = Object.fromEntries(Object.entries(spec.request.query ?? {}).map(([key, value]) => [key, compileTemplate(value, `${where}/request/query/${key}`)]));
    this.#headers = Object.fromEntries(Object.entries(spec.request.headers ?? {}).map(([key, value]) => [key.toLowerCase(), compileTemplate(value, `${where}/request/headers/${key}`)]));
    this.#body = spec.request.body === undefined ? undefined : compileTemplateTree(spec.request.body, `${where}/request/body`);
    this.#records = spec.records?.path ? compileExpression(spec.records.path, `${where}/records/path`) : undefined;
    this.#filter = spec.records?.filter ? compileExpression(spec.records.filter, `${where}/records/filter`) : undefined;
    this.#paginator = createPaginator(spec.pagination, name, context.redactor);
    this.#mapping =
      canonical && spec.mapping
        ? compileMapping(canonical, spec.mapping, { connector: context.connector, connection: context.connection, stream: name, primaryKey: spec.primaryKey })
        : undefined;
    this.#cursorField = spec.incremental ? compileExpression(spec.incremental.cursorField, `${where}/incremental/cursorField`) : undefined;
    this.#startDate = spec.incremental?.startDate ? compileTemplate(spec.incremental.startDate, `${where}/incremental/startDate`) : undefined;
    this.#parentValue = spec.partitions?.kind === 'parent' ? compileExpression(spec.partitions.value, `${where}/partitions/value`) : undefined;
    this.#filters = context.responseFilters.map((filter, index) => ({
      spec: filter,
      ...(filter.bodyMatches ? { matches: compileExpression(filter.bodyMatches, `/responseFilters/${index}/bodyMatches`) } : {}),
    }));
  }

  get method(): string {
    return this.spec.request.method ?? 'GET';
  }

  async #firstRequest(bindings: Bindings): Promise<PageRequest> {
    const path = String(await this.#path.render(bindings));
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(`${this.#context.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
    for (const [key, template] of Object.entries({ ...this.#context.defaultQuery, ...this.#query })) {
      const value = await template.render(bindings);
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [key, template] of Object.entries({ ...this.#context.defaultHeaders, ...this.#headers })) headers[key] = String((await template.render(bindings)) ?? '');
    const body = this.#body ? ((await this.#body(bindings)) as Record<string, unknown>) : undefined;
    const request: PageRequest = { url, headers, ...(body ? { body } : {}) };
    const incremental = this.spec.incremental;
    const state = bindings['state'] as { cursor?: string } | undefined;
    if (incremental?.param && state?.cursor) place(request, incremental.param, state.cursor);
    return request;
  }

  /**
   * Sends one page request: auth, then the first matching response filter acts — `ignore` (an empty page),
   * `fail`, `refreshAuth` (or any 401: re-authenticate once), `retry` and `rateLimited` (wait, then send again, at
   * most retry.maxAttempts times; `rateLimited` honours Retry-After up to the delay cap).
   */
  async #send(request: PageRequest, signal: AbortSignal | undefined): Promise<{ response: HttpResponse; ignore: boolean }> {
    const retry = this.#context.http.retry;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt += 1) {
      const prepared = { url: new URL(request.url), headers: { ...request.headers } };
      await this.#context.auth.apply(prepared);
      if (request.body) prepared.headers['content-type'] = 'application/json';
      const response = await this.#context.http.send(
        {
          method: this.method,
          url: prepared.url,
          headers: prepared.headers,
          ...(request.body ? { body: JSON.stringify(request.body) } : {}),
          stream: this.name,
          readsOnly: this.method === 'POST' && this.spec.request.search === true,
        },
        signal,
      );
      const filter = await this.#matchingFilter(response);
      const action = filter?.action;
      if ((action === 'refreshAuth' || (action === undefined && response.status === 401)) && !reauthenticated && this.#context.auth.invalidate()) {
        reauthenticated = true;
        continue;
      }
      if (action === 'ignore') return { response, ignore: true };
      if ((action === 'retry' || action === 'rateLimited') && attempt < retry.maxAttempts) {
        await sleep(this.#retryDelay(action, response, attempt), undefined, signal ? { signal } : undefined);
        continue;
      }
      if (action !== undefined || response.status >= 400) throw this.#statusError(response, filter?.message);
      return { response, ignore: false };
    }
  }

  #retryDelay(action: 'retry' | 'rateLimited', response: HttpResponse, attempt: number): number {
    const retry = this.#context.http.retry;
    const backoff = Math.min(retry.maxDelayMs, retry.initialDelayMs * retry.multiplier ** (attempt - 1));
    const seconds = Number(response.headers.get('retry-after'));
    if (action === 'rateLimited' && Number.isFinite(seconds) && seconds >= 0) return Math.min(retry.maxDelayMs, seconds * 1000);
    return retry.jitter ? Math.random() * backoff : backoff;
  }

  /** The first response filter whose status and body condition match; the body is parsed once, if a filter asks. */
  async #matchingFilter(response: HttpResponse): Promise<ResponseFilterSpec | undefined> {
    let body: unknown;
    let parsed = false;
    for (const filter of this.#filters) {
      if (!matchesStatus(filter.spec, response.status)) continue;
      if (filter.matches) {
        if (!parsed) {
          parsed = true;
          try {
            body = JSON.parse(response.body.toString('utf8'));
          } catch {
            body = undefined;
          }
        }
        if (body === undefined || !(await filter.matches.evaluate(body, { config: this.#context.config }))) continue;
      }
      return filter.spec;
    }
    return undefined;
  }

  #statusError(response: HttpResponse, message?: string): PullPushError {
    const shown = this.#context.redactor.url(response.url);
    // Redacted before it is cut: a secret across the cut would otherwise show in part.
    const snippet = this.#context.redactor.text(response.body.toString('utf8', 0, MAX_ERROR_SNIPPET_SOURCE)).slice(0, 300);
    return new PullPushError(
      EngineErrorCode.HttpStatus,
      `${this.method} ${shown} answered ${response.status} (stream ${this.name})${message ? `: ${message}` : ''}${snippet ? ` — ${snippet}` : ''}`,
      {
        hint:
          response.status === 401 || response.status === 403
            ? 'Check the connection credentials and their permissions.'
            : response.status === 404
              ? 'Check the request path of the stream, and any ids it uses.'
              : 'Declare a response filter if this status is expected (ignore, retry, fail).',
      },
    );
  }

  /** The records of a page, and how many the page held before the record filter (pagination counts those). */
  async #extract(body: unknown, bindings: Bindings): Promise<{ records: unknown[]; total: number }> {
    let value = this.#records ? await this.#records.evaluate(body, bindings) : body;
    if (value === undefined || value === null) return { records: [], total: 0 };
    if (this.spec.records?.single || !Array.isArray(value)) value = [value];
    const records = value as unknown[];
    if (!this.#filter) return { records, total: records.length };
    const kept: unknown[] = [];
    for (const record of records) if (await this.#filter.evaluate(record, { ...bindings, record })) kept.push(record);
    return { records: kept, total: records.length };
  }

  async #partitions(options: ReadOptions): Promise<Array<{ value: unknown; parent?: unknown }>> {
    const spec = this.spec.partitions;
    const max = options.limits?.maxPartitions ?? DEFAULT_MAX_PARTITIONS;
    let partitions: Array<{ value: unknown; parent?: unknown }>;
    if (!spec) partitions = [{ value: undefined }];
    else if (spec.kind === 'list') partitions = spec.values.map((value) => ({ value }));
    else if (spec.kind === 'config') {
      const values = this.#context.config[spec.key];
      partitions = Array.isArray(values) ? values.map((value) => ({ value })) : [];
    } else {
      const path = this.#parentValue as CompiledExpression;
      partitions = [];
      for await (const parent of this.#context.readParent(spec.stream, options.signal)) {
        partitions.push({ value: await path.evaluate(parent, {}), parent });
        if (partitions.length > max) break;
      }
    }
    if (options.partitions) {
      const wanted = new Set(options.partitions.map(partitionKey));
      partitions = partitions.filter((partition) => wanted.has(partitionKey(partition.value)));
    }
    if (partitions.length > max) {
      throw new PullPushError(EngineErrorCode.PartitionLimit, `Stream ${this.name} has more than ${max} partitions.`, {
        hint: 'Raise limits.maxPartitions if this is expected, or narrow the partitions.',
      });
    }
    return partitions;
  }

  /** Reads the stream: records (or failures) as they come, a page message and a state checkpoint per page. */
  async *read(options: ReadOptions = {}, mode: 'canonical' | 'native' = 'canonical'): AsyncGenerator<ReadMessage> {
    const state: StreamState = structuredClone(options.state ?? { partitions: {} });
    const maxPages = options.limits?.maxPages ?? DEFAULT_MAX_PAGES;
    const maxRecords = options.limits?.maxRecords ?? Number.POSITIVE_INFINITY;
    const incremental = this.spec.incremental;
    let recordCount = 0;
    for (const partition of await this.#partitions(options)) {
      const key = partitionKey(partition.value);
      const stored = state.partitions[key]?.cursor;
      const start = stored ?? (this.#startDate ? String((await this.#startDate.render({ config: this.#context.config, now: this.#context.now })) ?? '') || undefined : undefined);
      const requestCursor = start && incremental ? applyLookback(start, incremental) : undefined;
      const threshold = requestCursor && incremental ? cursorValue(requestCursor, incremental.format) : undefined;
      const bindings: Bindings = {
        config: this.#context.config,
        state: requestCursor === undefined ? {} : { cursor: requestCursor },
        partition: partition.value ?? null,
        parent: partition.parent ?? null,
        now: this.#context.now,
      };
      let maxSeen = stored && incremental ? cursorValue(stored, incremental.format) : undefined;
      let request: PageRequest | null = this.#paginator.first(await this.#firstRequest(bindings));
      let index = 0;
      const seen = new Set<string>();
      let reason: 'exhausted' | 'page-limit' | 'record-limit' = 'exhausted';
      while (request) {
        if (index >= maxPages) {
          reason = 'page-limit';
          break;
        }
        const { response, ignore } = await this.#send(request, options.signal);
        const body = ignore ? null : parseBody(response.body, this.#context.format, this.#context.redactor.url(response.url), (text) => this.#context.redactor.text(text));
        const { records, total } = ignore ? { records: [], total: 0 } : await this.#extract(body, bindings);
        yield {
          type: 'page', stream: this.name, partition: key, index, method: this.method, url: this.#context.redactor.url(response.url),
          status: response.status, records: records.length, elapsedMs: Math.round(response.elapsedMs), attempts: response.attempts,
        };
        for (const native of records) {
          if (recordCount >= maxRecords) break;
          if (this.#cursorField && incremental) {
            const value = cursorValue(await this.#cursorField.evaluate(native, bindings), incremental.format);
            // Without a request parameter the engine filters by the cursor itself.
            if (!incremental.param && threshold !== undefined && value !== undefined && value < threshold) continue;
            if (value !== undefined && (maxSeen === undefined || value > maxSeen)) maxSeen = value;
          }
          recordCount += 1;
          if (mode === 'native' || !this.#mapping) {
            yield { type: 'raw', stream: this.name, partition: key, record: native };
            continue;
          }
          let mapped = this.#mapping.map(native, bindings);
          if (mapped instanceof Promise) mapped = await mapped;
          if (mapped.ok) {
            const event = createCanonicalEvent(this.canonical as CanonicalTypeDefinition, mapped.record, { validate: false });
            yield { type: 'record', stream: this.name, partition: key, event, ...(options.withNative ? { native } : {}) };
          } else {
            const message = this.#context.redactor.text(mapped.message);
            yield { type: 'failure', stream: this.name, partition: key, remoteId: mapped.remoteId, message, issues: mapped.issues, ...(options.withNative ? { native } : {}) };
          }
        }
        yield { type: 'state', stream: this.name, state: structuredClone(state) };
        if (recordCount >= maxRecords) {
          reason = 'record-limit';
          break;
        }
        request = ignore ? null : await this.#paginator.next({ request, response, body, recordCount: total, index, seen }, bindings);
        index += 1;
      }
      // The cursor moves only when a partition was read to its end, so an interrupted read is read again.
      if (reason === 'exhausted' && incremental && maxSeen !== undefined) {
        state.partitions[key] = { cursor: formatCursor(maxSeen, incremental.format) };
        yield { type: 'state', stream: this.name, state: structuredClone(state) };
      }
      yield { type: 'end', stream: this.name, partition: key, pages: index, reason };
      if (reason === 'record-limit') break;
    }
  }
}
