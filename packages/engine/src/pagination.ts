// Paginators: one per pagination kind of the DSL. Each turns a response into the next request, or null when
// the records are exhausted. An empty page always stops; a repeated cursor or URL stops with an error, and so
// does a next link to another host.
import { PullPushError } from '@pullpush/canonical';
import type { PaginationSpec } from '@pullpush/schema';
import { EngineErrorCode } from './errors.ts';
import { compileExpression, type Bindings, type CompiledExpression } from './expr/compile.ts';
import type { HttpResponse } from './net/http-client.ts';
import type { Redactor } from './redact.ts';

export interface PageRequest {
  url: URL;
  headers: Record<string, string>;
  /** JSON body (search endpoints). */
  body?: Record<string, unknown>;
}

export interface PageResult {
  request: PageRequest;
  response: HttpResponse;
  body: unknown;
  recordCount: number;
  /** Zero-based index of the page within its partition. */
  index: number;
  /** Cursors and next URLs already followed in this partition's walk (one set per walk, kept by the reader). */
  seen: Set<string>;
}

export interface Paginator {
  first(request: PageRequest): PageRequest;
  next(page: PageResult, bindings: Bindings): Promise<PageRequest | null>;
}

type Placement = { in: 'query' | 'body' | 'header'; name: string };

export function clone(request: PageRequest): PageRequest {
  return { url: new URL(request.url), headers: { ...request.headers }, ...(request.body ? { body: structuredClone(request.body) } : {}) };
}

export function place(request: PageRequest, placement: Placement, value: unknown): void {
  const text = value === undefined || value === null ? '' : String(value);
  if (placement.in === 'query') request.url.searchParams.set(placement.name, text);
  else if (placement.in === 'header') request.headers[placement.name.toLowerCase()] = text;
  else {
    request.body ??= {};
    const keys = placement.name.split('.');
    let node = request.body;
    for (const key of keys.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys.at(-1) as string] = value;
  }
}

function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== '' && value !== 0 && !(Array.isArray(value) && value.length === 0);
}

/**
 * Refuses a cursor or URL seen before in the same partition: an API that repeats itself would loop forever. What
 * was seen belongs to one walk through one partition (PageResult.seen), never to the compiled stream: another read
 * or another partition may legitimately meet the same cursor again.
 */
function loopGuard(what: string, redactor: Redactor): { check(seen: Set<string>, value: string, stream: string): void } {
  return {
    check(seen, value, stream) {
      if (seen.has(value)) {
        throw new PullPushError(EngineErrorCode.PaginationLoop, `Stream ${stream}: the API returned the same ${what} twice (${redactor.text(value)}); pagination stopped to avoid an endless loop.`, {
          hint: 'Check that the cursor path and parameter of the pagination settings match the API.',
        });
      }
      seen.add(value);
    },
  };
}

function sameHost(next: URL, current: URL, stream: string, redactor: Redactor): URL {
  if (next.host !== current.host) {
    throw new PullPushError(EngineErrorCode.HostNotAllowed, `Stream ${stream}: refused the next page ${redactor.url(next)}, which is on another host than ${current.host}.`, {
      hint: 'Next links to other hosts are refused: credentials must not follow them.',
    });
  }
  return next;
}

