// auth kind "bearer": a static token in the Authorization header.
import { bearer, secret, staticProvider, type AuthContext, type AuthProvider } from './provider.ts';

export async function bearerAuth(_spec: unknown, context: AuthContext): Promise<AuthProvider> {
  const token = await secret(context, 'token');
  return staticProvider((request) => bearer(request, token));
}
