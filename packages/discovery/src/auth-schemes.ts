// Security schemes of a description mapped to DSL auth kinds, and which of them a set of operations should use.
import { isObject, objectAt, pointerOf, stringAt, type JsonObject } from './json.ts';
import type { AuthScheme } from './model.ts';

/** Every declared security scheme, in the description's order. */
export function authSchemes(document: JsonObject): AuthScheme[] {
  const schemes = objectAt(objectAt(document, 'components'), 'securitySchemes') ?? {};
  return Object.entries(schemes).flatMap(([name, scheme]) => (isObject(scheme) ? [authScheme(name, scheme)] : []));
}

function authScheme(name: string, scheme: JsonObject): AuthScheme {
  const pointer = pointerOf('components', 'securitySchemes', name);
  const type = stringAt(scheme, 'type');
  const description = stringAt(scheme, 'description');
  const base = { name, ...(description ? { description } : {}) };
  if (type === 'http') {
    const httpScheme = (stringAt(scheme, 'scheme') ?? '').toLowerCase();
    if (httpScheme === 'bearer') return { ...base, kind: 'bearer', evidence: [{ pointer, says: 'type http, scheme bearer' }] };
    if (httpScheme === 'basic') return { ...base, kind: 'basic', evidence: [{ pointer, says: 'type http, scheme basic' }] };
    return { ...base, kind: 'unsupported', evidence: [{ pointer, says: `type http, scheme ${httpScheme}: not a scheme the DSL has` }] };
  }
  if (type === 'apiKey') {
    const where = stringAt(scheme, 'in');
    const paramName = stringAt(scheme, 'name') ?? 'X-Api-Key';
    const prefix = valuePrefix(paramName, description);
    const says = `type apiKey, in ${where}, name ${paramName}${prefix ? `; the description writes the value as "${prefix}<key>"` : ''}`;
    if (where === 'header' || where === 'query' || where === 'cookie') {
      return { ...base, kind: where === 'cookie' ? 'cookie' : 'apiKey', in: where, paramName, ...(prefix ? { valuePrefix: prefix } : {}), evidence: [{ pointer, says }] };
    }
    return { ...base, kind: 'unsupported', evidence: [{ pointer, says }] };
  }
  if (type === 'oauth2') {
    const flows = objectAt(scheme, 'flows') ?? {};
    const code = objectAt(flows, 'authorizationCode');
    const client = objectAt(flows, 'clientCredentials');
    const flow = code ?? client ?? objectAt(flows, 'password') ?? objectAt(flows, 'implicit');
    const scopes = Object.keys(objectAt(flow, 'scopes') ?? {});
    const urls = {
      ...(stringAt(flow, 'authorizationUrl') ? { authorizeUrl: stringAt(flow, 'authorizationUrl') as string } : {}),
      ...(stringAt(flow, 'tokenUrl') ? { tokenUrl: stringAt(flow, 'tokenUrl') as string } : {}),
      scopes,
    };
    if (code) return { ...base, kind: 'oauth2AuthorizationCode', ...urls, evidence: [{ pointer: `${pointer}/flows/authorizationCode`, says: `OAuth 2.0 authorization code, ${scopes.length} scopes` }] };
    if (client) return { ...base, kind: 'oauth2ClientCredentials', ...urls, evidence: [{ pointer: `${pointer}/flows/clientCredentials`, says: `OAuth 2.0 client credentials, ${scopes.length} scopes` }] };
    // Implicit and password flows end in an access token a user can paste: a bearer token.
    return { ...base, kind: 'bearer', ...urls, evidence: [{ pointer: `${pointer}/flows`, says: 'OAuth 2.0 implicit or password flow: the access token is sent as a bearer token' }] };
  }
  if (type === 'openIdConnect') {
    return { ...base, kind: 'bearer', evidence: [{ pointer, says: 'OpenID Connect: the access token is sent as a bearer token' }] };
  }
  return { ...base, kind: 'unsupported', evidence: [{ pointer, says: `type ${type ?? '(none)'} is not a scheme the DSL has` }] };
}

/**
 * A prefix written before the key in the scheme's description, for keys in the Authorization header: PagerDuty's
 * "Token token=<API_KEY>". Only that exact form (a word, then name=, then a placeholder) is taken.
 */
function valuePrefix(paramName: string, description: string | undefined): string | undefined {
  if (!description || paramName.toLowerCase() !== 'authorization') return undefined;
  const match = /\b([A-Za-z]+ [A-Za-z_]+=)\s*[<{[]/.exec(description);
  return match?.[1];
}

/** How easily a person can supply a scheme's credentials when testing a draft: lower is easier. */
const EFFORT: Record<AuthScheme['kind'], number> = {
  apiKey: 0,
  bearer: 1,
  basic: 2,
  cookie: 3,
  oauth2ClientCredentials: 4,
  oauth2AuthorizationCode: 5,
  none: 6,
  unsupported: 9,
};

/**
 * The scheme a draft uses: among the requirement alternatives that apply to the drafted operations, the one
 * every operation accepts, then the easiest to supply; the description's own order breaks ties.
 */
export function chooseScheme(schemes: readonly AuthScheme[], requirements: ReadonlyArray<ReadonlyArray<Record<string, string[]>>>): AuthScheme | undefined {
  const usable = schemes.filter((scheme) => scheme.kind !== 'unsupported');
  const named = (name: string) => usable.find((scheme) => scheme.name === name);
  const counts = new Map<string, number>();
  for (const alternatives of requirements) {
    const names = new Set(alternatives.flatMap((alternative) => Object.keys(alternative)));
    for (const name of names) if (named(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const candidates = [...counts.keys()].map((name) => named(name) as AuthScheme);
  candidates.sort((a, b) => (counts.get(b.name) ?? 0) - (counts.get(a.name) ?? 0) || EFFORT[a.kind] - EFFORT[b.kind] || usable.indexOf(a) - usable.indexOf(b));
  return candidates[0];
}
