// auth kind "oauth2AuthorizationCode": the user authorised the connection once (in the application, with PKCE);
// from then on the engine works from the stored refresh token exactly as oauth2RefreshToken does.
import type { AuthSpec } from '@pullpush/schema';
import { oauth2RefreshTokenAuth } from './oauth2-refresh-token.ts';
import type { AuthContext, AuthProvider } from './provider.ts';

export async function oauth2AuthorizationCodeAuth(spec: Extract<AuthSpec, { kind: 'oauth2AuthorizationCode' }>, context: AuthContext): Promise<AuthProvider> {
  // The authorize URL is for the application that sends the user there; rendering it checks it like every template.
  context.sites.template('/auth/authorizeUrl', 'auth');
  return oauth2RefreshTokenAuth(spec, context);
}
