// What every paginator shares. A paginator starts a walk per partition; the walk turns each page into the next
// request, or null at the end. The rules that keep a read from reporting success on partial data live here: an
// empty page ends a walk only when nothing the API said promises more, a total the API announced must be reached,
// and a cursor or URL seen before is an error, never a silent loop.
import { hash } from 'node:crypto';
import { PullPushError } from '@pullpush/canonical';
import { EngineErrorCode } from '../errors.ts';
import type { HttpResponse } from '../net/http-client.ts';
import { pointer } from '../pointer.ts';
import type { Redactor } from '../redact.ts';
import { clone, place, type PageRequest } from '../request.ts';
import type { Bindings, SiteExpression, SiteTable } from '../sites.ts';

export interface Page {
  request: PageRequest;
  response: HttpResponse;
  body: unknown;
  /** Records the page held, before the record filter. */
  received: number;
  /** Zero-based index of the page in its walk. */
  index: number;
}

/** What a walk learned about the API that a person should know (test reports show them). */
export type Observation =
  | { kind: 'clampedPageSize'; requested: number; received: number }
  | { kind: 'totalChanged'; from: number; to: number }
  | { kind: 'refusedSpeculativePage'; status: number };

export interface Walk {
  readonly first: PageRequest;
  /** The next request, or null at the end; throws ENGINE_INCOMPLETE_READ when the API's own word says more exists. */
  next(page: Page): Promise<PageRequest | null>;
  readonly observations: Observation[];
}

export interface Paginator {
  start(first: PageRequest, bindings: PaginationBindings): Walk;
}

/** The variables of pagination expressions, bar the page's headers (each page brings its own). */
export type PaginationBindings = Omit<Bindings<'pagination'>, 'headers'>;

export interface PaginatorContext {
  stream: string;
  sites: SiteTable;
  redactor: Redactor;
}

/** The pointer of a pagination key of the stream. */
export function at(context: PaginatorContext, ...segments: string[]): string {
  return pointer('streams', context.stream, 'pagination', ...segments);
}

export function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== '' && value !== 0 && !(Array.isArray(value) && value.length === 0);
}

export function headersOf(response: HttpResponse): Record<string, string> {
  return Object.fromEntries(response.headers);
}

/** The bindings of one page's pagination expressions. */
export function pageBindings(bindings: PaginationBindings, page: Page): Bindings<'pagination'> {
  return { ...bindings, headers: headersOf(page.response) };
}

/** A value read from a response: a body path or a header (the DSL's { from, path }). */
export interface ResponseValue {
  read(page: Page, bindings: PaginationBindings): Promise<unknown>;
}

export function responseValue(context: PaginatorContext, spec: { from: 'body' | 'header'; path: string } | undefined, ...segments: string[]): ResponseValue | undefined {
  if (!spec) return undefined;
  if (spec.from === 'header') {
    const name = spec.path.toLowerCase();
    return { read: async (page) => page.response.headers.get(name) ?? undefined };
  }
  const expression = context.sites.expression(at(context, ...segments, 'path'), 'pagination');
  return { read: (page, bindings) => expression.evaluate(page.body, pageBindings(bindings, page)) };
}

/** A count read from a response (a total, a page count): a number, or a string of digits; undefined when absent. */
export async function readCount(value: ResponseValue | undefined, page: Page, bindings: PaginationBindings, what: string, context: PaginatorContext): Promise<number | undefined> {
  if (!value) return undefined;
  const raw = await value.read(page, bindings);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const count = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new PullPushError(EngineErrorCode.InvalidBody, `Stream ${context.stream}: ${what} in the response of ${context.redactor.url(page.response.url)} is ${context.redactor.text(JSON.stringify(raw) ?? String(raw))}, not a count.`, {
      hint: `Check where the pagination settings read ${what}.`,
    });
  }
  return count;
}

export function stopWhen(context: PaginatorContext, spec: { stopWhen?: string | undefined }): SiteExpression<'pagination'> | undefined {
  return spec.stopWhen === undefined ? undefined : context.sites.expression(at(context, 'stopWhen'), 'pagination');
}

