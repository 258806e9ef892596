// Faults: ways real APIs and networks misbehave, injected on purpose so a client's defences can be tested.
// Each fault can be limited to a route (exact path, or a prefix ending at a path segment), a method, the first
// `times` occurrences, every `every`-th matching request, and requests after the first `after`. The first fault
// in the list that applies to a request wins; the others do not count that request as applied.

export interface FaultScope {
  /** Exact path or path prefix: "/cursor" matches /cursor and /cursor/orders, not /cursor-header/orders. Default: every route. */
  route?: string;
  /** Only requests with this method (GET, POST, …). Default: any. */
  method?: string;
  /** Let the first N matching requests through untouched. Default 0. */
  after?: number;
  /** Apply to every N-th matching request only (the N-th, 2N-th, … after `after`). Default 1: each. */
  every?: number;
  /** Stop after applying this many times. Default: no limit. */
  times?: number;
}

/** Answer with this status instead of serving the request (5xx bursts, 403s…). */
export interface StatusFault extends FaultScope {
  kind: 'status';
  status: number;
  /** Retry-After header: seconds, or an HTTP date. */
  retryAfter?: number | string;
  /** Response body (JSON-encoded); default an error in the route's API style. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Accept the request and never answer, until the client gives up or the server closes. */
export interface TimeoutFault extends FaultScope {
  kind: 'timeout';
  /** `headers` (default): send nothing. `body`: send 200 headers and the first bytes of a body, then stall. */
  phase?: 'headers' | 'body';
}

/** Serve the real response, its body in chunks with pauses in between. */
export interface SlowBodyFault extends FaultScope {
  kind: 'slowBody';
  /** Bytes per chunk. Default 1024. */
  chunkBytes?: number;
  /** Pause before each chunk after the first, in milliseconds. Default 100. */
  delayMs?: number;
}

/** Serve the real response cut short. */
export interface TruncatedJsonFault extends FaultScope {
  kind: 'truncatedJson';
  /** Bytes of the body to keep. Default half. */
  keepBytes?: number;
  /**
   * false (default): a complete HTTP response whose JSON is cut (Content-Length matches the cut body).
   * true: Content-Length announces the whole body and the connection is dropped mid-way.
   */
  abort?: boolean;
}

/** Answer 200 with a JSON content type and a body that is not JSON. */
export interface MalformedJsonFault extends FaultScope {
  kind: 'malformedJson';
  /** The broken body. Default `{"data": [{"id": 1,, "oops"`. */
  body?: string;
}

/** Destroy the connection without answering (ECONNRESET on the client). */
export interface ResetFault extends FaultScope {
  kind: 'reset';
  /**
   * `request` (default): drop the connection without serving the request. `response`: serve it (a write is
   * applied) and drop the connection instead of answering, the outcome a client cannot tell from the first.
   */
  phase?: 'request' | 'response';
}

/** Redirect elsewhere: the classic SSRF probe. */
export interface RedirectFault extends FaultScope {
  kind: 'redirect';
  /** Default http://169.254.169.254/latest/meta-data/ (cloud metadata). */
  location?: string;
  /** Default 302. */
  status?: 301 | 302 | 303 | 307 | 308;
}

/** Paginated routes point their next page (Link header, next URL) at another host. */
export interface ForeignNextLinkFault extends FaultScope {
  kind: 'foreignNextLink';
  /** Default http://evil.example. */
  origin?: string;
}

/** Answer 200 with a valid JSON body of this many megabytes, streamed, never held in memory. */
export interface HugeBodyFault extends FaultScope {
  kind: 'hugeBody';
  megabytes: number;
  /** Announce the size in Content-Length (a client can refuse early). Default false: chunked. */
  declareLength?: boolean;
}

/** Paginated routes serve the first page again and again, always pointing at the same next page. */
export interface EndlessCursorFault extends FaultScope {
  kind: 'endlessCursor';
}

/**
 * Paginated routes still point at a next page from their last page (next cursor, X-Next-Cursor, next URL, Link
 * rel="next", Slack's next_cursor, Stripe's has_more); that page is empty and points nowhere, as some APIs do.
 */
export interface TrailingEmptyPageFault extends FaultScope {
  kind: 'trailingEmptyPage';
}

export type Fault =
  | StatusFault
  | TimeoutFault
  | SlowBodyFault
  | TruncatedJsonFault
  | MalformedJsonFault
  | ResetFault
  | RedirectFault
  | ForeignNextLinkFault
  | HugeBodyFault
  | EndlessCursorFault
  | TrailingEmptyPageFault;

export type FaultKind = Fault['kind'];

export const DEFAULT_REDIRECT_LOCATION = 'http://169.254.169.254/latest/meta-data/';
export const DEFAULT_FOREIGN_ORIGIN = 'http://evil.example';

interface Entry {
  fault: Fault;
  seen: number;
  applied: number;
}

/** Whether a path is `route` or lies under it (a prefix ending at a path segment); no route matches every path. */
export function routeMatches(route: string | undefined, path: string): boolean {
  if (route === undefined || route === '' || route === '/') return true;
  const prefix = route.endsWith('/') ? route : `${route}/`;
  return path === route.replace(/\/+$/, '') || path.startsWith(prefix);
}

function checkFault(fault: Fault): void {
  for (const name of ['after', 'every', 'times'] as const) {
    const value = fault[name];
    if (value !== undefined && (!Number.isInteger(value) || value < (name === 'every' ? 1 : 0))) {
      throw new RangeError(`fault ${fault.kind}: ${name} must be an integer of at least ${name === 'every' ? 1 : 0}`);
    }
  }
  if (fault.kind === 'hugeBody' && !(fault.megabytes > 0)) throw new RangeError('fault hugeBody: megabytes must be positive');
  if (fault.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new RangeError('fault status: status must be an HTTP status code');
  }
}

export class FaultPlan {
  readonly #entries: Entry[];

  constructor(faults: readonly Fault[] = []) {
    faults.forEach(checkFault);
    this.#entries = faults.map((fault) => ({ fault, seen: 0, applied: 0 }));
  }

  /** The fault to apply to a request, if any; counts the request against every fault it matches. */
  pick(method: string, path: string): Fault | undefined {
    let chosen: Fault | undefined;
    for (const entry of this.#entries) {
      const { fault } = entry;
      if (!routeMatches(fault.route, path) || (fault.method !== undefined && fault.method.toUpperCase() !== method)) continue;
      entry.seen++;
      if (chosen !== undefined) continue;
      const n = entry.seen - (fault.after ?? 0);
      if (n <= 0 || n % (fault.every ?? 1) !== 0) continue;
      if (fault.times !== undefined && entry.applied >= fault.times) continue;
      entry.applied++;
      chosen = fault;
    }
    return chosen;
  }

  /** How many times each fault was applied, in the order given. */
  applied(): number[] {
    return this.#entries.map((entry) => entry.applied);
  }
}
