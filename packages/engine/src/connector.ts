// compileConnector: a validated definition plus a connection's config, compiled once into an object that
// checks the connection and reads streams. Every request goes through the connection's HTTP client, rate
// limiter, auth provider and network policy; every text that leaves it is redacted.
import { PullPushError, getCanonicalType, type CanonicalTypeDefinition } from '@pullpush/canonical';
import type { ConnectorDefinition } from '@pullpush/schema';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createAuthProvider, type AuthProvider } from './auth.ts';
import { EngineErrorCode } from './errors.ts';
import { compileTemplate, type ExpressionLimits } from './expr/compile.ts';
import { DEFAULT_RETRY, HttpClient } from './net/http-client.ts';
import { NetworkPolicy, type NetworkOptions } from './net/policy.ts';
import { RateLimiter } from './net/rate-limiter.ts';
import { Redactor } from './redact.ts';
import { CompiledStream, type ReadMessage, type ReadOptions } from './stream.ts';
import { assertValidDefinition } from './valid-definition.ts';

export interface ConnectorOptions extends NetworkOptions {
  /** Connection id, recorded in every record's source identity (default "default"). */
  connection?: string;
  /** Persists a rotated refresh token (or another config value the connector learns) under `key`. */
  onConfigUpdate?: (key: string, value: string) => void | Promise<void>;
  /** Bounds on expression evaluation. */
  expressions?: ExpressionLimits;
  /** Fixed run time ($now), for deterministic runs; default: now. */
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
  /** Canonical type of a stream, or undefined for a raw stream. */
  canonicalType(stream: string): CanonicalTypeDefinition | undefined;
  /** Reads the first page of the check stream (or of the first stream): throws when the connection does not work. */
  check(signal?: AbortSignal): Promise<{ stream: string; status: number; records: number }>;
  read(stream: string, options?: ReadOptions): AsyncGenerator<ReadMessage>;
  /** The same stream's native records (no mapping). */
  readNative(stream: string, options?: ReadOptions): AsyncGenerator<ReadMessage>;
  /** Requests sent so far, retries included. */
  readonly requestCount: number;
  /** Redacts secrets from any text (for the embedding application's own logs). */
  redact(text: string): string;
  close(): Promise<void>;
}

function configErrors(definition: ConnectorDefinition, config: Record<string, unknown>): string[] {
  if (!definition.config) return [];
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(definition.config);
  if (validate(config)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

export async function compileConnector(definition: unknown, config: Record<string, unknown>, options: ConnectorOptions = {}): Promise<Connector> {
  // Plain http is the embedding application's decision (local tests), not a definition error then.
  const def = assertValidDefinition(definition, { allowInsecureHttp: options.allowInsecureHttp === true });
  const redactor = new Redactor();
  const properties = ((def.config as Record<string, unknown> | undefined)?.['properties'] ?? {}) as Record<string, { secret?: boolean }>;
  for (const [key, schema] of Object.entries(properties)) if (schema.secret && typeof config[key] === 'string') redactor.add(config[key] as string);
  const problems = configErrors(def, config);
  if (problems.length > 0) {
    throw new PullPushError(EngineErrorCode.InvalidConfig, `The connection config does not match the definition's config schema: ${redactor.text(problems.join('; '))}`, {
      hint: 'Supply every required config value with the right type.',
    });
  }

  const bindings = { config };
  const baseUrl = options.baseUrl ?? String(await compileTemplate(def.http.baseUrl, '/http/baseUrl').render(bindings));
  const hosts = new Set<string>(def.http.allowedHosts ?? []);
  const baseHost = hostOf(baseUrl);
  if (baseHost) hosts.add(baseHost);
  const auth = def.auth as Record<string, unknown>;
  for (const key of ['tokenUrl', 'authorizeUrl']) {
    if (typeof auth[key] === 'string') {
      const host = hostOf(String(await compileTemplate(auth[key] as string, `/auth/${key}`).render(bindings)));
      if (host) hosts.add(host);
    }
  }
  const policy = new NetworkPolicy(hosts, options, redactor);
  const limiter = new RateLimiter({
    ...(def.rateLimits?.budgets ? { budgets: def.rateLimits.budgets } : {}),
    ...(def.rateLimits?.maxConcurrency ? { maxConcurrency: def.rateLimits.maxConcurrency } : {}),
    ...(def.rateLimits?.headers ? { headers: def.rateLimits.headers } : {}),
  });
  const retry = { ...DEFAULT_RETRY, ...Object.fromEntries(Object.entries(def.retry ?? {}).filter(([, value]) => value !== undefined)) };
  const http = new HttpClient(policy, retry, limiter, options.timeoutMs ?? def.http.timeoutMs ?? 30_000, options.readOnly ?? false);
  const connection = options.connection ?? 'default';
  const authProvider: AuthProvider = await createAuthProvider(def.auth, {
    config,
    http,
    redactor,
    baseUrl: new URL(baseUrl),
    ...(options.onConfigUpdate ? { onConfigUpdate: options.onConfigUpdate } : {}),
  });

  const streams = new Map<string, CompiledStream>();
  const context = {
    connector: def.id,
    connection,
    config,
    baseUrl,
    defaultHeaders: Object.fromEntries(Object.entries(def.http.headers ?? {}).map(([key, value]) => [key.toLowerCase(), compileTemplate(value, `/http/headers/${key}`)])),
    defaultQuery: Object.fromEntries(Object.entries(def.http.query ?? {}).map(([key, value]) => [key, compileTemplate(value, `/http/query/${key}`)])),
    format: def.http.format ?? 'json',
    http,
    auth: authProvider,
    redactor,
    responseFilters: def.responseFilters ?? [],
    now: (options.now ?? new Date()).toISOString(),
    readParent: async function* (name: string, signal?: AbortSignal) {
      for await (const message of stream(name).read(signal ? { signal } : {}, 'native')) if (message.type === 'raw') yield message.record;
    },
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

  return {
    id: def.id,
    connection,
    streams: [...streams.keys()],
    canonicalType: (name) => stream(name).canonical,
    async check(signal) {
      const name = def.check?.stream ?? [...streams.keys()][0] ?? '';
      for await (const message of stream(name).read({ limits: { maxPages: 1 }, ...(signal ? { signal } : {}) }, 'native')) {
        if (message.type === 'page') return { stream: name, status: message.status, records: message.records };
      }
      return { stream: name, status: 0, records: 0 };
    },
    read: (name, readOptions) => stream(name).read(readOptions),
    readNative: (name, readOptions) => stream(name).read(readOptions, 'native'),
    get requestCount() {
      return http.requestCount;
    },
    redact: (text) => redactor.text(text),
    close: () => http.close(),
  };
}
