// The mock API of a description: a local HTTP server on 127.0.0.1 that serves each list operation's seeded records
// with the pagination discovery found, asks for the credentials its security schemes declare (401 without them),
// and refuses what the description does not declare (404 for an unknown path, 405 for another method, 400 for an
// unknown or malformed parameter), naming it. It is the contract check of drafts: a draft that reads the mock to
// the end asks only for what the description allows.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isObject, type JsonObject } from './json.ts';
import type { Draft } from './draft.ts';
import type { ApiModel, AuthScheme, ListOperation, PaginationParts } from './model.ts';
import { sampleRecord } from './sample-records.ts';

export interface MockApiOptions {
  /** Records each list holds (default 25). */
  records?: number;
  /** Most records a page holds, whatever a request asks for, as servers clamp (default 10). */
  maxPageSize?: number;
  /** Port on 127.0.0.1 (default: any free port). */
  port?: number;
}

/** The credentials the mock accepts, by the config key a draft asks for. */
export const MOCK_CREDENTIALS = {
  apiKey: 'mock-api-key',
  accessToken: 'mock-access-token',
  username: 'mock-user',
  password: 'mock-password',
  clientId: 'mock-client-id',
  clientSecret: 'mock-client-secret',
  refreshToken: 'mock-refresh-token',
} as const;

/**
 * A connection config for a draft against the mock: the mock's credentials under the draft's credential keys, and
 * for every other value the draft asks for its default, its first allowed value or a placeholder of its type
 * ("value-<key>", 1, true).
 */
export function mockConfig(draft: Draft): Record<string, unknown> {
  const properties = (draft.definition.config as { properties?: Record<string, JsonObject> } | undefined)?.properties ?? {};
  const config: Record<string, unknown> = {};
  for (const { key } of draft.report.config) {
    const schema = properties[key] ?? {};
    if (Object.hasOwn(MOCK_CREDENTIALS, key)) config[key] = MOCK_CREDENTIALS[key as keyof typeof MOCK_CREDENTIALS];
    else if (Array.isArray(schema['enum']) && schema['enum'].length > 0) config[key] = schema['enum'][0];
    else if (schema['default'] !== undefined) config[key] = schema['default'];
    else if (schema['type'] === 'integer' || schema['type'] === 'number') config[key] = 1;
    else if (schema['type'] === 'boolean') config[key] = true;
    else if (schema['format'] !== 'date-time') config[key] = `value-${key}`;
  }
  return config;
}

export interface MockRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  status: number;
}

export interface MockApi {
  /** The base URL to point a connection at (the first server's path on the mock's host). */
  readonly url: string;
  /** The requests answered, in order (the latest 10,000). */
  readonly requests: readonly MockRequest[];
  /** How many requests it has answered in all. */
  readonly answered: number;
  close(): Promise<void>;
}

interface Route {
  operation: ListOperation;
  pattern: RegExp;
  records: JsonObject[];
  schemes: Array<Record<string, string[]>>;
}

const MOCK_PAGE_PARAM = '_page';
const MAX_LOGGED_REQUESTS = 10_000;

