// auth kind "headers": custom headers carrying credentials (two-part keys, vendor schemes).
import { text, staticProvider, type AuthContext, type AuthProvider } from './provider.ts';

export async function headersAuth(_spec: unknown, context: AuthContext): Promise<AuthProvider> {
  const render = context.sites.templates('/auth/headers', 'auth');
  const headers = ((await render?.({ config: context.config })) ?? {}) as Record<string, unknown>;
  for (const value of Object.values(headers)) context.redactor.add(text(value));
  return staticProvider((request) => {
    for (const [name, value] of Object.entries(headers)) request.headers[name.toLowerCase()] = text(value);
  });
}
