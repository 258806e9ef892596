// auth kind "basic": HTTP basic authentication (RFC 7617).
import { basicCredentials, secret, staticProvider, type AuthContext, type AuthProvider } from './provider.ts';

export async function basicAuth(_spec: unknown, context: AuthContext): Promise<AuthProvider> {
  const encoded = basicCredentials(await secret(context, 'username'), await secret(context, 'password'));
  context.redactor.add(encoded);
  return staticProvider((request) => void (request.headers['authorization'] = `Basic ${encoded}`));
}