export async function startMockApi(model: ApiModel, options: MockApiOptions = {}): Promise<MockApi> {
  const count = options.records ?? 25;
  const maxPageSize = options.maxPageSize ?? 10;
  const basePath = serverPath(model);
  const routes: Route[] = model.listOperations.map((operation) => ({
    operation,
    pattern: new RegExp(`^${escape(basePath + operation.path).replace(/\\\{[^}]+\\\}/g, '([^/]+)')}$`),
    records: Array.from({ length: count }, (_, index) => sampleRecord(operation.records.schema, index, operation.primaryKey[0]?.field)),
    schemes: operation.security.length > 0 ? operation.security : model.security,
  }));
  const tokenPaths = new Set(model.authSchemes.flatMap((scheme) => (scheme.tokenUrl ? [tokenPath(scheme.tokenUrl, basePath)] : [])));
  const requests: MockRequest[] = [];
  let answered = 0;
  const server: Server = createServer((request, response) => {
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      // A mock left running (pullpush mock) keeps the latest requests only.
      if (requests.length >= MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS + 1);
      requests.push({ method: request.method ?? 'GET', url: request.url ?? '/', status });
      answered += 1;
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    handle(request, reply, { routes, tokenPaths, model, maxPageSize }).catch((error: unknown) => reply(500, { error: 'mock_failure', message: (error as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    get answered() {
      return answered;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

interface MockContext {
  routes: Route[];
  tokenPaths: ReadonlySet<string>;
  model: ApiModel;
  maxPageSize: number;
}

async function handle(request: IncomingMessage, reply: Reply, context: MockContext): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://mock.invalid');
  const method = request.method ?? 'GET';
  if (context.tokenPaths.has(url.pathname)) {
    if (method !== 'POST') return reply(405, { error: 'method_not_allowed', message: `The token endpoint ${url.pathname} takes POST.` }, { allow: 'POST' });
    const form = new URLSearchParams(await bodyText(request));
    const basic = basicCredentials(request.headers.authorization);
    const clientId = form.get('client_id') ?? basic?.[0];
    const clientSecret = form.get('client_secret') ?? basic?.[1];
    const grant = form.get('grant_type');
    const granted = clientId === MOCK_CREDENTIALS.clientId && clientSecret === MOCK_CREDENTIALS.clientSecret && (grant === 'client_credentials' || (grant === 'refresh_token' && form.get('refresh_token') === MOCK_CREDENTIALS.refreshToken));
    if (!granted) return reply(400, { error: 'invalid_grant', error_description: 'Unknown client or refresh token.' });
    return reply(200, { access_token: MOCK_CREDENTIALS.accessToken, token_type: 'Bearer', expires_in: 3600 });
  }
  const matched = context.routes.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).find((entry) => entry.match);
  if (!matched) return reply(404, { error: 'not_found', message: `${method} ${url.pathname} is not a list operation of ${context.model.title}'s description.` });
  const { route } = matched;
  const operation = route.operation;
  if (method !== 'GET' && method !== 'HEAD') return reply(405, { error: 'method_not_allowed', message: `${operation.path} takes GET in the description, not ${method}.` }, { allow: 'GET, HEAD' });
  if (!authorized(request, url, route.schemes, context.model.authSchemes)) {
    return reply(401, { error: 'unauthorized', message: `${operation.path} needs the credentials of ${route.schemes.map((alternative) => Object.keys(alternative).join(' + ')).join(' or ')}.` }, { 'www-authenticate': 'Bearer realm="mock"' });
  }
  // Declared parameters, the API key's, and those discovery concluded the pagination takes (a cursor the response
  // hands back under a name no parameter declares).
  const { pageParam, sizeParam, offsetParam, cursorParam } = operation.pagination.parts;
  const inferred = [pageParam, sizeParam, offsetParam, cursorParam].filter((name): name is string => name !== undefined);
  const allowed = new Set([...operation.declaredQuery, ...context.model.authSchemes.filter((scheme) => scheme.in === 'query').map((scheme) => scheme.paramName as string), ...inferred, MOCK_PAGE_PARAM]);
  for (const name of new Set(url.searchParams.keys())) {
    if (!allowed.has(name)) return reply(400, { error: 'unknown_parameter', message: `Query parameter "${name}" is not declared for GET ${operation.path}; declared: ${operation.declaredQuery.join(', ') || 'none'}.` });
  }
  for (const param of operation.parameters) {
    if (param.in === 'header' && param.name.toLowerCase() === 'content-type') continue;
    const present = param.in === 'query' ? url.searchParams.has(param.name) : param.in === 'header' ? request.headers[param.name.toLowerCase()] !== undefined : true;
    if (param.required && !present) return reply(400, { error: 'missing_parameter', message: `GET ${operation.path} requires the ${param.in} parameter "${param.name}".` });
    const value = url.searchParams.get(param.name);
    if (param.in === 'query' && value !== null && param.type === 'integer' && !/^-?\d+$/.test(value)) {
      return reply(400, { error: 'invalid_parameter', message: `Query parameter "${param.name}" of GET ${operation.path} must be an integer, not "${value}".` });
    }
  }
  const page = pageOf(route, url, context.maxPageSize);
  if (typeof page === 'string') return reply(400, { error: 'invalid_parameter', message: page });
  return reply(200, page.body, page.headers);
}

/** One page of a route's records, shaped the way the description's pagination says, or the complaint. */
function pageOf(route: Route, url: URL, maxPageSize: number): { body: unknown; headers: Record<string, string> } | string {
  const { operation, records } = route;
  const spec = operation.pagination.spec;
  const parts: PaginationParts = operation.pagination.parts;
  const number = (name: string | undefined): number | undefined | string => {
    const value = name ? url.searchParams.get(name) : null;
    if (value === null) return undefined;
    return /^\d+$/.test(value) ? Number(value) : `Query parameter "${name}" of GET ${operation.path} must be a whole number, not "${value}".`;
  };
  const asked = number(parts.sizeParam);
  if (typeof asked === 'string') return asked;
  const size = Math.max(1, Math.min(asked ?? maxPageSize, maxPageSize));
  let start = 0;
  switch (spec.kind) {
    case 'none':
      return { body: envelope(operation, records, {}), headers: {} };
    case 'page':
    case 'link':
    case 'nextUrl': {
      const first = spec.kind === 'page' ? (spec.startPage ?? 1) : 1;
      const page = number(parts.pageParam ?? MOCK_PAGE_PARAM) ?? number(MOCK_PAGE_PARAM) ?? first;
      if (typeof page === 'string') return page;
      start = (page - first) * size;
      break;
    }
    case 'offset': {
      const offset = number(parts.offsetParam) ?? spec.startAt ?? 0;
      if (typeof offset === 'string') return offset;
      start = offset;
      break;
    }
    case 'cursor': {
      const cursor = parts.cursorParam ? url.searchParams.get(parts.cursorParam) : null;
      if (cursor !== null && parts.cursorFromRecord) {
        const after = records.findIndex((record) => String(record[parts.cursorFromRecord as string]) === cursor);
        if (after < 0) return `No record has ${parts.cursorFromRecord} "${cursor}" (GET ${operation.path}).`;
        start = after + 1;
      } else if (cursor !== null) {
        const position = /^mock-cursor-(\d+)$/.exec(cursor);
        if (!position) return `Cursor "${cursor}" was not issued by this API (GET ${operation.path}).`;
        start = Number(position[1]);
      }
      break;
    }
  }
  const slice = records.slice(start, start + size);
  const more = start + size < records.length;
  const next = new URL(url);
  const fields: Array<[string[] | undefined, unknown]> = [
    [parts.hasMoreField, more],
    [parts.isLastField, !more],
    [parts.totalField, records.length],
    [parts.totalPagesField, Math.ceil(records.length / size)],
  ];
  const headers: Record<string, string> = {};
  if (spec.kind === 'cursor' && parts.cursorField) fields.push([parts.cursorField, more ? `mock-cursor-${start + size}` : null]);
  if (spec.kind === 'link' || spec.kind === 'nextUrl') {
    const param = parts.pageParam ?? MOCK_PAGE_PARAM;
    next.searchParams.set(param, String(Math.floor(start / size) + 2));
    if (parts.sizeParam) next.searchParams.set(parts.sizeParam, String(size));
    const relative = `${next.pathname}${next.search}`;
    if (spec.kind === 'nextUrl') fields.push([parts.nextUrlField, more ? relative : null]);
    else if (more) headers['link'] = `<${relative}>; rel="next"`;
  }
  return { body: envelope(operation, slice, Object.fromEntries(fields.filter(([path]) => path).map(([path, value]) => [(path as string[]).join('\u0000'), value]))), headers };
}

/** The response body: the records at their path, the pagination fields at theirs (keys are NUL-joined paths). */
function envelope(operation: ListOperation, records: JsonObject[], fields: Record<string, unknown>): unknown {
  if (!operation.records.path) return records;
  const body: JsonObject = {};
  const put = (path: string[], value: unknown) => {
    let node = body;
    for (const segment of path.slice(0, -1)) {
      if (!isObject(node[segment])) node[segment] = {};
      node = node[segment] as JsonObject;
    }
    node[path.at(-1) as string] = value;
  };
  put(operation.records.path.split('.'), records);
  for (const [key, value] of Object.entries(fields)) put(key.split('\u0000'), value);
  return body;
}

function authorized(request: IncomingMessage, url: URL, alternatives: Array<Record<string, string[]>>, schemes: readonly AuthScheme[]): boolean {
  const checkable = alternatives.filter((alternative) => Object.keys(alternative).every((name) => schemes.some((scheme) => scheme.name === name)));
  if (checkable.length === 0) return true;
  return checkable.some((alternative) => Object.keys(alternative).every((name) => satisfies(request, url, schemes.find((scheme) => scheme.name === name) as AuthScheme)));
}

function satisfies(request: IncomingMessage, url: URL, scheme: AuthScheme): boolean {
  const authorization = request.headers.authorization ?? '';
  switch (scheme.kind) {
    case 'bearer':
    case 'oauth2AuthorizationCode':
    case 'oauth2ClientCredentials':
      return authorization === `Bearer ${MOCK_CREDENTIALS.accessToken}`;
    case 'basic': {
      const pair = basicCredentials(authorization);
      return pair?.[0] === MOCK_CREDENTIALS.username && pair[1] === MOCK_CREDENTIALS.password;
    }
    case 'apiKey': {
      const expected = `${scheme.valuePrefix ?? ''}${MOCK_CREDENTIALS.apiKey}`;
      return scheme.in === 'query' ? url.searchParams.get(scheme.paramName as string) === expected : request.headers[(scheme.paramName as string).toLowerCase()] === expected;
    }
    case 'cookie':
      return (request.headers.cookie ?? '').split(/;\s*/).includes(`${scheme.paramName}=${MOCK_CREDENTIALS.apiKey}`);
    case 'none':
    case 'unsupported':
      return true;
  }
}

function basicCredentials(header: string | undefined): [string, string] | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

async function bodyText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 65_536) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The first absolute server's path ("/api/v2"), with variables replaced by their defaults. */
function serverPath(model: ApiModel): string {
  const server = model.servers.find((candidate) => /^https?:\/\//i.test(candidate.url));
  if (!server) return '';
  const url = server.url.replace(/\{([^}]+)\}/g, (_whole, name: string) => server.variables.find((variable) => variable.name === name)?.default || 'x');
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

/** The token endpoint's path on the mock: its own path when on the API's host or relative, else unreachable. */
function tokenPath(tokenUrl: string, basePath: string): string {
  try {
    return new URL(tokenUrl).pathname;
  } catch {
    return `${basePath}/${tokenUrl.replace(/^\//, '')}`;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

