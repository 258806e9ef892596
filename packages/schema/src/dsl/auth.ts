import Type from 'typebox';
import { Expression, Headers, Tagged, Template, Variant } from './building-blocks.ts';
import { Request } from './http.ts';

const Scopes = Type.Array(Type.String({ minLength: 1 }), { description: 'OAuth scopes to request.', uniqueItems: true });
const TokenUrl = Template('Token endpoint URL; its host is allowed automatically.', 'auth');
const ClientId = Template('OAuth client id (usually {{ $config.clientId }}).', 'auth');
const ClientSecret = Template('OAuth client secret (usually {{ $config.clientSecret }}).', 'auth');
/** Hosts besides the base URL's that get the credentials: by default a request to another allowed host (a CDN) goes without them. */
const CredentialHosts = Type.Optional(
  Type.Array(Type.String({ pattern: '^(\\*\\.)?[a-z0-9.-]+(:[0-9]+)?$', description: 'Host name, optionally with a *. prefix or a port.' }), {
    description: "Hosts besides the base URL's that receive the credentials (each must also be allowed: http.allowedHosts). Requests to other hosts go without them.",
    uniqueItems: true,
  }),
);
const ClientAuth = Type.Optional(
  Type.Enum(['body', 'basic'], { description: 'How the client credentials reach the token endpoint (default body).' }),
);

export const AuthNone = Variant('none', 'no authentication', {});
export const AuthApiKey = Variant('apiKey', 'an API key in a header or query parameter', {
  in: Type.Enum(['header', 'query'], { description: 'Where the key goes.' }),
  name: Type.String({ minLength: 1, description: 'Header or query parameter name (X-Api-Key, api_key).' }),
  value: Template('The key, with any prefix: "Token token={{ $config.apiKey }}".', 'auth'),
  hosts: CredentialHosts,
});
export const AuthBearer = Variant('bearer', 'a static bearer token in the Authorization header', {
  token: Template('The token: {{ $config.accessToken }}.', 'auth'),
  hosts: CredentialHosts,
});
export const AuthBasic = Variant('basic', 'HTTP basic authentication', {
  username: Template('User name (for key-as-username APIs: {{ $config.apiKey }}).', 'auth'),
  password: Template('Password; may be empty.', 'auth'),
  hosts: CredentialHosts,
});
export const AuthOAuth2ClientCredentials = Variant('oauth2ClientCredentials', 'OAuth 2.0 client credentials grant', {
  tokenUrl: TokenUrl,
  clientId: ClientId,
  clientSecret: ClientSecret,
  clientAuth: ClientAuth,
  scopes: Type.Optional(Scopes),
  extraParams: Type.Optional(Type.Record(Type.String(), Template('Value.', 'auth'), { description: 'Extra token request parameters (audience).' })),
  hosts: CredentialHosts,
});
export const AuthOAuth2RefreshToken = Variant('oauth2RefreshToken', 'OAuth 2.0 refresh-token grant, with rotation', {
  tokenUrl: TokenUrl,
  clientId: ClientId,
  clientSecret: ClientSecret,
  clientAuth: ClientAuth,
  refreshToken: Template('The refresh token: {{ $config.refreshToken }}.', 'auth'),
  rotation: Type.Optional(
    Type.Object(
      { configKey: Type.String({ minLength: 1, description: 'Config property the new refresh token is written back to.' }) },
      { additionalProperties: false, description: 'When the server rotates refresh tokens, where the new one is written back.' },
    ),
  ),
  hosts: CredentialHosts,
});
export const AuthOAuth2AuthorizationCode = Variant('oauth2AuthorizationCode', 'OAuth 2.0 authorization code grant with PKCE, then refresh tokens', {
  authorizeUrl: Template('Authorization endpoint the user is sent to.', 'auth'),
  tokenUrl: TokenUrl,
  clientId: ClientId,
  clientSecret: Type.Optional(ClientSecret),
  clientAuth: ClientAuth,
  scopes: Type.Optional(Scopes),
  pkce: Type.Optional(Type.Boolean({ description: 'Use PKCE (S256); default true.' })),
  refreshToken: Template('The stored refresh token: {{ $config.refreshToken }}.', 'auth'),
  rotation: Type.Optional(
    Type.Object(
      { configKey: Type.String({ minLength: 1, description: 'Config property the new refresh token is written back to.' }) },
      { additionalProperties: false, description: 'Where a rotated refresh token is written back.' },
    ),
  ),
  hosts: CredentialHosts,
});
export const AuthSession = Variant('session', 'a login request that returns a session token', {
  login: Request('auth'),
  tokenPath: Expression('Where the token is in the login response (data.token).', 'loginResponse'),
  expiresInPath: Type.Optional(Expression('Where the lifetime in seconds is in the login response (expires_in).', 'loginResponse')),
  ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, description: 'Lifetime of a session when the response does not say.' })),
  inject: Type.Object(
    {
      in: Type.Enum(['header', 'query'], { description: 'Header or query parameter.' }),
      name: Type.String({ minLength: 1, description: 'Its name (X-Session-Token).' }),
    },
    { additionalProperties: false, description: 'Where the token goes in later requests.' },
  ),
  value: Type.Optional(Template('Injected value (default "{{ $auth.token }}"): "Session {{ $auth.token }}".', 'session')),
  hosts: CredentialHosts,
});
export const AuthHeaders = Variant('headers', 'custom headers carrying credentials', {
  headers: Headers('auth'),
  hosts: CredentialHosts,
});

export const Auth = Tagged(
  [AuthNone, AuthApiKey, AuthBearer, AuthBasic, AuthOAuth2ClientCredentials, AuthOAuth2RefreshToken, AuthOAuth2AuthorizationCode, AuthSession, AuthHeaders],
  'How requests authenticate. Secrets may flow only into auth.',
);

export const AUTH_KINDS = ['none', 'apiKey', 'bearer', 'basic', 'oauth2ClientCredentials', 'oauth2RefreshToken', 'oauth2AuthorizationCode', 'session', 'headers'] as const;
