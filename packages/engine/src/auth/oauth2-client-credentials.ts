// auth kind "oauth2ClientCredentials": an access token for the client itself (RFC 6749 §4.4), sent as a bearer.
import type { AuthSpec } from '@pullpush/schema';
import { pointer } from '../pointer.ts';
import { basicCredentials, bearer, render, secret, type AuthContext, type AuthProvider } from './provider.ts';
import { expiresAt, requestToken, tokenProvider } from './token.ts';

export async function oauth2ClientCredentialsAuth(spec: Extract<AuthSpec, { kind: 'oauth2ClientCredentials' }>, context: AuthContext): Promise<AuthProvider> {
  const clientId = await secret(context, 'clientId');
  const clientSecret = await secret(context, 'clientSecret');
  const extra: Record<string, string> = {};
  for (const key of Object.keys(spec.extraParams ?? {})) extra[key] = await render(context, pointer('extraParams', key).slice(1));
  const tokenUrl = await render(context, 'tokenUrl');
  return tokenProvider(async () => {
    const form: Record<string, string> = { grant_type: 'client_credentials', ...extra };
    if (spec.scopes) form['scope'] = spec.scopes.join(' ');
    const basic = spec.clientAuth === 'basic';
    if (!basic) Object.assign(form, { client_id: clientId, client_secret: clientSecret });
    const body = await requestToken(context, tokenUrl, form, basic ? basicCredentials(clientId, clientSecret) : undefined);
    return { value: body['access_token'] as string, expiresAt: expiresAt(body) };
  }, bearer);
}