export function incomplete(context: PaginatorContext, page: Page, message: string, hint: string): PullPushError {
  return new PullPushError(EngineErrorCode.IncompleteRead, `Stream ${context.stream}: ${message} (after ${context.redactor.url(page.response.url)}); the read is incomplete.`, { hint });
}

/**
 * The record total an API announces, page after page: a change is observed, and a total that falls while the walk
 * pages by position is an error (records before the position went, so later ones shifted past it unseen).
 */
export class AnnouncedTotal {
  value: number | undefined;
  readonly #context: PaginatorContext;
  readonly #observations: Observation[];

  constructor(context: PaginatorContext, observations: Observation[]) {
    this.#context = context;
    this.#observations = observations;
  }

  update(total: number | undefined, page: Page): void {
    if (total === undefined) return;
    if (this.value !== undefined && total !== this.value) {
      this.#observations.push({ kind: 'totalChanged', from: this.value, to: total });
      if (total < this.value) throw shrank(this.#context, page, this.value, total);
    }
    this.value = total;
  }
}

/** A walk's first request, with the page size asked for when the definition asks for one. */
export function firstPage(request: PageRequest, pageSize: { param: Parameters<typeof place>[1]; value: number } | undefined): PageRequest {
  const first = clone(request);
  if (pageSize) place(first, pageSize.param, pageSize.value);
  return first;
}

/** The request for the next position, marked speculative (asked for without evidence that it exists) or not. */
export function nextPosition(current: PageRequest, placement: Parameters<typeof place>[1], value: number, speculative: boolean): PageRequest {
  const next = clone(current);
  place(next, placement, value);
  if (speculative) next.speculative = true;
  else delete next.speculative;
  return next;
}

/** The total fell while the walk paged by position: later pages shifted, and records between them were skipped. */
export function shrank(context: PaginatorContext, page: Page, from: number, to: number): PullPushError {
  return incomplete(
    context,
    page,
    `the total went from ${from} to ${to} while reading: records removed before the current position shift every later page, so some were skipped`,
    'Run the read again (an incremental read sees fewer changes at once), or page by a cursor (keyset) where the API offers one: it does not shift.',
  );
}

/** Longest cursor or next link followed: continuation tokens run to a few kilobytes, not megabytes. */
export const MAX_CURSOR_LENGTH = 64 * 1024;

/**
 * Refuses a cursor or URL seen before in the same walk: an API that repeats itself would loop forever. The memory
 * belongs to one walk through one partition: another read or partition may meet the same cursor again. It keeps a
 * digest of each value, not the value, and refuses values beyond MAX_CURSOR_LENGTH, so an API sending huge
 * cursors cannot fill the memory page by page.
 */
export function loopGuard(what: string, context: PaginatorContext): (value: string) => void {
  const seen = new Set<string>();
  return (value) => {
    if (value.length > MAX_CURSOR_LENGTH) {
      throw new PullPushError(EngineErrorCode.CursorTooLarge, `Stream ${context.stream}: the API returned a ${what} of ${value.length} characters (at most ${MAX_CURSOR_LENGTH} are followed); the read stopped and is incomplete.`, {
        hint: 'Check that the pagination settings point at the cursor or next link, not at a field holding data.',
      });
    }
    const digest = hash('sha256', value, 'base64');
    if (seen.has(digest)) {
      throw new PullPushError(EngineErrorCode.PaginationLoop, `Stream ${context.stream}: the API returned the same ${what} twice (${context.redactor.text(value.slice(0, 200))}); pagination stopped to avoid an endless loop.`, {
        hint: 'Check that the cursor path and parameter of the pagination settings match the API.',
      });
    }
    seen.add(digest);
  };
}

export function sameHost(next: URL, current: URL, context: PaginatorContext): URL {
  if (next.host !== current.host) {
    throw new PullPushError(EngineErrorCode.HostNotAllowed, `Stream ${context.stream}: refused the next page ${context.redactor.url(next)}, which is on another host than ${current.host}.`, {
      hint: 'Next links to other hosts are refused: credentials must not follow them.',
    });
  }
  return next;
}
