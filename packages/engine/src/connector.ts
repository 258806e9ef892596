// compileConnector: a validated definition plus a connection's config, compiled once into an object that
// checks the connection and reads streams. Every request goes through the connection's HTTP client, rate
// limiter, auth provider and network policy; every text that leaves it is redacted.
import { PullPushError, getCanonicalType, type CanonicalTypeDefinition } from '@pullpush/canonical';
import type { ConnectorDefinition } from '@pullpush/schema';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createAuthProvider, type AuthProvider } from './auth/index.ts';
import { EngineErrorCode } from './errors.ts';
import type { ExpressionLimits } from './expr/compile.ts';
import { DEFAULT_RETRY, HttpClient, type RetrySettings } from './net/http-client.ts';
import { NetworkPolicy, type NetworkOptions } from './net/policy.ts';
import { RateLimiter } from './net/rate-limiter.ts';
import { pointer } from './pointer.ts';
import { Redactor } from './redact.ts';
import { ResponseFilters } from './response-filters.ts';
import { recordSites, SiteTable } from './sites.ts';
import { CompiledStream, type ReadMessage, type ReadOptions, type StreamContext } from './stream.ts';
import { assertValidDefinition } from './valid-definition.ts';
import { Writes, type PlannedWrite, type WriteOperationName, type WriteOptions, type WriteResult } from './writes.ts';

export interface ConnectorOptions extends NetworkOptions {
  /** Connection id, recorded in every record's source identity (default "default"). */
  connection?: string;
  /** Persists a rotated refresh token (or another config value the connector learns) under `key`. */
  onConfigUpdate?: (key: string, value: string) => void | Promise<void>;
  /** Bounds on expression evaluation: time per evaluation and recursion depth. */
  expressions?: ExpressionLimits;
  /** Fixed run time ($now() and $millis() in expressions), for deterministic runs; default: now. */
  now?: Date;
  /**
   * Replaces the definition's base URL (a sandbox, a proxy, a local test API); allowed hosts follow it. Token
   * and login URLs that are relative resolve against it.
   */
  baseUrl?: string;
  /** Read-only mode: only GET and HEAD (and POST to search endpoints, token and login requests) are sent. */
  readOnly?: boolean;
}

export interface Connector {
  readonly id: string;
  readonly connection: string;
  readonly streams: readonly string[];
  /** The stream whose first page proves a connection works (the definition's check, else the first stream). */
  readonly checkStream: string;
  /** Canonical type of a stream, or undefined for a raw stream. */
  canonicalType(stream: string): CanonicalTypeDefinition | undefined;
  /** Whether a complete full read of the stream makes records it no longer returns deleted (tombstoneMissing). */
  tombstonesMissing(stream: string): boolean;
  /** Whether the stream pages (its pagination is not "none"). */
  paginated(stream: string): boolean;
  /** Reads the first page of the check stream (or of the first stream): throws when the connection does not work. */
  check(signal?: AbortSignal): Promise<{ stream: string; status: number; records: number }>;
  read(stream: string, options?: ReadOptions): AsyncGenerator<ReadMessage>;
  /** The same stream's native records (no mapping). */
  readNative(stream: string, options?: ReadOptions): AsyncGenerator<ReadMessage>;
  /** Canonical type (name@version) → the write operations the definition declares; empty for a source only. */
  readonly writes: Readonly<Record<string, readonly WriteOperationName[]>>;
  /**
   * Writes one canonical record at the destination: create, update, upsert or delete (the definition's writes).
   * Refused in read-only mode.
   */
  write(type: string, operation: WriteOperationName, record: object, options?: WriteOptions): Promise<WriteResult>;
  /** The request a write would send (checked, built, not sent; secrets redacted): for shadow runs. Allowed in read-only mode. */
  planWrite(type: string, operation: WriteOperationName, record: object, options?: Pick<WriteOptions, 'remoteId'>): Promise<PlannedWrite>;
  /** The remote id of a record at the destination, by the definition's lookup (writes.match); undefined when not found. */
  findRemoteId(type: string, record: object, signal?: AbortSignal | undefined): Promise<string | undefined>;
  /** Requests sent so far, retries included. */
  readonly requestCount: number;
  /** Redacts secrets from any text (for the embedding application's own logs). */
  redact(text: string): string;
  close(): Promise<void>;
}

