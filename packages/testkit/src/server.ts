// startTestApi: the HTTP server on 127.0.0.1 that ties the parts together. For each request, in this order:
// log it, run the test's onRequest hook (which may change data), pick a fault (some replace the answer outright),
// match a route, apply the rate limit and the auth check (credential endpoints are exempt from both; public routes
// are served anonymously instead of refused), run the handler, and write the reply, distorted if a fault says so.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthState, type AuthOptions } from './auth.ts';
import { createRecord } from './create.ts';
import { generateDataset } from './data/dataset.ts';
import type { Dataset, DatasetCounts, Id, ResourceName, ResourceRecord } from './data/types.ts';
import { DEFAULT_FOREIGN_ORIGIN, DEFAULT_REDIRECT_LOCATION, FaultPlan, routeMatches, type Fault } from './faults.ts';
import { JSON_TYPE, problem, type ApiStyle, type PagingFault, type Reply, type RequestContext } from './http.ts';
import { Idempotency } from './idempotency.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { RequestLog, type RecordedRequest, type RequestFilter } from './request-log.ts';
import { matchRoute, type Route, type Services } from './router.ts';
import { ROUTES } from './routes/index.ts';
import { REDMINE_PUBLIC_ROUTES } from './routes/redmine.ts';
import { sendHuge, sendNothing, sendReply, sendSlowly, sendTruncated } from './send.ts';
import { compressed, type CompressionOption } from './compression.ts';
import { resolveSettings, type PaginationOptions } from './settings.ts';
import { Store } from './store.ts';
import { parseClientTime } from './time.ts';

export interface TestApiOptions {
  /** Same seed → byte-identical data and responses. Default 1. */
  seed?: number;
  /** How many records of each resource to generate; unset counts keep their small defaults. */
  dataset?: Partial<DatasetCounts>;
  /** Credentials every route except /oauth/token and /session requires. Default none. */
  auth?: AuthOptions;
  /** A request budget for the authenticated routes; 429 with Retry-After beyond it. Default none. */
  rateLimit?: RateLimitOptions;
  faults?: readonly Fault[];
  /** Default 0: an ephemeral port. The host is always 127.0.0.1. */
  port?: number;
  /** Largest request body accepted, in bytes (413 beyond). Default 1 MiB. */
  maxRequestBytes?: number;
  /** Page-size cap, totals in headers and numbers as strings for the generic collections. */
  pagination?: PaginationOptions;
  /**
   * Routes (exact paths or prefixes ending at a path segment, as fault routes) that serve public data when the
   * credentials are missing, wrong or expired, instead of answering 401. Default DEFAULT_PUBLIC_ROUTES (Redmine's
   * issues and projects); a list replaces it, `[]` makes every route need credentials.
   */
  publicRoutes?: readonly string[];
  /** IANA time zone of the WordPress-like site: its `date` and `modified` fields. Default America/New_York. */
  siteTimeZone?: string;
  /**
   * Whether writes refuse a duplicate of a unique value (the email of customers and contacts, the source_identifier
   * of orders) with 409. Default true. false models APIs that store duplicates (Shopify takes two orders with one
   * source_identifier), where only the client can keep a retried create from making a second record.
   */
  uniqueWrites?: boolean;
  /** Called before each request is served (after it is logged), awaited: a test changes data here, between requests. */
  onRequest?: OnRequest;
  /**
   * Compressed answers: `negotiate` compresses (br, else gzip) when the request accepts it, `gzip` and `br` always.
   * Default none.
   */
  compression?: CompressionOption;
}

/** A test's hook into every request: `request` is the logged request (its status still 0), `api` the server. */
export type OnRequest = (request: RecordedRequest, api: TestApi) => void | Promise<void>;

/** Fields of a record to create or change: the resource's own fields, typed, and any other field a test wants. */
export type RecordFields<R extends ResourceName> = Partial<ResourceRecord<R>> & Record<string, unknown>;

/** The routes that serve public data without valid credentials unless publicRoutes says otherwise. */
export const DEFAULT_PUBLIC_ROUTES: readonly string[] = REDMINE_PUBLIC_ROUTES;

