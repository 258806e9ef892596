// auth kind "session": a login request whose response holds a session token, injected into later requests.
import type { AuthSpec } from '@pullpush/schema';
import { pointer } from '../pointer.ts';
import { authError, text, type AuthContext, type AuthProvider } from './provider.ts';
import { tokenProvider } from './token.ts';

export async function sessionAuth(spec: Extract<AuthSpec, { kind: 'session' }>, context: AuthContext): Promise<AuthProvider> {
  const { sites, config } = context;
  const path = sites.template('/auth/login/path', 'auth');
  const query = Object.keys(spec.login.query ?? {}).map((name) => [name, sites.template(pointer('auth', 'login', 'query', name), 'auth')] as const);
  const headers = sites.templates('/auth/login/headers', 'auth');
  const body = sites.templates('/auth/login/body', 'auth');
  const tokenPath = sites.expression('/auth/tokenPath', 'loginResponse');
  const expiresInPath = sites.optionalExpression('/auth/expiresInPath', 'loginResponse');
  const value = sites.optionalTemplate('/auth/value', 'session');
  const method = spec.login.method ?? 'POST';
  return tokenProvider(
    async () => {
      const url = new URL(text(await path.render({ config })), context.baseUrl);
      for (const [name, template] of query) url.searchParams.set(name, text(await template.render({ config })));
      const payload = await body?.({ config });
      const sent = { 'content-type': 'application/json', accept: 'application/json', ...((await headers?.({ config })) as Record<string, string> | undefined) };
      // Read-only runs send POST to login endpoints, nothing else that writes (a PUT or DELETE login is refused).
      const response = await context.http.send({ method, url, headers: sent, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }), stream: 'auth', readsOnly: method === 'POST' });
      let parsed: unknown;
      try {
        parsed = JSON.parse(response.body.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      const responseBindings = { headers: Object.fromEntries(response.headers) };
      const token = parsed === undefined ? undefined : await tokenPath.evaluate(parsed, responseBindings);
      if (response.status >= 400 || typeof token !== 'string' || token === '') {
        throw authError(`The login request ${context.redactor.url(url)} answered ${response.status} without a token at ${spec.tokenPath}.`, 'Check the login credentials in the connection config and auth.tokenPath.');
      }
      context.redactor.add(token);
      let ttl = (spec.ttlSeconds ?? 3600) * 1000;
      if (expiresInPath) {
        const seconds = Number(await expiresInPath.evaluate(parsed, responseBindings));
        if (Number.isFinite(seconds) && seconds > 0) ttl = seconds * 1000;
      }
      return { value: token, expiresAt: Date.now() + ttl };
    },
    async (request, token) => {
      const injected = value ? text(await value.render({ config, auth: { token } })) : token;
      if (spec.inject.in === 'header') request.headers[spec.inject.name.toLowerCase()] = injected;
      else request.url.searchParams.set(spec.inject.name, injected);
    },
  );
}
