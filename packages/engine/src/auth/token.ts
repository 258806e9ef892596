// Tokens from a token or login endpoint: fetched when first needed, cached until shortly before they expire,
// refreshed once at a time however many requests wait for them.
import type { AuthContext, AuthProvider, PreparedRequest } from './provider.ts';
import { authError } from './provider.ts';

export interface Token {
  value: string;
  expiresAt: number;
}

const EXPIRY_MARGIN_MS = 30_000;

export function tokenProvider(fetchToken: () => Promise<Token>, inject: (request: PreparedRequest, token: string) => void | Promise<void>): AuthProvider {
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

/** When a token expires: `expires_in` seconds from now, else an hour. */
export function expiresAt(body: Record<string, unknown>): number {
  const seconds = Number(body['expires_in']);
  return Date.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000);
}

/** POSTs an OAuth 2 token request (form-encoded, RFC 6749) and returns the JSON answer with an access token. */
export async function requestToken(context: AuthContext, tokenUrl: string, form: Record<string, string>, basic?: string): Promise<Record<string, unknown>> {
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
