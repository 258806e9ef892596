// Authentication at run time: each auth kind of the DSL becomes a provider that adds credentials to requests
// (only to allowed hosts: the HTTP layer refuses others before anything is sent), fetches and refreshes tokens,
// and reports every credential it learns to the redactor.
import { PullPushError } from '@pullpush/canonical';
import type { AuthSpec } from '@pullpush/schema';
import { EngineErrorCode } from './errors.ts';
import { compileTemplate, compileTemplateTree, type Bindings } from './expr/compile.ts';
import type { HttpClient } from './net/http-client.ts';
import type { Redactor } from './redact.ts';

export interface PreparedRequest {
  url: URL;
  headers: Record<string, string>;
}

export interface AuthProvider {
  /** Adds credentials to a request about to be sent. */
  apply(request: PreparedRequest): Promise<void>;
  /** Called after a 401 (or a refreshAuth filter): drop cached tokens; true when a retry may succeed. */
  invalidate(): boolean;
}

export interface AuthContext {
  config: Record<string, unknown>;
  http: HttpClient;
  redactor: Redactor;
  baseUrl: URL;
  /** Called when the server rotates a refresh token: persist `value` under config key `key`. */
  onConfigUpdate?: (key: string, value: string) => void | Promise<void>;
}

interface Token {
  value: string;
  expiresAt: number;
}

const EXPIRY_MARGIN_MS = 30_000;

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function authError(message: string, hint: string): PullPushError {
  return new PullPushError(EngineErrorCode.Auth, message, { hint });
}

async function requestToken(context: AuthContext, tokenUrl: string, form: Record<string, string>, basic?: string): Promise<Record<string, unknown>> {
  const url = new URL(tokenUrl, context.baseUrl);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (basic) headers['authorization'] = `Basic ${basic}`;
  const response = await context.http.send({ method: 'POST', url, headers, body: new URLSearchParams(form).toString(), stream: 'auth', readsOnly: true });
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  if (response.status >= 400 || typeof body['access_token'] !== 'string') {
    const reason = typeof body['error'] === 'string' ? `: ${context.redactor.text(String(body['error']))}` : '';
    throw authError(`The token endpoint ${context.redactor.url(url)} answered ${response.status}${reason}.`, 'Check the client id and secret (or refresh token) in the connection config.');
  }
  context.redactor.add(body['access_token'] as string, typeof body['refresh_token'] === 'string' ? body['refresh_token'] : undefined);
  return body;
}

/** Tokens obtained from a token endpoint, cached until shortly before they expire, refreshed once at a time. */
function tokenProvider(fetchToken: () => Promise<Token>, inject: (request: PreparedRequest, token: string) => void | Promise<void>): AuthProvider {
  let token: Token | undefined;
  let pending: Promise<Token> | undefined;
  return {
    async apply(request) {
      if (!token || token.expiresAt - EXPIRY_MARGIN_MS <= Date.now()) {
        pending ??= fetchToken().finally(() => {
          pending = undefined;
        });
        token = await pending;
      }
      await inject(request, token.value);
    },
    invalidate() {
      token = undefined;
      return true;
    },
  };
}

function bearer(request: PreparedRequest, token: string): void {
  request.headers['authorization'] = `Bearer ${token}`;
}

function expiresAt(body: Record<string, unknown>): number {
  const seconds = Number(body['expires_in']);
  return Date.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000);
}