function linkNext(header: string | null, rel: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match && new RegExp(`rel\\s*=\\s*"?([^";]*\\s)?${rel}(\\s[^";]*)?"?`, 'i').test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

export function createPaginator(spec: PaginationSpec | undefined, stream: string, redactor: Redactor): Paginator {
  const where = (key: string) => `/streams/${stream}/pagination/${key}`;
  const stopWhen: CompiledExpression | undefined = spec && 'stopWhen' in spec && spec.stopWhen ? compileExpression(spec.stopWhen, where('stopWhen')) : undefined;
  const stops = async (page: PageResult, bindings: Bindings) => page.recordCount === 0 || (stopWhen ? truthy(await stopWhen.evaluate(page.body, bindings)) : false);
  const withPageSize = (request: PageRequest) => {
    const next = clone(request);
    if (spec && 'pageSize' in spec && spec.pageSize) place(next, spec.pageSize.param, spec.pageSize.value);
    return next;
  };
  const shortPage = (page: PageResult) => spec !== undefined && 'pageSize' in spec && spec.pageSize !== undefined && page.recordCount < spec.pageSize.value;

  switch (spec?.kind ?? 'none') {
    case 'none':
      return { first: clone, next: async () => null };
    case 'cursor': {
      const s = spec as Extract<PaginationSpec, { kind: 'cursor' }>;
      const path = s.cursor.from === 'body' ? compileExpression(s.cursor.path, where('cursor/path')) : undefined;
      const guard = loopGuard('cursor', redactor);
      return {
        first: withPageSize,
        async next(page, bindings) {
          if (await stops(page, bindings)) return null;
          const cursor = path ? await path.evaluate(page.body, bindings) : page.response.headers.get(s.cursor.path);
          if (!truthy(cursor)) return null;
          guard.check(page.seen, String(cursor), stream);
          const next = clone(page.request);
          place(next, s.param, cursor);
          return next;
        },
      };
    }
    case 'offset': {
      const s = spec as Extract<PaginationSpec, { kind: 'offset' }>;
      const total = s.totalPath ? compileExpression(s.totalPath, where('totalPath')) : undefined;
      const start = s.startAt ?? 0;
      return {
        first(request) {
          const next = clone(request);
          place(next, s.offsetParam, start);
          place(next, s.limitParam, s.limit);
          return next;
        },
        async next(page, bindings) {
          if ((await stops(page, bindings)) || page.recordCount < s.limit) return null;
          const offset = start + (page.index + 1) * s.limit;
          if (total) {
            const count = Number(await total.evaluate(page.body, bindings));
            if (Number.isFinite(count) && offset >= count) return null;
          }
          const next = clone(page.request);
          place(next, s.offsetParam, offset);
          return next;
        },
      };
    }
    case 'page': {
      const s = spec as Extract<PaginationSpec, { kind: 'page' }>;
      const totalPages = s.totalPagesPath ? compileExpression(s.totalPagesPath, where('totalPagesPath')) : undefined;
      const start = s.startPage ?? 1;
      return {
        first(request) {
          const next = withPageSize(request);
          place(next, s.pageParam, start);
          return next;
        },
        async next(page, bindings) {
          if ((await stops(page, bindings)) || shortPage(page)) return null;
          const number = start + page.index + 1;
          if (totalPages) {
            const count = Number(await totalPages.evaluate(page.body, bindings));
            if (Number.isFinite(count) && number > count - (start === 0 ? 1 : 0)) return null;
          }
          const next = clone(page.request);
          place(next, s.pageParam, number);
          return next;
        },
      };
    }
    case 'link': {
      const s = spec as Extract<PaginationSpec, { kind: 'link' }>;
      const guard = loopGuard('next link', redactor);
      return {
        first: withPageSize,
        async next(page) {
          if (page.recordCount === 0) return null;
          const link = linkNext(page.response.headers.get('link'), s.rel ?? 'next');
          if (!link) return null;
          const url = sameHost(new URL(link, page.response.url), page.response.url, stream, redactor);
          guard.check(page.seen, url.toString(), stream);
          return { ...clone(page.request), url };
        },
      };
    }
    case 'nextUrl': {
      const s = spec as Extract<PaginationSpec, { kind: 'nextUrl' }>;
      const path = compileExpression(s.path, where('path'));
      const guard = loopGuard('next URL', redactor);
      return {
        first: withPageSize,
        async next(page, bindings) {
          if (await stops(page, bindings)) return null;
          const link = await path.evaluate(page.body, bindings);
          if (!truthy(link)) return null;
          const url = sameHost(new URL(String(link), page.response.url), page.response.url, stream, redactor);
          guard.check(page.seen, url.toString(), stream);
          return { ...clone(page.request), url };
        },
      };
    }
  }
  return { first: clone, next: async () => null };
}
