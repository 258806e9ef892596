// What route handlers see and return. A handler gets a parsed request and gives back a Reply; the server
// writes it (and may distort it, when a fault says so), so handlers never touch sockets.

/** A fault that changes how a paginated route points at its next page. */
export type PagingFault = { kind: 'endlessCursor' } | { kind: 'trailingEmptyPage' } | { kind: 'foreignNextLink'; origin: string };

export interface RequestContext {
  readonly method: string;
  /** The path as sent (percent-encoded), without the query: /cursor/orders. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw request body, when there is one. */
  readonly body: string | undefined;
  /** The server's own origin: http://127.0.0.1:PORT. */
  readonly origin: string;
  /** Path parameters of the matched route, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly paging: PagingFault | undefined;
  /**
   * True when a public route (see the server's publicRoutes) is served without valid credentials: the handler
   * shows what an anonymous visitor may see. False when the credentials were good or the server needs none.
   */
  readonly anonymous: boolean;
}

/** A response body: text or bytes, or chunks produced on demand (large collections are streamed). */
export type Body = string | Uint8Array | AsyncIterable<string | Uint8Array>;

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: Body;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** Items per chunk when a body is streamed: large collections never sit in memory as one string. */
const BATCH = 200;

/** A streamed body: `head`, the rendered items in batches, `tail`. */
export async function* inBatches<T>(items: readonly T[], render: (item: T, index: number) => string, head = '', tail = ''): AsyncGenerator<string> {
  if (head !== '') yield head;
  for (let start = 0; start < items.length; start += BATCH) {
    yield items
      .slice(start, start + BATCH)
      .map((item, i) => render(item, start + i))
      .join('');
  }
  if (tail !== '') yield tail;
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers };
}

/**
 * Which API a route imitates. Errors (401, 404, 429, bad parameters) take that API's shape, so a connector
 * definition's response filters can be tested against realistic error bodies.
 */
export type ApiStyle = 'generic' | 'stripe' | 'github' | 'jira' | 'slack' | 'redmine' | 'wordpress' | 'oauth';

/** Stable error codes; each API style renders them in its own words. */
export type ProblemCode =
  | 'missing_credentials'
  | 'invalid_credentials'
  | 'token_expired'
  | 'rate_limited'
  | 'not_found'
  | 'method_not_allowed'
  | 'invalid_parameter'
  | 'invalid_cursor'
  | 'invalid_json'
  | 'validation_failed'
  | 'conflict'
  | 'idempotency_key_reused'
  | 'payload_too_large'
  | 'injected_fault';

const SLACK_ERRORS: Partial<Record<ProblemCode, string>> = {
  missing_credentials: 'not_authed',
  invalid_credentials: 'invalid_auth',
  token_expired: 'token_expired',
  rate_limited: 'ratelimited',
  not_found: 'unknown_method',
  invalid_cursor: 'invalid_cursor',
  invalid_parameter: 'invalid_arguments',
};

const WORDPRESS_ERRORS: Partial<Record<ProblemCode, string>> = {
  missing_credentials: 'rest_not_logged_in',
  invalid_credentials: 'incorrect_password',
  token_expired: 'rest_not_logged_in',
  not_found: 'rest_no_route',
  method_not_allowed: 'rest_no_route',
  invalid_parameter: 'rest_invalid_param',
};

/** An error response in the shape of the given API. */
export function problem(style: ApiStyle, status: number, code: ProblemCode, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Reply {
  switch (style) {
    case 'stripe': {
      const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
      return jsonReply(status, { error: { type, code, message, ...extra } }, headers);
    }
    case 'github':
      return jsonReply(status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra }, headers);
    case 'jira':
      return jsonReply(status, { errorMessages: [message], errors: {}, ...extra }, headers);
    case 'slack':
      // Slack answers most errors with HTTP 200 and ok: false; only rate limits (429) and faults use the status.
      return jsonReply(status === 429 || status >= 500 ? status : 200, { ok: false, error: SLACK_ERRORS[code] ?? code, ...extra }, headers);
    case 'redmine':
      // Redmine answers 401, 403 and 404 with an empty body (and its Basic challenge on 401); other errors list messages.
      if (status === 401) return emptyReply(status, { 'www-authenticate': 'Basic realm="Redmine API"', ...headers });
      if (status === 403 || status === 404) return emptyReply(status, headers);
      return jsonReply(status, { errors: [message], ...extra }, headers);
    case 'wordpress':
      return jsonReply(status, { code: WORDPRESS_ERRORS[code] ?? code, message, data: { status, ...extra } }, headers);
    case 'oauth':
      return jsonReply(status, { error: code, error_description: message, ...extra }, headers);
    case 'generic':
      return jsonReply(status, { error: { code, message, ...extra } }, headers);
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/** An integer query parameter within bounds; values above `max` are clamped, as most APIs do. */
export function intParam(
  ctx: RequestContext,
  style: ApiStyle,
  name: string,
  options: { default: number; min: number; max?: number },
): Parsed<number> {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return { ok: true, value: options.default };
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < options.min) {
    return { ok: false, reply: problem(style, 400, 'invalid_parameter', `${name} must be an integer of at least ${options.min}, got "${raw}"`) };
  }
  return { ok: true, value: options.max === undefined ? value : Math.min(value, options.max) };
}

/** Rebuilds a URL of this server for the same path and query, with some parameters replaced. */
export function selfUrl(ctx: RequestContext, changes: Record<string, string | number | null>, absolute = true): string {
  const query = new URLSearchParams(ctx.query);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) query.delete(name);
    else query.set(name, String(value));
  }
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return `${absolute ? ctx.origin : ''}${ctx.path}${search}`;
}

/** Applies a foreignNextLink fault to a next-page URL: the same path and query on another host. */
export function pointNextUrl(ctx: RequestContext, url: string): string {
  if (ctx.paging?.kind !== 'foreignNextLink') return url;
  const parsed = new URL(url, ctx.origin);
  return `${ctx.paging.origin.replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`;
}
