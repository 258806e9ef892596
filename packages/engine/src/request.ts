// The DSL's `request`, compiled: its path, query, headers and body templates rendered on top of the connection's
// default headers and query — a stream's first request of each partition (context `request`), or a write's request
// (context `write`). Values placed by pagination and incremental settings go in with `place`.
import { PullPushError } from '@pullpush/canonical';
import type { PlacementSpec, RequestSpec } from '@pullpush/schema';
import type { AuthProvider } from './auth/index.ts';
import { EngineErrorCode } from './errors.ts';
import type { Classifier, HttpClient, HttpResponse } from './net/http-client.ts';
import { pointer } from './pointer.ts';
import type { Bindings, SiteTable, SiteTemplate } from './sites.ts';

export interface PageRequest {
  url: URL;
  headers: Record<string, string>;
  /** JSON body (search endpoints). */
  body?: Record<string, unknown>;
  /**
   * Sent without evidence that there is more (after a short page, with no total or has-more flag): an error
   * answer to it may mean "no such page", and ends the walk rather than failing the read.
   */
  speculative?: boolean;
}

/** The connection's own headers and query, rendered once (they see only $config). */
export interface ConnectionDefaults {
  baseUrl: string;
  headers: Record<string, string>;
  query: Record<string, string>;
}

/** Names that would reach Object.prototype when a body path is walked. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

export function clone(request: PageRequest): PageRequest {
  return { url: new URL(request.url), headers: { ...request.headers }, ...(request.body ? { body: structuredClone(request.body) } : {}) };
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** Puts a value where a placement names: a query parameter, a header, or a (dotted) body field, own properties only. */
export function place(request: PageRequest, placement: PlacementSpec, value: unknown): void {
  if (placement.in === 'query') request.url.searchParams.set(placement.name, text(value));
  else if (placement.in === 'header') request.headers[placement.name.toLowerCase()] = text(value);
  else {
    const keys = placement.name.split('.');
    if (keys.some((key) => FORBIDDEN_SEGMENTS.has(key))) {
      throw new PullPushError(EngineErrorCode.InvalidDefinition, `The body field "${placement.name}" cannot be written: it names ${keys.find((key) => FORBIDDEN_SEGMENTS.has(key))}.`, {
        hint: 'Body fields named __proto__, constructor or prototype are refused.',
      });
    }
    request.body ??= {};
    let node: Record<string, unknown> = request.body;
    for (const key of keys.slice(0, -1)) {
      const child = Object.hasOwn(node, key) ? node[key] : undefined;
      if (typeof child !== 'object' || child === null || Array.isArray(child)) {
        const created: Record<string, unknown> = {};
        Object.defineProperty(node, key, { value: created, enumerable: true, writable: true, configurable: true });
        node = created;
      } else node = child as Record<string, unknown>;
    }
    Object.defineProperty(node, keys.at(-1) as string, { value, enumerable: true, writable: true, configurable: true });
  }
}

/** `.` and `..`, which a URL resolves (a `%` in a value is encoded, so `%2e` cannot arise from one). */
const DOT_SEGMENT = /^\.{1,2}$/;

/**
 * What may not stand in a URL path segment is encoded; `/` is kept so values like owner/name work, unless the value
 * holds a dot segment: `../admin` from an API would climb out of the base path, so such a value becomes one segment
 * (its slashes encoded). A value that is itself `.` or `..` cannot stand anywhere in a path and is refused.
 */
function encodePathValue(text: string): string {
  const encoded = text.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (char) => encodeURIComponent(char));
  const segments = encoded.split('/');
  if (!segments.some((segment) => DOT_SEGMENT.test(segment))) return encoded;
  if (segments.length === 1) {
    throw new PullPushError(EngineErrorCode.UnsafePathValue, `The value ${JSON.stringify(text)} cannot stand in a URL path: it would be read as a step up or a no-op.`, {
      hint: 'The value comes from the API or the config (a partition, a parent record); the read stops rather than request another path.',
    });
  }
  return encoded.replaceAll('/', '%2F');
}

/** The contexts a request is evaluated in: a stream's, or a write's. */
export type RequestContext = 'request' | 'write';

export class CompiledRequest<C extends RequestContext = 'request'> {
  readonly method: string;
  readonly #defaults: ConnectionDefaults;
  readonly #path: SiteTemplate<C>;
  readonly #query: Array<[string, SiteTemplate<C>]>;
  readonly #headers: Array<[string, SiteTemplate<C>]>;
  readonly #body: ((bindings: Bindings<C>) => Promise<unknown>) | undefined;

  /** `where`: the JSON pointer of the request object in the definition (/streams/orders/request). */
  constructor(where: string, spec: RequestSpec, defaults: ConnectionDefaults, sites: SiteTable, context: C) {
    const at = (...segments: string[]) => `${where}${pointer(...segments)}`;
    this.method = spec.method ?? 'GET';
    this.#defaults = defaults;
    this.#path = sites.template(at('path'), context, encodePathValue);
    this.#query = Object.keys(spec.query ?? {}).map((name) => [name, sites.template(at('query', name), context)]);
    this.#headers = Object.keys(spec.headers ?? {}).map((name) => [name.toLowerCase(), sites.template(at('headers', name), context)]);
    this.#body = sites.templates(at('body'), context);
  }

  /** The request: a stream's first request of a partition, or a write's. */
  async build(bindings: Bindings<C>): Promise<PageRequest> {
    const path = text(await this.#path.render(bindings));
    const base = this.#defaults.baseUrl;
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(`${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
    for (const [name, value] of Object.entries(this.#defaults.query)) if (value !== '') url.searchParams.set(name, value);
    for (const [name, template] of this.#query) {
      const value = await template.render(bindings);
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, text(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...this.#defaults.headers };
    for (const [name, template] of this.#headers) headers[name] = text(await template.render(bindings));
    const body = this.#body ? ((await this.#body(bindings)) as Record<string, unknown>) : undefined;
    return { url, headers, ...(body ? { body } : {}) };
  }
}

export interface SendSettings {
  method: string;
  /** For messages: the stream (or write) the request belongs to. */
  stream: string;
  /** A POST that only reads (a search endpoint). */
  readsOnly?: boolean;
  /** false: a write that must not be sent twice (see HttpRequest.repeatable). */
  repeatable?: boolean;
  signal?: AbortSignal | undefined;
  classify: Classifier;
}

/**
 * Sends one request: credentials added, then the verdict of the classifier (response filters). The HTTP client has
 * already retried what it calls retry or rateLimited; a refreshAuth (or a 401) re-authenticates once.
 */
export async function sendRequest(http: HttpClient, auth: AuthProvider, request: PageRequest, settings: SendSettings): Promise<HttpResponse> {
  let reauthenticated = false;
  for (;;) {
    const prepared = { url: new URL(request.url), headers: { ...request.headers } };
    await auth.apply(prepared);
    if (request.body) prepared.headers['content-type'] = 'application/json';
    const response = await http.send(
      {
        method: settings.method,
        url: prepared.url,
        headers: prepared.headers,
        ...(request.body ? { body: JSON.stringify(request.body) } : {}),
        stream: settings.stream,
        ...(settings.readsOnly ? { readsOnly: true } : {}),
        ...(settings.repeatable === false ? { repeatable: false } : {}),
      },
      { signal: settings.signal, classify: settings.classify },
    );
    if (response.verdict.action === 'refreshAuth' && !reauthenticated && auth.invalidate()) {
      reauthenticated = true;
      continue;
    }
    return response;
  }
}
