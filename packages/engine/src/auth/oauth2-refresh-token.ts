// auth kind "oauth2RefreshToken": access tokens from a refresh token (RFC 6749 §6). A server that rotates refresh
// tokens makes the old one invalid at once: the new one is kept and written back through onConfigUpdate.
import type { AuthSpec } from '@pullpush/schema';
import { basicCredentials, bearer, render, secret, type AuthContext, type AuthProvider } from './provider.ts';
import { expiresAt, requestToken, tokenProvider } from './token.ts';

type RefreshSpec = Extract<AuthSpec, { kind: 'oauth2RefreshToken' | 'oauth2AuthorizationCode' }>;

export async function oauth2RefreshTokenAuth(spec: RefreshSpec, context: AuthContext): Promise<AuthProvider> {
  const clientId = await secret(context, 'clientId');
  const clientSecret = await secret(context, 'clientSecret');
  let refreshToken = await secret(context, 'refreshToken');
  const tokenUrl = await render(context, 'tokenUrl');
  return tokenProvider(async () => {
    const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken };
    const basic = spec.clientAuth === 'basic';
    if (!basic) {
      form['client_id'] = clientId;
      if (clientSecret) form['client_secret'] = clientSecret;
    }
    const body = await requestToken(context, tokenUrl, form, basic ? basicCredentials(clientId, clientSecret) : undefined);
    const rotated = body['refresh_token'];
    if (typeof rotated === 'string' && rotated !== refreshToken) {
      refreshToken = rotated;
      if (spec.rotation) await context.onConfigUpdate?.(spec.rotation.configKey, rotated);
    }
    return { value: body['access_token'] as string, expiresAt: expiresAt(body) };
  }, bearer);
}
