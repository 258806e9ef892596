// Authentication, checked on every route except the two that hand out credentials. Static kinds compare what
// the request carries; token kinds (OAuth 2 client credentials and refresh token, session login) issue tokens
// from POST /oauth/token or POST /session and then accept them until they expire by time, by number of uses,
// or by expireTokens(), so a client's refresh-on-401 can be tested. Refresh tokens rotate: each refresh
// returns a new one and the old one stops working.
import { problem, type ApiStyle, type Reply, type RequestContext } from './http.ts';
import { stableToken } from './prng.ts';

/** How long issued tokens live. */
export interface TokenLifetime {
  /** Seconds, enforced by the server clock and reported as expires_in (rounded up; fractions help fast tests). Default 3600. */
  expiresIn?: number;
  /** The number of API requests a token is good for; the next one gets 401 (token_expired). Default: no limit. */
  maxUses?: number;
}

/** Where a client may put an API key. */
export interface ApiKeyPlace {
  in: 'header' | 'query';
  /** Header or query parameter name; header names are compared case-insensitively. */
  name: string;
}

export interface ApiKeyAuth extends ApiKeyPlace {
  kind: 'apiKey';
  value: string;
  /**
   * Other places the same key is accepted in, as APIs that take it in a header or the query do (Redmine:
   * X-Redmine-API-Key or ?key=). A request passes when any place carries the key. Default none.
   */
  alsoIn?: readonly ApiKeyPlace[];
}

export interface BearerAuth {
  kind: 'bearer';
  token: string;
}

export interface BasicAuth {
  kind: 'basic';
  username: string;
  password: string;
}

/** Custom credential headers, all of which must be present with these values. */
export interface HeadersAuth {
  kind: 'headers';
  headers: Record<string, string>;
}

export interface OAuth2ClientCredentialsAuth extends TokenLifetime {
  kind: 'oauth2ClientCredentials';
  clientId: string;
  clientSecret: string;
  /** Scopes a client may ask for (space-separated `scope` parameter); others get invalid_scope. Default: any. */
  scopes?: string[];
}

export interface OAuth2RefreshTokenAuth extends TokenLifetime {
  kind: 'oauth2RefreshToken';
  clientId: string;
  clientSecret: string;
  /** The refresh token the client starts with. */
  refreshToken: string;
  /** Issue a new refresh token on every refresh and invalidate the old one. Default true. */
  rotate?: boolean;
}

export interface SessionAuth extends TokenLifetime {
  kind: 'session';
  username: string;
  password: string;
  /** Header the session token must come back in. Default X-Session-Token. */
  header?: string;
}

export type AuthOptions =
  | { kind: 'none' }
  | ApiKeyAuth
  | BearerAuth
  | BasicAuth
  | HeadersAuth
  | OAuth2ClientCredentialsAuth
  | OAuth2RefreshTokenAuth
  | SessionAuth;

export type AuthKind = AuthOptions['kind'];

/** An auth's kind and where its credentials go, without their values. */
export type AuthScheme =
  | { kind: 'none' | 'bearer' | 'basic' | 'oauth2ClientCredentials' | 'oauth2RefreshToken' }
  | { kind: 'apiKey'; in: ApiKeyPlace['in']; name: string }
  | { kind: 'headers'; names: string[] }
  | { kind: 'session'; header: string };

export const TOKEN_PATH = '/oauth/token';
export const SESSION_PATH = '/session';
export const DEFAULT_SESSION_HEADER = 'X-Session-Token';

type Failure = 'missing_credentials' | 'invalid_credentials' | 'token_expired';

interface IssuedToken {
  expiresAt: number;
  usesLeft: number;
}

const REFUSALS: Record<Failure, string> = {
  missing_credentials: 'Authentication required: no credentials were sent.',
  invalid_credentials: 'The credentials are wrong.',
  token_expired: 'The access token expired; get a new one.',
};

