// The route table, most specific first: the credential endpoints, the imitations of real APIs, then the generic
// collections (whose `/{resource}` patterns would otherwise swallow everything).
import { SESSION_PATH, TOKEN_PATH } from '../auth.ts';
import type { Route } from '../router.ts';
import { formatRoutes } from './formats.ts';
import { githubRoutes } from './github.ts';
import { jiraRoutes } from './jira.ts';
import { descriptionRoutes } from './openapi.ts';
import { recordRoutes } from './records.ts';
import { redmineRoutes } from './redmine.ts';
import { searchRoutes } from './search.ts';
import { slackRoutes } from './slack.ts';
import { stripeRoutes } from './stripe.ts';
import { styleRoutes } from './styles.ts';
import { wordpressRoutes } from './wordpress.ts';
import { writeRoutes } from './writes.ts';

const credentialRoutes: Route[] = [
  { method: 'POST', pattern: TOKEN_PATH, style: 'oauth', authenticated: false, handle: (ctx, { auth }) => auth.token(ctx) },
  { method: 'POST', pattern: SESSION_PATH, style: 'generic', authenticated: false, handle: (ctx, { auth }) => auth.session(ctx) },
];

export const ROUTES: readonly Route[] = [
  ...credentialRoutes,
  ...descriptionRoutes,
  ...stripeRoutes,
  ...githubRoutes,
  ...jiraRoutes,
  ...slackRoutes,
  ...redmineRoutes,
  ...wordpressRoutes,
  ...searchRoutes,
  ...formatRoutes,
  ...styleRoutes,
  ...recordRoutes,
  ...writeRoutes,
];

export interface RouteInfo {
  method: Route['method'];
  /** The path with {placeholders}: /repos/{owner}/{repo}/issues. */
  path: string;
  /** The API whose shapes (and error bodies) the route imitates. */
  api: Route['style'];
  /** False for the credential endpoints and the API description, which need no auth and are outside the rate limit. */
  authenticated: boolean;
}

/** Every route the server answers, most specific first: for documentation, demos and discovery tests. */
export function listRoutes(): RouteInfo[] {
  return ROUTES.map((route) => ({
    method: route.method,
    path: route.pattern.replace(/:(\w+)/g, '{$1}'),
    api: route.style,
    authenticated: route.authenticated,
  }));
}