export interface TestApi {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly seed: number;
  /** The records as they are now (after writes, touch and remove): fresh arrays of the live objects; do not mutate. */
  readonly data: Dataset;
  /** Every request served since the start or the last resetRequests(), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Requests to POST /oauth/token and POST /session (since the start or the last resetRequests()). */
  readonly tokenRequests: number;
  /** The refresh token that works now (oauth2RefreshToken auth; it rotates on every refresh), else null. */
  readonly refreshToken: string | null;
  /** How many requests match the filter (all when none is given). */
  count(filter?: RequestFilter): number;
  /** Empties the request log and the token request counter. */
  resetRequests(): void;
  /** Marks records as changed at `at` (default: the next second of the server's logical clock); returns that time. */
  touch(resource: ResourceName, ids: Id | readonly Id[], at?: string | Date): string;
  /** Deletes records, keeping tombstones (served with include_deleted=true); returns the deletion time. */
  remove(resource: ResourceName, ids: Id | readonly Id[]): string;
  /**
   * Adds a record, modelled on the newest one of the resource: the next id, unique fields renewed, created_at and
   * updated_at the next second of the logical clock (or the given updated_at, for late writes); `fields` override.
   * Returns a copy of the new record.
   */
  create<R extends ResourceName>(resource: R, fields?: RecordFields<R>): ResourceRecord<R>;
  /** Changes fields of a record and stamps updated_at (default: the next second of the logical clock); returns a copy. */
  update<R extends ResourceName>(resource: R, id: Id, fields: RecordFields<R>, at?: string | Date): ResourceRecord<R>;
  /** Replaces the onRequest hook, or removes it. */
  setOnRequest(hook: OnRequest | undefined): void;
  /** Replaces the faults (their counters start again). */
  setFaults(faults: readonly Fault[]): void;
  /** Replaces the credentials; tokens issued so far stop working. */
  setAuth(auth: AuthOptions): void;
  /** Replaces the rate limit (a fresh window), or removes it. */
  setRateLimit(rateLimit: RateLimitOptions | undefined): void;
  /** Makes every access and session token issued so far expired: the next request with one gets 401. */
  expireTokens(): void;
  close(): Promise<void>;
}

/** Request headers with lower-cased names, repeated ones joined. */
function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The request body, or 'too-large' once it passes the limit. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return 'too-large';
    chunks.push(chunk);
  }
  return size === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

function idsOf(ids: Id | readonly Id[]): readonly Id[] {
  return Array.isArray(ids) ? ids : [ids as Id];
}

/** Milliseconds of a time given to touch or update, or a RangeError naming the method. */
function instantOf(method: string, at: string | Date | undefined): number | undefined {
  if (at === undefined) return undefined;
  const ms = at instanceof Date ? at.getTime() : parseClientTime(at);
  if (ms === undefined || Number.isNaN(ms)) throw new RangeError(`${method}: "${String(at)}" is not a timestamp`);
  return ms;
}

/** The reply a fault gives instead of the real one, for faults that replace it. */
function faultReply(fault: Fault, style: ApiStyle): Reply | undefined {
  switch (fault.kind) {
    case 'status': {
      const headers = { ...fault.headers, ...(fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }) };
      const reply =
        fault.body === undefined
          ? problem(style, fault.status, 'injected_fault', `injected fault: status ${fault.status}`, headers)
          : { status: fault.status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(fault.body) };
      return { ...reply, status: fault.status };
    }
    case 'redirect':
      return { status: fault.status ?? 302, headers: { location: fault.location ?? DEFAULT_REDIRECT_LOCATION } };
    case 'malformedJson':
      return { status: 200, headers: { 'content-type': JSON_TYPE }, body: fault.body ?? '{"data": [{"id": 1,, "oops"' };
    default:
      return undefined;
  }
}

