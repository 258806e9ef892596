// The engine's HTTP layer and the one owner of retries: ky for the attempt loop (backoff with jitter, timeouts, a
// deadline), a classifier (response filters) judging every attempt, waits the API asks for read in one place
// (retry-timing.ts); over an undici dispatcher whose DNS lookup refuses private addresses (no DNS-rebinding gap
// between the check and the connection), with manual redirects (same host only), compressed answers decoded
// (content-encoding.ts), a cap on every body and a rate limiter per attempt.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { PullPushError } from '@pullpush/canonical';
import ky, { isForceRetryError, isTimeoutError } from 'ky';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { acceptEncodingFor, decodedBody } from './content-encoding.ts';
import { EngineErrorCode } from '../errors.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { PRIVATE_ADDRESS_HINT, type NetworkPolicy } from './policy.ts';
import { requestedWaitMs } from './retry-timing.ts';

export interface RetrySettings {
  statuses: number[];
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: boolean;
  respectRetryAfter: boolean;
  deadlineMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  statuses: [408, 425, 429, 500, 502, 503, 504],
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 60_000,
  multiplier: 2,
  jitter: true,
  respectRetryAfter: true,
  deadlineMs: 300_000,
};

// Ways a request asks a server to treat it as another method (Rails, Laravel, Google and Microsoft APIs accept
// them): a read-only run refuses them unless they ask for a read.
const OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override'];
const OVERRIDE_PARAM = '_method';

function methodOverride(request: { url: URL; headers: Record<string, string>; body?: string }): { via: string; method: string } | undefined {
  const asked: Array<[string, string | null | undefined]> = [];
  for (const [name, value] of Object.entries(request.headers)) if (OVERRIDE_HEADERS.includes(name.toLowerCase())) asked.push([`${name} header`, value]);
  for (const value of request.url.searchParams.getAll(OVERRIDE_PARAM)) asked.push([`${OVERRIDE_PARAM} query parameter`, value]);
  if (request.body?.includes(OVERRIDE_PARAM)) {
    try {
      const body = JSON.parse(request.body) as unknown;
      if (typeof body === 'object' && body !== null && Object.hasOwn(body, OVERRIDE_PARAM)) asked.push([`${OVERRIDE_PARAM} body field`, String((body as Record<string, unknown>)[OVERRIDE_PARAM])]);
    } catch {
      // Not JSON: read as a form.
      for (const value of new URLSearchParams(request.body).getAll(OVERRIDE_PARAM)) asked.push([`${OVERRIDE_PARAM} body field`, value]);
    }
  }
  for (const [via, value] of asked) {
    const method = String(value ?? '').trim().toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return { via, method: method || '(empty)' };
  }
  return undefined;
}

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** For messages: the stream (or "auth", "check") the request belongs to. */
  stream: string;
  /** A request that only reads although its method is not GET/HEAD (token requests, search endpoints). */
  readsOnly?: boolean;
  /**
   * false: a write that must not be sent twice (a create without an idempotency key). A network error or a timeout
   * is then not retried, since the API may have applied it; only answers the caller's classifier calls retry or
   * rateLimited are (a 429 refused it). Default true.
   */
  repeatable?: boolean;
}

/** A response as the engine keeps it: the body read whole (capped), the final URL after same-host redirects. */
export interface ReceivedResponse {
  status: number;
  headers: Headers;
  url: URL;
  body: Buffer;
}

/**
 * What to do with a response. The HTTP client acts on `retry` and `rateLimited` itself (it is the one owner of
 * retries); the caller acts on the others.
 */
export interface Verdict {
  action: 'accept' | 'retry' | 'rateLimited' | 'refreshAuth' | 'ignore' | 'fail';
  /** What the response filter that decided says about it, for the error a failure becomes. */
  message?: string;
}

/** Decides what a response means (response filters, then the status). */
export type Classifier = (response: ReceivedResponse) => Verdict | Promise<Verdict>;

export interface HttpResponse extends ReceivedResponse {
  /** Milliseconds from the first attempt to the last byte. */
  elapsedMs: number;
  attempts: number;
  /** The classifier's verdict on the last attempt; retry and rateLimited mean the attempts ran out. */
  verdict: Verdict;
}

export interface SendOptions {
  signal?: AbortSignal | undefined;
  /** Default: retry the retry statuses, refresh auth on 401, fail other errors. */
  classify?: Classifier;
}

/** Longest error body kept (errors are read for messages and response filters, never whole). */
const MAX_ERROR_BODY = 64 * 1024;

// Chunks are kept as the stream gives them and copied once, by Buffer.concat. Leaving the loop early (a throw, a
// return) ends the iteration, which destroys the body and handles the abort that follows.
async function readCapped(body: AsyncIterable<Buffer>, limit: number, onExceed: () => never): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) onExceed();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readPrefix(body: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size >= limit) return Buffer.concat(chunks).subarray(0, limit);
  }
  return Buffer.concat(chunks);
}

