// auth kind "none": requests go out as they are.
import type { AuthProvider } from './provider.ts';

export function noAuth(): AuthProvider {
  return { apply: async () => undefined, invalidate: () => false };
}
