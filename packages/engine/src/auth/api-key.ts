// auth kind "apiKey": the key (with any prefix the template writes) in a header or a query parameter.
import type { AuthSpec } from '@pullpush/schema';
import { secret, staticProvider, type AuthContext, type AuthProvider } from './provider.ts';

export async function apiKeyAuth(spec: Extract<AuthSpec, { kind: 'apiKey' }>, context: AuthContext): Promise<AuthProvider> {
  const value = await secret(context, 'value');
  return staticProvider((request) => {
    if (spec.in === 'header') request.headers[spec.name.toLowerCase()] = value;
    else request.url.searchParams.set(spec.name, value);
  });
}
