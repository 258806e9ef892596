// Route table matching: `:name` segments capture one path segment. The first pattern in the table that matches
// the path decides; a method it does not serve answers 405 with an Allow header.
import type { AuthState } from './auth.ts';
import type { ApiStyle, Reply, RequestContext } from './http.ts';
import type { Idempotency } from './idempotency.ts';
import type { Settings } from './settings.ts';
import type { Store } from './store.ts';

/** What handlers may use besides the request. */
export interface Services {
  readonly store: Store;
  readonly auth: AuthState;
  readonly idempotency: Idempotency;
  readonly settings: Settings;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  pattern: string;
  style: ApiStyle;
  /** False only for the endpoints that hand out credentials (token, session) and the API description. */
  authenticated: boolean;
  /** The answer to a request without a User-Agent (or an empty one), given before anything else: GitHub's routes refuse it. */
  withoutUserAgent?: () => Reply;
  handle(ctx: RequestContext, services: Services): Reply | Promise<Reply>;
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { allowed: string[]; style: ApiStyle } | undefined;

function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] as string;
    if (part.startsWith(':')) {
      if (segment === '') return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

/**
 * The most specific pattern wins: the first one in the table that matches the path. If it has no route for the
 * method, the answer is 405 with the methods it does have, rather than falling through to a more general pattern.
 */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const segments = path.split('/').slice(1);
  for (const candidate of routes) {
    const params = matchPattern(candidate.pattern, segments);
    if (params === undefined) continue;
    const siblings = routes.filter((route) => route.pattern === candidate.pattern);
    const route = siblings.find((sibling) => sibling.method === method);
    if (route !== undefined) return { route, params };
    return { allowed: [...new Set(siblings.map((sibling) => sibling.method))], style: candidate.style };
  }
  return undefined;
}
