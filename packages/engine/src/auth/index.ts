// Auth at run time: each auth kind of the DSL has its module; this table builds the provider of a definition's auth.
import type { AuthSpec } from '@pullpush/schema';
import { buildComponent, type RuntimeTable } from '../component.ts';
import { hostMatches } from '../net/policy.ts';
import { apiKeyAuth } from './api-key.ts';
import { basicAuth } from './basic.ts';
import { bearerAuth } from './bearer.ts';
import { headersAuth } from './headers.ts';
import { noAuth } from './none.ts';
import { oauth2AuthorizationCodeAuth } from './oauth2-authorization-code.ts';
import { oauth2ClientCredentialsAuth } from './oauth2-client-credentials.ts';
import { oauth2RefreshTokenAuth } from './oauth2-refresh-token.ts';
import type { AuthContext, AuthProvider } from './provider.ts';
import { sessionAuth } from './session.ts';

export type { AuthContext, AuthProvider, PreparedRequest } from './provider.ts';

const AUTH: RuntimeTable<AuthSpec, AuthContext, Promise<AuthProvider>> = {
  none: async () => noAuth(),
  apiKey: apiKeyAuth,
  bearer: bearerAuth,
  basic: basicAuth,
  headers: headersAuth,
  oauth2ClientCredentials: oauth2ClientCredentialsAuth,
  oauth2RefreshToken: oauth2RefreshTokenAuth,
  oauth2AuthorizationCode: oauth2AuthorizationCodeAuth,
  session: sessionAuth,
};

/**
 * The auth kind's provider, applied only to requests for the base URL's host and the hosts auth declares
 * (`auth.hosts`): a request to another allowed host (a CDN, a file store) goes without the credentials.
 */
export async function createAuthProvider(spec: AuthSpec, context: AuthContext): Promise<AuthProvider> {
  const provider = await buildComponent(AUTH, spec, context);
  const hosts = [context.baseUrl.host, ...('hosts' in spec && spec.hosts ? spec.hosts : [])];
  return {
    apply: (request) => (hostMatches(request.url, hosts) ? provider.apply(request) : Promise.resolve()),
    invalidate: () => provider.invalidate(),
  };
}