export async function createAuthProvider(spec: AuthSpec, context: AuthContext): Promise<AuthProvider> {
  const bindings: Bindings = { config: context.config };
  const render = async (template: string | undefined, where: string) => (template === undefined ? '' : text(await compileTemplate(template, where).render(bindings)));
  const secret = async (template: string | undefined, where: string) => {
    const value = await render(template, where);
    context.redactor.add(value);
    return value;
  };
  switch (spec.kind) {
    case 'none':
      return { apply: async () => undefined, invalidate: () => false };
    case 'apiKey': {
      const value = await secret(spec.value, '/auth/value');
      return {
        async apply(request) {
          if (spec.in === 'header') request.headers[spec.name.toLowerCase()] = value;
          else request.url.searchParams.set(spec.name, value);
        },
        invalidate: () => false,
      };
    }
    case 'bearer': {
      const token = await secret(spec.token, '/auth/token');
      return { apply: async (request) => bearer(request, token), invalidate: () => false };
    }
    case 'basic': {
      const username = await secret(spec.username, '/auth/username');
      const password = await secret(spec.password, '/auth/password');
      const encoded = Buffer.from(`${username}:${password}`).toString('base64');
      context.redactor.add(encoded);
      return { apply: async (request) => void (request.headers['authorization'] = `Basic ${encoded}`), invalidate: () => false };
    }
    case 'headers': {
      const headers = (await compileTemplateTree(spec.headers, '/auth/headers')(bindings)) as Record<string, unknown>;
      for (const value of Object.values(headers)) context.redactor.add(text(value));
      return {
        async apply(request) {
          for (const [name, value] of Object.entries(headers)) request.headers[name.toLowerCase()] = text(value);
        },
        invalidate: () => false,
      };
    }
    case 'oauth2ClientCredentials': {
      const clientId = await secret(spec.clientId, '/auth/clientId');
      const clientSecret = await secret(spec.clientSecret, '/auth/clientSecret');
      const extra: Record<string, string> = {};
      for (const [key, template] of Object.entries(spec.extraParams ?? {})) extra[key] = await render(template, `/auth/extraParams/${key}`);
      return tokenProvider(async () => {
        const form: Record<string, string> = { grant_type: 'client_credentials', ...extra };
        if (spec.scopes) form['scope'] = spec.scopes.join(' ');
        const basicAuth = spec.clientAuth === 'basic';
        if (!basicAuth) Object.assign(form, { client_id: clientId, client_secret: clientSecret });
        const body = await requestToken(context, await render(spec.tokenUrl, '/auth/tokenUrl'), form, basicAuth ? Buffer.from(`${clientId}:${clientSecret}`).toString('base64') : undefined);
        return { value: body['access_token'] as string, expiresAt: expiresAt(body) };
      }, bearer);
    }
    case 'oauth2RefreshToken':
    case 'oauth2AuthorizationCode': {
      const clientId = await secret(spec.clientId, '/auth/clientId');
      const clientSecret = await secret(spec.clientSecret, '/auth/clientSecret');
      let refreshToken = await secret(spec.refreshToken, '/auth/refreshToken');
      return tokenProvider(async () => {
        const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken };
        const basicAuth = spec.clientAuth === 'basic';
        if (!basicAuth) {
          form['client_id'] = clientId;
          if (clientSecret) form['client_secret'] = clientSecret;
        }
        const body = await requestToken(context, await render(spec.tokenUrl, '/auth/tokenUrl'), form, basicAuth ? Buffer.from(`${clientId}:${clientSecret}`).toString('base64') : undefined);
        const rotated = body['refresh_token'];
        if (typeof rotated === 'string' && rotated !== refreshToken) {
          refreshToken = rotated;
          if (spec.rotation) await context.onConfigUpdate?.(spec.rotation.configKey, rotated);
        }
        return { value: body['access_token'] as string, expiresAt: expiresAt(body) };
      }, bearer);
    }
    case 'session': {
      const login = spec.login;
      const renderBody = compileTemplateTree(login.body, '/auth/login/body');
      const renderHeaders = compileTemplateTree(login.headers ?? {}, '/auth/login/headers');
      const tokenPath = spec.tokenPath.split('.');
      const value = spec.value === undefined ? undefined : compileTemplate(spec.value, '/auth/value');
      return tokenProvider(
        async () => {
          const url = new URL(await render(login.path, '/auth/login/path'), context.baseUrl);
          const body = await renderBody(bindings);
          const headers = { 'content-type': 'application/json', accept: 'application/json', ...(await renderHeaders(bindings) as Record<string, string>) };
          const method = login.method ?? 'POST';
          // Read-only runs send POST to login endpoints, nothing else that writes (a PUT or DELETE login is refused).
          const response = await context.http.send({ method, url, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), stream: 'auth', readsOnly: method === 'POST' });
          let parsed: unknown;
          try {
            parsed = JSON.parse(response.body.toString('utf8'));
          } catch {
            parsed = undefined;
          }
          let token: unknown = parsed;
          for (const key of tokenPath) token = typeof token === 'object' && token !== null ? (token as Record<string, unknown>)[key] : undefined;
          if (response.status >= 400 || typeof token !== 'string') {
            throw authError(`The login request ${context.redactor.url(url)} answered ${response.status} without a token at ${spec.tokenPath}.`, 'Check the login credentials in the connection config and auth.tokenPath.');
          }
          context.redactor.add(token);
          let ttl = (spec.ttlSeconds ?? 3600) * 1000;
          if (spec.expiresInPath) {
            const seconds = Number((parsed as Record<string, unknown>)[spec.expiresInPath]);
            if (Number.isFinite(seconds) && seconds > 0) ttl = seconds * 1000;
          }
          return { value: token, expiresAt: Date.now() + ttl };
        },
        async (request, token) => {
          const injected = value ? text(await value.render({ config: context.config, auth: { token } })) : token;
          if (spec.inject.in === 'header') request.headers[spec.inject.name.toLowerCase()] = injected;
          else request.url.searchParams.set(spec.inject.name, injected);
        },
      );
    }
  }
}