function pagingFaultOf(fault: Fault | undefined): PagingFault | undefined {
  if (fault?.kind === 'endlessCursor') return { kind: 'endlessCursor' };
  if (fault?.kind === 'trailingEmptyPage') return { kind: 'trailingEmptyPage' };
  if (fault?.kind === 'foreignNextLink') return { kind: 'foreignNextLink', origin: fault.origin ?? DEFAULT_FOREIGN_ORIGIN };
  return undefined;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const seed = options.seed ?? 1;
  const maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024;
  const store = new Store(generateDataset(seed, options.dataset), seed);
  const auth = new AuthState(options.auth ?? { kind: 'none' }, seed);
  const settings = resolveSettings(options.pagination, options.siteTimeZone, options.uniqueWrites);
  const services: Services = { store, auth, idempotency: new Idempotency(), settings };
  const publicRoutes = [...(options.publicRoutes ?? DEFAULT_PUBLIC_ROUTES)];
  let onRequest = options.onRequest;
  const log = new RequestLog();
  let faults = new FaultPlan(options.faults);
  let limiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit);
  const closing = new AbortController();
  let origin = '';

  /** The answer to a request for a route: rate limit, then credentials (or public data), then the handler. */
  async function admitted(route: Route, ctx: RequestContext, url: URL): Promise<Reply> {
    const decision = route.authenticated ? limiter?.take() : undefined;
    if (decision !== undefined && !decision.allowed) return problem(route.style, 429, 'rate_limited', 'Too many requests: wait as Retry-After says.', decision.headers);
    const refusal = route.authenticated ? auth.check(ctx, route.style) : undefined;
    // Public data: without valid credentials the route answers what anonymous visitors may see.
    const anonymous = refusal !== undefined && publicRoutes.some((path) => routeMatches(path, url.pathname));
    const reply = (anonymous ? undefined : refusal) ?? (await route.handle(anonymous ? { ...ctx, anonymous } : ctx, services));
    return decision === undefined ? reply : { ...reply, headers: { ...decision.headers, ...reply.headers } };
  }

  async function serve(req: IncomingMessage, res: ServerResponse, entry: RecordedRequest, body: string | undefined, url: URL): Promise<void> {
    const method = entry.method;
    const match = matchRoute(ROUTES, method, url.pathname);
    const style: ApiStyle = match === undefined ? 'generic' : 'route' in match ? match.route.style : match.style;
    const fault = faults.pick(method, url.pathname);
    if (fault !== undefined) entry.fault = fault.kind;

    // Faults that replace the answer, before anything else looks at the request.
    if (fault?.kind === 'reset' && fault.phase !== 'response') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      if (fault.phase === 'body') entry.status = 200;
      sendNothing(res, fault);
      return;
    }
    if (fault?.kind === 'hugeBody') {
      entry.status = 200;
      await sendHuge(res, fault, closing.signal);
      return;
    }
    let reply = fault === undefined ? undefined : faultReply(fault, style);

    if (reply === undefined) {
      if (match === undefined) reply = problem(style, 404, 'not_found', `no route for ${method} ${url.pathname}`);
      else if (!('route' in match)) {
        reply = problem(style, 405, 'method_not_allowed', `${method} is not allowed here; use ${match.allowed.join(', ')}`, { allow: match.allowed.join(', ') });
      } else {
        const { route, params } = match;
        const ctx: RequestContext = { method, path: url.pathname, query: url.searchParams, headers: entry.headers, body, origin, params, paging: pagingFaultOf(fault), anonymous: false };
        // Refused at the door, before the request counts against a rate limit or its credentials are checked.
        if (route.withoutUserAgent && (entry.headers['user-agent'] ?? '').trim() === '') reply = route.withoutUserAgent();
        else reply = await admitted(route, ctx, url);
      }
    }

    entry.status = reply.status;
    if (fault?.kind === 'reset') {
      // Served, then the connection drops before the answer: the log keeps the status the client never saw.
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slowBody') await sendSlowly(res, reply, fault, closing.signal);
    else if (fault?.kind === 'truncatedJson') await sendTruncated(res, reply, fault);
    else await sendReply(res, compressed(reply, entry.headers['accept-encoding'], options.compression), closing.signal);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // No Date header: the same request gets byte-identical answers, whenever it is made.
    res.sendDate = false;
    // Resolved against our origin as a string, so a path like //host/x stays a path and never names a host.
    const url = URL.parse(`${origin}${req.url ?? '/'}`) ?? new URL('/', origin);
    const headers = headersOf(req);
    const body = await readBody(req, maxRequestBytes);
    const entry = log.add({
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(typeof body === 'string' && body !== 'too-large' ? { body } : {}),
      status: 0,
      at: Date.now(),
    });
    if (body === 'too-large') {
      entry.status = 413;
      await sendReply(res, problem('generic', 413, 'payload_too_large', `request bodies are limited to ${maxRequestBytes} bytes`, { connection: 'close' }), closing.signal);
      return;
    }
    if (onRequest !== undefined) await onRequest(entry, api);
    await serve(req, res, entry, body, url);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in a handler: answer 500 (when still possible) rather than leave the client hanging.
      console.error('@pullpush/testkit: request failed', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': JSON_TYPE });
        res.end(JSON.stringify({ error: { code: 'internal_error', message: String(error) } }));
      } else res.destroy();
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  const api: TestApi = {
    url: origin,
    port,
    seed,
    get data() {
      return store.snapshot();
    },
    get requests() {
      return log.all();
    },
    get tokenRequests() {
      return auth.tokenRequests;
    },
    get refreshToken() {
      return auth.refreshToken;
    },
    count: (filter) => log.count(filter),
    resetRequests() {
      log.clear();
      auth.resetCounters();
    },
    touch(resource, ids, at) {
      const stamp = store.tick(instantOf('touch', at));
      for (const id of idsOf(ids)) {
        if (store.update(resource, id, {}, Date.parse(stamp)) === undefined) throw new RangeError(`touch: no ${resource} with id ${id}`);
      }
      return stamp;
    },
    remove(resource, ids) {
      const stamp = store.tick();
      for (const id of idsOf(ids)) {
        if (!store.remove(resource, id, Date.parse(stamp))) throw new RangeError(`remove: no ${resource} with id ${id}`);
      }
      return stamp;
    },
    create(resource, fields = {}) {
      return structuredClone(createRecord(store, resource, fields)) as unknown as ResourceRecord<typeof resource>;
    },
    update(resource, id, fields, at) {
      for (const name of ['id', 'updated_at'] as const) {
        if (name in fields) throw new RangeError(`update: ${name} cannot be changed${name === 'updated_at' ? '; pass the time as `at`' : ''}`);
      }
      const ms = instantOf('update', at);
      if (store.get(resource, id) === undefined) throw new RangeError(`update: no ${resource} with id ${id}`);
      return structuredClone(store.update(resource, id, { ...fields }, ms)) as unknown as ResourceRecord<typeof resource>;
    },
    setOnRequest(hook) {
      onRequest = hook;
    },
    setFaults(next) {
      faults = new FaultPlan(next);
    },
    setAuth(next) {
      auth.set(next);
    },
    setRateLimit(next) {
      limiter = next === undefined ? undefined : new RateLimiter(next);
    },
    expireTokens() {
      auth.expireTokens();
    },
    async close() {
      if (!server.listening) return;
      closing.abort();
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
  return api;
}
