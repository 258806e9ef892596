// A stream's request (the DSL's `request`), compiled: its path, query, headers and body templates rendered into the
// first request of each partition, on top of the connection's default headers and query. Values placed by
// pagination and incremental settings go in with `place`.
import { PullPushError } from '@pullpush/canonical';
import type { PlacementSpec, StreamSpec } from '@pullpush/schema';
import { EngineErrorCode } from './errors.ts';
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

export class StreamRequest {
  readonly method: string;
  readonly #defaults: ConnectionDefaults;
  readonly #path: SiteTemplate<'request'>;
  readonly #query: Array<[string, SiteTemplate<'request'>]>;
  readonly #headers: Array<[string, SiteTemplate<'request'>]>;
  readonly #body: ((bindings: Bindings<'request'>) => Promise<unknown>) | undefined;

  constructor(stream: string, spec: StreamSpec['request'], defaults: ConnectionDefaults, sites: SiteTable) {
    const at = (...segments: string[]) => pointer('streams', stream, 'request', ...segments);
    this.method = spec.method ?? 'GET';
    this.#defaults = defaults;
    this.#path = sites.template(at('path'), 'request', encodePathValue);
    this.#query = Object.keys(spec.query ?? {}).map((name) => [name, sites.template(at('query', name), 'request')]);
    this.#headers = Object.keys(spec.headers ?? {}).map((name) => [name.toLowerCase(), sites.template(at('headers', name), 'request')]);
    this.#body = sites.templates(at('body'), 'request');
  }

  /** The first request of a partition. */
  async first(bindings: Bindings<'request'>): Promise<PageRequest> {
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