/**
 * A transport failure (a reset, a connection closed mid-body) in the form fetch gives it, a TypeError "fetch
 * failed" with the cause: the form ky's retry loop recognises as a network error. The engine's own errors and the
 * caller's cancellation or timeout pass as they are.
 */
function transportError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (error instanceof PullPushError || signal?.aborted) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof PullPushError) return cause;
  return new TypeError('fetch failed', { cause: error });
}

/** What a request says about its client where the definition says nothing: some APIs (GitHub's) refuse a request without a User-Agent. */
const USER_AGENT = 'pullpush';

/**
 * The request's headers with the defaults fetch would add where the request has none of them: Accept,
 * Accept-Encoding and User-Agent (the client's own name, where fetch sent its library's).
 */
function withDefaultHeaders(headers: Record<string, string>, url: URL): Record<string, string> {
  const given = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  const defaults: Record<string, string> = {};
  if (!given.has('accept')) defaults['accept'] = '*/*';
  if (!given.has('accept-encoding')) defaults['accept-encoding'] = acceptEncodingFor(url);
  if (!given.has('user-agent')) defaults['user-agent'] = USER_AGENT;
  return { ...defaults, ...headers };
}

/** Response headers as fetch gives them: repeated fields appended, so get() joins them with ", ". */
function headersOf(fields: Dispatcher.ResponseData['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/** The caller's cancellation as fetch reports it: an AbortError, not a network failure. */
function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** Hard ceilings whatever a definition or an application says: no wait beyond these. */
export const MAX_RETRY_DELAY_MS = 600_000;
export const MAX_DEADLINE_MS = 3_600_000;

/** One attempt as it was received and judged. */
interface Attempt {
  response: ReceivedResponse;
  verdict: Verdict;
}

export class HttpClient {
  readonly #agent: Dispatcher;
  readonly #requestCount = { value: 0 };
  readonly policy: NetworkPolicy;
  readonly retry: RetrySettings;
  readonly limiter: RateLimiter;
  readonly timeoutMs: number;

  /** Read-only test mode: nothing but GET and HEAD, and requests marked as reads, is ever sent. */
  readonly readOnly: boolean;

  constructor(policy: NetworkPolicy, retry: RetrySettings, limiter: RateLimiter, timeoutMs: number, readOnly = false) {
    this.readOnly = readOnly;
    this.policy = policy;
    this.retry = { ...retry, maxDelayMs: Math.min(retry.maxDelayMs, MAX_RETRY_DELAY_MS), deadlineMs: Math.min(retry.deadlineMs, MAX_DEADLINE_MS) };
    this.limiter = limiter;
    this.timeoutMs = timeoutMs;
    this.#agent = new Agent({
      connect: {
        lookup: (hostname, options, callback) => {
          dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
            if (error) return callback(error, '', 4);
            const list = addresses as unknown as LookupAddress[];
            const refused = list.find((entry) => !policy.addressAllowed(entry.address));
            if (refused) {
              const blocked = new PullPushError(EngineErrorCode.PrivateAddress, `Refused ${hostname}: it resolves to ${refused.address}, a private or reserved address.`, {
                hint: PRIVATE_ADDRESS_HINT,
              });
              return callback(blocked, '', 4);
            }
            if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
            const [first] = list;
            return callback(null, first?.address ?? '', first?.family ?? 4);
          });
        },
      },
    });
  }

  /** Requests sent so far (attempts included). */
  get requestCount(): number {
    return this.#requestCount.value;
  }

  #closed: Promise<void> | undefined;

  /** Closes the connection pool; calling it again is harmless. */
  close(): Promise<void> {
    this.#closed ??= this.#agent.close();
    return this.#closed;
  }

  /** What a response means when no response filter says otherwise. */
  defaultVerdict(response: ReceivedResponse): Verdict {
    const { status, headers } = response;
    if (status < 400) return { action: 'accept' };
    if (status === 429) return { action: 'rateLimited' };
    // GitHub's secondary limits: 403 with nothing remaining or a Retry-After.
    if (status === 403 && (headers.get('retry-after') !== null || headers.get('x-ratelimit-remaining') === '0')) return { action: 'rateLimited' };
    if (this.retry.statuses.includes(status)) return { action: 'retry' };
    if (status === 401) return { action: 'refreshAuth' };
    return { action: 'fail' };
  }

  /** The wait before the next attempt: what the API asked for (capped), else exponential backoff with jitter. */
  retryDelay(response: ReceivedResponse, retryCount: number): number {
    const asked = this.retry.respectRetryAfter ? requestedWaitMs(response.headers, this.limiter.headers) : undefined;
    if (asked !== undefined) return Math.min(asked, this.retry.maxDelayMs);
    const backoff = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * this.retry.multiplier ** retryCount);
    return this.retry.jitter ? Math.random() * backoff : backoff;
  }

  /** One attempt: policy, rate limit, manual same-host redirects, the body read whole (capped; error bodies bounded). */
  async #attempt(request: HttpRequest, signal: AbortSignal | undefined): Promise<ReceivedResponse> {
    let url = request.url;
    for (let redirects = 0; ; redirects += 1) {
      this.policy.assertAllowed(url, request.stream);
      const release = await this.limiter.acquire(signal);
      let response: Dispatcher.ResponseData;
      try {
        this.#requestCount.value += 1;
        // undici's request API, not fetch: no WHATWG Request, Response or stream per attempt, which cost about a
        // third of the CPU a page of records takes to arrive. Redirects are not followed (handled below).
        response = await undiciRequest(url, {
          method: request.method as Dispatcher.HttpMethod,
          headers: withDefaultHeaders(request.headers, url),
          ...(request.body === undefined ? {} : { body: request.body }),
          dispatcher: this.#agent,
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        throw transportError(error, signal);
      } finally {
        release();
      }
      const status = response.statusCode;
      const headers = headersOf(response.headers);
      this.limiter.observe(headers);
      const location = headers.get('location');
      if (status >= 300 && status < 400 && location) {
        // Read and dropped (a redirect's body is short), which keeps the connection for the next request; a body
        // that fails meanwhile only costs that connection.
        await response.body.dump().catch(() => undefined);
        const next = new URL(location, url);
        if (next.host !== url.host || redirects >= this.policy.maxRedirects) {
          throw new PullPushError(
            EngineErrorCode.RedirectRefused,
            `Refused the redirect from ${this.policy.redactor.url(url)} to ${this.policy.redactor.url(next)} (stream ${request.stream}).`,
            { hint: next.host !== url.host ? 'Redirects to another host are refused: credentials must not follow them.' : `More than ${this.policy.maxRedirects} redirects.` },
          );
        }
        url = next;
        continue;
      }
      // The body is read within the attempt, so the attempt's timeout covers it (a body that stalls times out)
      // and a connection dropped mid-body is a network error that is retried. Error bodies are kept short: they
      // are read for messages and filters, never streamed whole.
      // Decoded (content-encoding.ts; error answers too: they are read for messages); the cap counts what comes out.
      let body: Buffer;
      try {
        const decoded = decodedBody(response.body, headers.get('content-encoding'), request.method, status) as AsyncIterable<Buffer>;
        body =
          status >= 200 && status < 300
            ? await readCapped(decoded, this.policy.maxResponseBytes, () => {
                throw new PullPushError(
                  EngineErrorCode.ResponseTooLarge,
                  `The response of ${this.policy.redactor.url(url)} (stream ${request.stream}) exceeds ${this.policy.maxResponseBytes} bytes.`,
                  { hint: 'Ask for smaller pages (pageSize), or raise the response size limit of the application (maxResponseBytes).' },
                );
              })
            : await readPrefix(decoded, MAX_ERROR_BODY);
      } catch (error) {
        throw transportError(error, signal);
      }
      return { status, headers, url, body };
    }
  }

  /**
   * Sends a request; every attempt is judged by the classifier, and attempts it calls `retry` or `rateLimited` are
   * sent again (after the wait the API asked for, or a backoff), as are network errors and timeouts, up to
   * retry.maxAttempts within retry.deadlineMs. The last attempt comes back with its verdict.
   */
  async send(request: HttpRequest, options: SendOptions = {}): Promise<HttpResponse> {
    const { signal } = options;
    if (this.#closed) {
      throw new PullPushError(EngineErrorCode.Closed, `Cannot send ${request.method} ${this.policy.redactor.url(request.url)} (stream ${request.stream}): the connector is closed.`, {
        hint: 'Compile the connector again (compileConnector) to read after close().',
      });
    }
    if (this.readOnly && request.method !== 'GET' && request.method !== 'HEAD' && !request.readsOnly) {
      throw new PullPushError(EngineErrorCode.ReadOnly, `Refused ${request.method} ${this.policy.redactor.url(request.url)} (stream ${request.stream}): this is a read-only run.`, {
        hint: 'Test runs send only GET and HEAD, plus POST to endpoints the definition marks as searches ("search": true).',
      });
    }
    const override = this.readOnly ? methodOverride(request) : undefined;
    if (override) {
      throw new PullPushError(EngineErrorCode.ReadOnly, `Refused ${request.method} ${this.policy.redactor.url(request.url)} (stream ${request.stream}): its ${override.via} asks the API to act as ${override.method}, and this is a read-only run.`, {
        hint: 'Remove the method-override header or parameter from the definition; test runs only read.',
      });
    }
    const classify = options.classify ?? ((response: ReceivedResponse) => this.defaultVerdict(response));
    const started = performance.now();
    const attempts: Attempt[] = [];
    // Every attempt counts, the ones that failed before an answer (a reset, a timeout) included.
    let sent = 0;
    const attempt = async (attemptSignal: AbortSignal | undefined): Promise<void> => {
      sent += 1;
      const response = await this.#attempt(request, attemptSignal);
      attempts.push({ response, verdict: await classify(response) });
    };
    const answer = (): HttpResponse => {
      const last = attempts.at(-1) as Attempt;
      return { ...last.response, verdict: last.verdict, elapsedMs: performance.now() - started, attempts: sent };
    };
    // The first attempt goes out directly, under the same per-attempt timeout ky would set: most requests are
    // answered at once, and ky's pipeline (a Request, managed signals, hooks) costs more than the rest of a
    // page's handling. When it was not answered for good, ky runs the retries and begins by replaying it.
    let firstError: unknown;
    try {
      await attempt(signal ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]) : AbortSignal.timeout(this.timeoutMs));
      const { action } = (attempts[0] as Attempt).verdict;
      if (action !== 'retry' && action !== 'rateLimited') return answer();
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      firstError = error;
    }
    const retry = this.retry;
    let replayed = false;
    const client = ky.create({
      // ky calls this with its Request, whose signal carries the attempt's timeout and the caller's signal: the
      // attempt must use it, or a timed-out request would hang on (holding a connection and a rate-limit slot).
      fetch: async (input: unknown, init?: RequestInit) => {
        if (!replayed) {
          // The first attempt as it went: its error (ky decides whether a network error or a timeout is retried), or its response.
          replayed = true;
          if (firstError !== undefined) throw firstError;
        } else await attempt((input as { signal?: AbortSignal }).signal ?? init?.signal ?? signal);
        // ky sees a stand-in: statuses are judged by the classifier, never by ky.
        return new Response(null, { status: 200 });
      },
      timeout: this.timeoutMs,
      totalTimeout: Math.max(1, retry.deadlineMs - (performance.now() - started)),
      throwHttpErrors: false,
      hooks: {
        afterResponse: [
          () => {
            const last = attempts.at(-1) as Attempt;
            if (last.verdict.action !== 'retry' && last.verdict.action !== 'rateLimited') return undefined;
            return ky.retry({ delay: this.retryDelay(last.response, attempts.length - 1), code: last.verdict.action });
          },
        ],
      },
      retry: {
        limit: retry.maxAttempts - 1,
        methods: ['get', 'head', 'post', 'put', 'patch', 'delete'],
        statusCodes: [],
        afterStatusCodes: [],
        backoffLimit: retry.maxDelayMs,
        delay: (attemptNumber: number) => retry.initialDelayMs * retry.multiplier ** (attemptNumber - 1),
        jitter: retry.jitter,
        retryOnTimeout: true,
        // A write that must not be repeated is sent again only after an answer that refused it.
        ...(request.repeatable === false ? { shouldRetry: ({ error }: { error: unknown }) => (isForceRetryError(error) ? undefined : false) } : {}),
      },
    } as Parameters<typeof ky.create>[0]);
    try {
      await client(request.url, { method: request.method, ...(signal ? { signal } : {}) });
    } catch (error) {
      // The caller cancelled: an AbortError, as fetch gives, not a network failure to report.
      if (signal?.aborted) throw abortError(signal);
      // Attempts ran out on a retry verdict: the last response is the answer, with that verdict.
      if (!isForceRetryError(error) || attempts.length === 0) throw this.#networkError(request, error);
    }
    return answer();
  }

  #networkError(request: HttpRequest, error: unknown): PullPushError {
    if (error instanceof PullPushError) return error;
    const shown = this.policy.redactor.url(request.url);
    if (isTimeoutError(error) || (error as Error).name === 'TimeoutError') {
      return new PullPushError(EngineErrorCode.Timeout, `${request.method} ${shown} timed out (stream ${request.stream}).`, {
        hint: 'Raise http.timeoutMs or retry.deadlineMs, or ask for smaller pages.',
      });
    }
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof PullPushError) return cause;
    // "fetch failed" says nothing: the transport's own words (other side closed, connection refused) do.
    const reason = error instanceof TypeError && cause instanceof Error ? cause.message : (error as Error).message;
    return new PullPushError(
      EngineErrorCode.Network,
      `${request.method} ${shown} failed (stream ${request.stream}): ${this.policy.redactor.text(reason)}`,
      { hint: 'Check the host and the network; the request was retried with backoff.' },
    );
  }
}