function configErrors(definition: ConnectorDefinition, config: Record<string, unknown>): string[] {
  if (!definition.config) return [];
  // The definition's validation already checked the config schema against the meta-schema (DSL_INVALID_CONFIG_SCHEMA):
  // checking it again would compile the meta-schema once more, the larger part of this step's cost.
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false, validateSchema: false });
  const validate = ajv.compile(definition.config);
  if (validate(config)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`);
}

/** Config keys the definition marks secret. */
function secretKeys(definition: ConnectorDefinition): string[] {
  const properties = ((definition.config as Record<string, unknown> | undefined)?.['properties'] ?? {}) as Record<string, { secret?: boolean }>;
  return Object.entries(properties).filter(([, schema]) => schema?.secret === true).map(([key]) => key);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** The base URL requests go to: the application's override, else the definition's, rendered over the config. */
async function resolveBaseUrl(sites: SiteTable, config: Record<string, unknown>, override: string | undefined): Promise<string> {
  const template = sites.template('/http/baseUrl', 'connection');
  const rendered = override ?? String((await template.render({ config })) ?? '');
  try {
    return new URL(rendered).toString();
  } catch {
    throw new PullPushError(EngineErrorCode.InvalidConfig, `The base URL ${JSON.stringify(rendered)} is not an absolute URL.`, {
      hint: 'Give the API\'s URL in the connection config (https://tickets.example.com), or check the definition\'s http.baseUrl.',
    });
  }
}

/** The rendered values of a templates map of the connection (http.headers, http.query): they see only $config. */
async function renderAll(sites: SiteTable, map: 'headers' | 'query', keys: readonly string[], config: Record<string, unknown>, lower = false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = await sites.template(pointer('http', map, key), 'connection').render({ config });
    out[lower ? key.toLowerCase() : key] = value === undefined || value === null ? '' : String(value);
  }
  return out;
}

export async function compileConnector(definition: unknown, config: Record<string, unknown>, options: ConnectorOptions = {}): Promise<Connector> {
  // Plain http is the embedding application's decision (local tests), not a definition error then.
  const def = assertValidDefinition(definition, { allowInsecureHttp: options.allowInsecureHttp === true });
  const redactor = new Redactor();
  const secrets = secretKeys(def);
  for (const key of secrets) if (typeof config[key] === 'string') redactor.add(config[key] as string);
  const problems = configErrors(def, config);
  if (problems.length > 0) {
    throw new PullPushError(EngineErrorCode.InvalidConfig, `The connection config does not match the definition's config schema: ${redactor.text(problems.join('; '))}`, {
      hint: 'Supply every required config value with the right type.',
    });
  }
  // Outside auth, expressions see the config without its secrets: a secret cannot reach a URL, a record or a report.
  const publicConfig = Object.fromEntries(Object.entries(config).filter(([key]) => !secrets.includes(key)));
  const timeZone = def.timeZone ?? 'UTC';
  const now = (options.now ?? new Date()).toISOString();
  const sites = new SiteTable(def, { ...options.expressions, timeZone, now });

  const baseUrl = await resolveBaseUrl(sites, publicConfig, options.baseUrl);
  const hosts = new Set<string>(def.http.allowedHosts ?? []);
  const baseHost = hostOf(baseUrl);
  if (baseHost) hosts.add(baseHost);
  const auth = def.auth as Record<string, unknown>;
  for (const key of ['tokenUrl', 'authorizeUrl']) {
    if (typeof auth[key] === 'string') {
      const host = hostOf(String(await sites.template(`/auth/${key}`, 'auth').render({ config })));
      if (host) hosts.add(host);
    }
  }
  // A base URL from config (a self-hosted API) is checked as every request is: scheme, host, address.
  const policy = new NetworkPolicy(hosts, options, redactor);
  const retry: RetrySettings = { ...DEFAULT_RETRY, ...Object.fromEntries(Object.entries(def.retry ?? {}).filter(([, value]) => value !== undefined)) };
  const limiter = new RateLimiter({
    ...(def.rateLimits?.budgets ? { budgets: def.rateLimits.budgets } : {}),
    ...(def.rateLimits?.maxConcurrency ? { maxConcurrency: def.rateLimits.maxConcurrency } : {}),
    ...(def.rateLimits?.headers ? { headers: def.rateLimits.headers } : {}),
  });
  const http = new HttpClient(policy, retry, limiter, options.timeoutMs ?? def.http.timeoutMs ?? 30_000, options.readOnly ?? false);
  const connection = options.connection ?? 'default';
  const authProvider: AuthProvider = await createAuthProvider(def.auth, {
    config,
    http,
    redactor,
    baseUrl: new URL(baseUrl),
    sites,
    ...(options.onConfigUpdate ? { onConfigUpdate: options.onConfigUpdate } : {}),
  });

  const streams = new Map<string, CompiledStream>();
  const context: StreamContext = {
    connector: def.id,
    connection,
    config: publicConfig,
    defaults: {
      baseUrl,
      headers: await renderAll(sites, 'headers', Object.keys(def.http.headers ?? {}), publicConfig, true),
      query: await renderAll(sites, 'query', Object.keys(def.http.query ?? {}), publicConfig),
    },
    format: def.http.format ?? 'json',
    timeZone,
    http,
    auth: authProvider,
    redactor,
    filters: new ResponseFilters(def.responseFilters ?? [], sites, publicConfig, http),
    sites,
    readParent: (name, readOptions) => stream(name).read(readOptions, 'native'),
  };
  for (const [name, spec] of Object.entries(def.streams)) {
    streams.set(name, new CompiledStream(name, spec, spec.canonical ? getCanonicalType(spec.canonical) : undefined, context));
  }
  function stream(name: string): CompiledStream {
    const found = streams.get(name);
    if (!found) {
      throw new PullPushError(EngineErrorCode.UnknownStream, `Connector ${def.id} has no stream "${name}".`, { hint: `Streams: ${[...streams.keys()].join(', ')}.` });
    }
    return found;
  }

  const writes = new Writes(def.writes ?? {}, {
    connector: def.id,
    config: publicConfig,
    defaults: context.defaults,
    format: context.format,
    http,
    auth: authProvider,
    redactor,
    filters: context.filters,
    sites,
  });

  const checkStream = def.check?.stream ?? [...streams.keys()][0] ?? '';
  const connector: Connector = {
    id: def.id,
    connection,
    streams: [...streams.keys()],
    checkStream,
    canonicalType: (name) => stream(name).canonical,
    tombstonesMissing: (name) => stream(name).spec.tombstoneMissing === true,
    paginated: (name) => (stream(name).spec.pagination?.kind ?? 'none') !== 'none',
    async check(signal) {
      for await (const message of stream(checkStream).read({ limits: { maxPages: 1, maxPartitions: 1 }, ...(signal ? { signal } : {}) }, 'native')) {
        if (message.type === 'page') return { stream: checkStream, status: message.status, records: message.records };
      }
      return { stream: checkStream, status: 0, records: 0 };
    },
    read: (name, readOptions) => stream(name).read(readOptions),
    readNative: (name, readOptions) => stream(name).read(readOptions, 'native'),
    writes: writes.operations,
    write: (type, operation, record, writeOptions) => writes.write(type, operation, record, writeOptions),
    planWrite: (type, operation, record, planOptions) => writes.plan(type, operation, record, planOptions),
    findRemoteId: (type, record, signal) => writes.findRemoteId(type, record, signal),
    get requestCount() {
      return http.requestCount;
    },
    redact: (text) => redactor.text(text),
    close: () => http.close(),
  };
  recordSites(connector, sites);
  return connector;
}