function basicCredentials(header: string | undefined): [string, string] | undefined {
  const match = /^basic\s+(\S+)$/i.exec(header ?? '');
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

function bearerToken(header: string | undefined): string | undefined {
  return /^bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

export class AuthState {
  readonly #seed: number;
  #options: AuthOptions;
  #tokens = new Map<string, IssuedToken>();
  #refreshToken: string | null = null;
  #issued = 0;
  #tokenRequests = 0;

  constructor(options: AuthOptions, seed: number) {
    this.#seed = seed;
    this.#options = options;
    this.set(options);
  }

  get kind(): AuthKind {
    return this.#options.kind;
  }

  /** Where the credentials go, without their values: what a published API description says of them. */
  get scheme(): AuthScheme {
    const options = this.#options;
    switch (options.kind) {
      case 'apiKey':
        return { kind: 'apiKey', in: options.in, name: options.name };
      case 'headers':
        return { kind: 'headers', names: Object.keys(options.headers) };
      case 'session':
        return { kind: 'session', header: options.header ?? DEFAULT_SESSION_HEADER };
      default:
        return { kind: options.kind };
    }
  }

  /** Requests to the token and session endpoints since the start (or the last resetCounters). */
  get tokenRequests(): number {
    return this.#tokenRequests;
  }

  /** The refresh token that works right now (oauth2RefreshToken), or null. */
  get refreshToken(): string | null {
    return this.#refreshToken;
  }

  /** Switches to other credentials; tokens issued so far stop working. */
  set(options: AuthOptions): void {
    this.#options = options;
    this.#tokens = new Map();
    this.#refreshToken = options.kind === 'oauth2RefreshToken' ? options.refreshToken : null;
  }

  resetCounters(): void {
    this.#tokenRequests = 0;
  }

  /** Makes every issued access or session token expired (refresh tokens keep working). */
  expireTokens(): void {
    for (const token of this.#tokens.values()) token.expiresAt = 0;
  }

  /** undefined when the request may pass; otherwise a 401 in the route's style. */
  check(ctx: RequestContext, style: ApiStyle): Reply | undefined {
    const failure = this.#failure(ctx);
    if (failure === undefined) return undefined;
    return problem(style, 401, failure, REFUSALS[failure], this.#challenge(failure));
  }

  #failure(ctx: RequestContext): Failure | undefined {
    const options = this.#options;
    const authorization = ctx.headers['authorization'];
    const compare = (sent: string | undefined, expected: string): Failure | undefined =>
      sent === undefined || sent === '' ? 'missing_credentials' : sent === expected ? undefined : 'invalid_credentials';
    switch (options.kind) {
      case 'none':
        return undefined;
      case 'apiKey': {
        const sent = [options, ...(options.alsoIn ?? [])]
          .map((place) => (place.in === 'header' ? ctx.headers[place.name.toLowerCase()] : (ctx.query.get(place.name) ?? undefined)))
          .filter((value): value is string => value !== undefined && value !== '');
        if (sent.includes(options.value)) return undefined;
        return compare(sent[0], options.value);
      }
      case 'bearer':
        return compare(bearerToken(authorization), options.token);
      case 'basic': {
        if (authorization === undefined) return 'missing_credentials';
        const credentials = basicCredentials(authorization);
        return credentials?.[0] === options.username && credentials[1] === options.password ? undefined : 'invalid_credentials';
      }
      case 'headers': {
        const sent = Object.keys(options.headers).map((name) => ctx.headers[name.toLowerCase()]);
        if (sent.every((value) => value === undefined)) return 'missing_credentials';
        return Object.entries(options.headers).every(([name, value]) => ctx.headers[name.toLowerCase()] === value) ? undefined : 'invalid_credentials';
      }
      case 'session':
        return this.#useToken(ctx.headers[(options.header ?? DEFAULT_SESSION_HEADER).toLowerCase()]);
      case 'oauth2ClientCredentials':
      case 'oauth2RefreshToken':
        return this.#useToken(bearerToken(authorization));
    }
  }

  #useToken(token: string | undefined): Failure | undefined {
    if (token === undefined || token === '') return 'missing_credentials';
    const issued = this.#tokens.get(token);
    if (issued === undefined) return 'invalid_credentials';
    if (issued.expiresAt <= Date.now() || issued.usesLeft <= 0) return 'token_expired';
    issued.usesLeft--;
    return undefined;
  }

  #challenge(failure: Failure): Record<string, string> {
    switch (this.#options.kind) {
      case 'basic':
        return { 'www-authenticate': 'Basic realm="testkit"' };
      case 'bearer':
      case 'oauth2ClientCredentials':
      case 'oauth2RefreshToken':
        return { 'www-authenticate': failure === 'missing_credentials' ? 'Bearer realm="testkit"' : 'Bearer realm="testkit", error="invalid_token"' };
      default:
        return {};
    }
  }

  #issue(prefix: string, lifetime: TokenLifetime): { token: string; expiresIn: number } {
    const lifetimeSeconds = lifetime.expiresIn ?? 3600;
    const token = `${prefix}_${stableToken(this.#seed, prefix, ++this.#issued, 32)}`;
    this.#tokens.set(token, { expiresAt: Date.now() + lifetimeSeconds * 1000, usesLeft: lifetime.maxUses ?? Number.POSITIVE_INFINITY });
    // expires_in is an integer on the wire; a fractional lifetime (for fast tests) is reported rounded up.
    return { token, expiresIn: Math.ceil(lifetimeSeconds) };
  }

  /** POST /oauth/token: form-encoded grant requests, client credentials in the body or a Basic header. */
  token(ctx: RequestContext): Reply {
    this.#tokenRequests++;
    const options = this.#options;
    const oauth = (status: number, error: string, description: string, headers: Record<string, string> = {}) =>
      // OAuth 2 error responses carry the error code itself (RFC 6749 §5.2), not one of the API's codes.
      ({ status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, body: JSON.stringify({ error, error_description: description }) });
    if (options.kind !== 'oauth2ClientCredentials' && options.kind !== 'oauth2RefreshToken') {
      return oauth(400, 'unsupported_grant_type', `this API does not use OAuth 2 (auth kind ${options.kind})`);
    }
    if (!(ctx.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return oauth(400, 'invalid_request', 'the token request must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(ctx.body ?? '');
    const basic = basicCredentials(ctx.headers['authorization']);
    const clientId = basic?.[0] === undefined ? form.get('client_id') : decodeURIComponent(basic[0]);
    const clientSecret = basic?.[1] === undefined ? form.get('client_secret') : decodeURIComponent(basic[1]);
    if (clientId !== options.clientId || clientSecret !== options.clientSecret) {
      return oauth(401, 'invalid_client', 'client authentication failed', basic === undefined ? {} : { 'www-authenticate': 'Basic realm="testkit"' });
    }
    const grant = form.get('grant_type');
    const answer = (body: Record<string, unknown>) => ({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' },
      body: JSON.stringify(body),
    });
    if (options.kind === 'oauth2ClientCredentials') {
      if (grant !== 'client_credentials') return oauth(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
      const requested = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
      const refused = requested.filter((scope) => options.scopes !== undefined && !options.scopes.includes(scope));
      if (refused.length > 0) return oauth(400, 'invalid_scope', `scope not allowed: ${refused.join(' ')}`);
      const { token, expiresIn } = this.#issue('at', options);
      const scope = requested.length > 0 ? requested : (options.scopes ?? []);
      return answer({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, ...(scope.length > 0 ? { scope: scope.join(' ') } : {}) });
    }
    if (grant !== 'refresh_token') return oauth(400, 'unsupported_grant_type', 'grant_type must be refresh_token');
    const presented = form.get('refresh_token');
    if (presented === null || presented === '') return oauth(400, 'invalid_request', 'refresh_token is missing');
    if (presented !== this.#refreshToken) return oauth(400, 'invalid_grant', 'the refresh token is invalid, expired or was already used');
    const { token, expiresIn } = this.#issue('at', options);
    if (options.rotate ?? true) this.#refreshToken = `rt_${stableToken(this.#seed, 'rt', ++this.#issued, 32)}`;
    return answer({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, refresh_token: this.#refreshToken });
  }

  /** POST /session: JSON { username, password } → { token, expires_in }. */
  session(ctx: RequestContext): Reply {
    this.#tokenRequests++;
    const options = this.#options;
    if (options.kind !== 'session') return problem('generic', 404, 'not_found', `this API has no session login (auth kind ${options.kind})`);
    let body: unknown;
    try {
      body = JSON.parse(ctx.body ?? '');
    } catch {
      return problem('generic', 400, 'invalid_json', 'send the credentials as JSON: { "username": …, "password": … }');
    }
    const { username, password } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (username !== options.username || password !== options.password) return problem('generic', 401, 'invalid_credentials', 'wrong username or password');
    const { token, expiresIn } = this.#issue('st', options);
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify({ token, expires_in: expiresIn }) };
  }
}
