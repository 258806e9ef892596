// Drafting: the API model in, a complete connector definition out, with a report that gives each generated
// choice its place in the definition, its confidence and the description element it rests on. Deterministic:
// the same model gives the same bytes.
import { PullPushError } from '@pullpush/canonical';
import type { AuthSpec, ConnectorDefinition, IncrementalSpec, StreamSpec } from '@pullpush/schema';
import { chooseScheme } from './auth-schemes.ts';
import type { Skipped } from './description.ts';
import { DiscoveryErrorCode } from './errors.ts';
import type { JsonObject } from './json.ts';
import type { ApiModel, AuthScheme, Evidence, ListOperation } from './model.ts';
import { guessCanonical } from './canonical-guess.ts';
import { camelCase, jsonataPath, snakeCase } from './names.ts';
import { resourceName } from './records.ts';

export interface DraftOptions {
  /** The operations to draft, by operationId, "GET /path", path or stream name; default: the best `maxStreams`. */
  streams?: readonly string[];
  /** How many operations the heuristic picks when `streams` is not given (default 5). Parents come on top. */
  maxStreams?: number;
  /** Connector id (default: from the title). */
  id?: string;
  /** Map streams to the canonical type their resource names, where every field it needs is found (default true). */
  canonical?: boolean;
}

/** One generated choice: where it is in the definition, how sure drafting is, and why. */
export interface DraftChoice {
  pointer: string;
  summary: string;
  confidence: number;
  evidence: Evidence[];
}

export interface DraftStreamReport {
  name: string;
  operation: string;
  path: string;
  /** Why the heuristic picked it (or "asked for"). */
  picked: string;
  confidence: number;
  choices: DraftChoice[];
}

export interface DraftReport {
  source: { origin: string; format: string; title: string; version?: string; sha256: string };
  connection: DraftChoice[];
  streams: DraftStreamReport[];
  /** What a connection must supply (config keys), secrets marked. */
  config: Array<{ key: string; secret: boolean; why: string }>;
  /** What to check by hand before trusting the draft. */
  review: string[];
  skipped: Skipped[];
}

export interface Draft {
  definition: ConnectorDefinition;
  report: DraftReport;
}

const DEFAULT_MAX_STREAMS = 5;

/**
 * The heuristic that picks streams when none are named: operations are ranked by discovery's confidence, plus
 * 0.1 when their pagination is known, minus 0.15 for each required value a user must supply (a query or header
 * parameter, or a path parameter no parent stream fills), minus 0.02 for each path segment past the first, minus
 * 0.3 without a key field; deprecated operations are never picked; ties keep the description's order; one stream
 * per resource name.
 */
export function rankOperations(model: ApiModel): Array<{ operation: ListOperation; score: number }> {
  const ranked = model.listOperations
    .filter((operation) => !operation.deprecated)
    .map((operation, order) => ({ operation, order, score: score(operation) }));
  ranked.sort((a, b) => b.score - a.score || a.order - b.order);
  return ranked.map(({ operation, score: value }) => ({ operation, score: Math.round(value * 100) / 100 }));
}

function score(operation: ListOperation): number {
  const paginated = operation.pagination.spec.kind !== 'none' && operation.pagination.confidence >= 0.7 ? 0.1 : 0;
  const asks = operation.parameters.filter((param) => param.required && param.default === undefined && !(param.in === 'path' && operation.parent?.param === param.name)).length;
  const depth = operation.path.split('/').filter((segment) => segment !== '').length - 1;
  return operation.confidence + paginated - 0.15 * asks - 0.02 * depth - (operation.primaryKey.length > 0 ? 0 : 0.3);
}

export function draftConnector(model: ApiModel, options: DraftOptions = {}): Draft {
  const picked = pickOperations(model, options);
  const config = new ConfigBuilder();
  const connection: DraftChoice[] = [];
  const review: string[] = [];
  const http = httpSettings(model, config, connection, review);
  const scheme = chooseScheme(model.authSchemes, picked.map(({ operation }) => (operation.security.length > 0 ? operation.security : model.security)));
  const auth = authSpec(scheme, picked, http.baseUrl, config, connection, review);
  const names = streamNames(picked.map(({ operation }) => operation));
  const streams: Record<string, StreamSpec> = {};
  const streamReports: DraftStreamReport[] = [];
  for (const { operation, why } of picked) {
    const name = names.get(operation) as string;
    const { stream, choices } = streamSpec(name, operation, model, names, config, review, options.canonical !== false);
    streams[name] = stream;
    streamReports.push({ name, operation: operation.id, path: operation.path, picked: why, confidence: operation.confidence, choices });
  }
  // The check stream proves the credentials, so it should be one the description does not also serve anonymously.
  const unpartitioned = picked.filter(({ operation }) => !streams[names.get(operation) as string]?.partitions);
  const needsAuth = unpartitioned.find(({ operation }) => !(operation.security.length > 0 ? operation.security : model.security).some((alternative) => Object.keys(alternative).length === 0));
  const firstStream = names.get((needsAuth ?? unpartitioned[0] ?? picked[0])?.operation as ListOperation) as string;
  const definition = {
    dsl: 'pullpush/v1',
    id: options.id ?? (slug(model.title) || 'drafted-api'),
    name: model.title,
    version: '0.1.0',
    description: `Drafted by PullPush discovery from ${model.title}${model.version ? ` ${model.version}` : ''} (${model.format}): ${Object.keys(streams).join(', ')}.`,
    ...(model.documentationUrl ? { documentationUrl: model.documentationUrl } : {}),
    config: config.schema(),
    http,
    auth,
    streams,
    check: { stream: firstStream },
  } as ConnectorDefinition;
  return {
    definition,
    report: {
      source: { origin: model.origin, format: model.format, title: model.title, ...(model.version ? { version: model.version } : {}), sha256: model.sha256 },
      connection,
      streams: streamReports,
      config: config.keys(),
      review,
      skipped: model.skipped,
    },
  };
}

function pickOperations(model: ApiModel, options: DraftOptions): Array<{ operation: ListOperation; why: string }> {
  const chosen: Array<{ operation: ListOperation; why: string }> = [];
  const add = (operation: ListOperation, why: string) => {
    if (chosen.some((entry) => entry.operation === operation)) return;
    // A parent comes before its child, so the child's partitions name a stream that exists.
    const parent = operation.parent ? model.listOperations.find((candidate) => candidate.id === operation.parent?.operation) : undefined;
    if (parent) add(parent, `parent of ${operation.id}: its records fill {${operation.parent?.param}}`);
    chosen.push({ operation, why });
  };
  if (options.streams && options.streams.length > 0) {
    const names = streamNames(model.listOperations);
    for (const wanted of options.streams) {
      const operation = model.listOperations.find((candidate) => [candidate.id, `GET ${candidate.path}`, candidate.path, names.get(candidate)].includes(wanted));
      if (!operation) {
        throw new PullPushError(DiscoveryErrorCode.UnknownOperation, `No list operation "${wanted}" in ${model.origin}.`, {
          hint: `Name an operation by its operationId, "GET /path", path or stream name; pullpush discover lists them (${model.listOperations.slice(0, 5).map((candidate) => candidate.id).join(', ')}, …).`,
        });
      }
      add(operation, 'asked for');
    }
    return chosen;
  }
  if (model.listOperations.length === 0) {
    throw new PullPushError(DiscoveryErrorCode.NoListOperations, `${model.origin} has no operation that lists records, so there is nothing to draft.`, {
      hint: 'Discovery drafts streams from GET operations whose 2xx JSON response is an array of objects or holds one. For an API without such a description, probe an endpoint instead (pullpush probe).',
    });
  }
  const max = options.maxStreams ?? DEFAULT_MAX_STREAMS;
  const resources = new Set<string>();
  for (const { operation, score: value } of rankOperations(model)) {
    if (chosen.filter((entry) => entry.why.startsWith('ranked')).length >= max) break;
    const resource = resourceName(operation.path).toLowerCase();
    if (resources.has(resource)) continue;
    resources.add(resource);
    add(operation, `ranked ${value} (confidence ${operation.confidence}, pagination ${operation.pagination.spec.kind})`);
  }
  if (chosen.length === 0) {
    throw new PullPushError(DiscoveryErrorCode.NoListOperations, `Every list operation of ${model.origin} is deprecated, so none is picked.`, {
      hint: 'Name the operations to draft (pullpush draft --stream, generate_connector streams).',
    });
  }
  return chosen;
}

/** Stream names from resource names, made unique with the parent segment or a number. */
function streamNames(operations: readonly ListOperation[]): Map<ListOperation, string> {
  const names = new Map<ListOperation, string>();
  const used = new Set<string>();
  for (const operation of operations) {
    const base = snakeCase(resourceName(operation.path)) || snakeCase(operation.id) || 'records';
    const literal = operation.path.split('/').filter((segment) => segment !== '' && !segment.startsWith('{'));
    const qualified = snakeCase(literal.slice(-2).join('_').replace(/\.(json|xml)$/i, ''));
    let name = /^[a-z]/.test(base) ? base : `s_${base}`;
    if (used.has(name) && qualified && !used.has(qualified)) name = /^[a-z]/.test(qualified) ? qualified : `s_${qualified}`;
    for (let counter = 2; used.has(name); counter += 1) name = `${base}_${counter}`;
    used.add(name);
    names.set(operation, name);
  }
  return names;
}

class ConfigBuilder {
  readonly #properties = new Map<string, JsonObject>();
  readonly #required: string[] = [];
  readonly #why = new Map<string, string>();

  /** Declares a config value and returns its template. */
  add(key: string, schema: JsonObject, why: string, required = true): string {
    if (!this.#properties.has(key)) {
      this.#properties.set(key, schema);
      this.#why.set(key, why);
      if (required) this.#required.push(key);
    }
    return `{{ $config.${key} }}`;
  }

  schema(): JsonObject {
    return { type: 'object', required: this.#required, additionalProperties: false, properties: Object.fromEntries(this.#properties) };
  }

  keys(): DraftReport['config'] {
    return [...this.#properties].map(([key, schema]) => ({ key, secret: schema['secret'] === true, why: this.#why.get(key) as string }));
  }
}

function httpSettings(model: ApiModel, config: ConfigBuilder, connection: DraftChoice[], review: string[]): ConnectorDefinition['http'] {
  const server = model.servers.find((candidate) => /^https?:\/\//i.test(candidate.url));
  let baseUrl: string;
  if (!server) {
    baseUrl = config.add('baseUrl', { type: 'string', format: 'uri', title: 'Base URL', description: 'The API\'s base URL: the description declares no absolute server.' }, 'the description names no absolute server URL');
    review.push('The description declares no absolute server URL: a connection supplies baseUrl.');
    connection.push({ pointer: '/http/baseUrl', summary: 'from the connection (baseUrl)', confidence: 0.3, evidence: [{ pointer: '/servers', says: 'no absolute server URL' }] });
  } else {
    baseUrl = server.url.replace(/\/+$/, '').replace(/\{([^}]+)\}/g, (_whole, name: string) => {
      const variable = server.variables.find((candidate) => candidate.name === name);
      return config.add(camelCase(name), {
        type: 'string',
        title: name,
        ...(variable?.description ? { description: variable.description } : {}),
        ...(variable?.default !== undefined && variable.default !== '' ? { default: variable.default } : {}),
        ...(variable?.enum ? { enum: variable.enum } : {}),
      }, `server variable {${name}}`);
    });
    if (baseUrl.startsWith('http://')) {
      baseUrl = `https://${baseUrl.slice('http://'.length)}`;
      review.push(`The description's server is plain http (${server.url}); the draft uses https, which definitions require.`);
    }
    const others = model.servers.length - 1;
    connection.push({ pointer: '/http/baseUrl', summary: baseUrl, confidence: server.variables.length > 0 ? 0.8 : 0.9, evidence: [{ pointer: `/servers/${model.servers.indexOf(server)}`, says: `the first absolute server${others > 0 ? ` (${others} other${others === 1 ? '' : 's'} declared: ${model.servers.filter((candidate) => candidate !== server).map((candidate) => candidate.url).join(', ')})` : ''}` }] });
  }
  const headers = Object.fromEntries(model.constantHeaders.map((header) => [header.name, header.value]));
  for (const header of model.constantHeaders) connection.push({ pointer: `/http/headers/${header.name}`, summary: `${header.name}: ${header.value}`, confidence: 0.8, evidence: header.evidence });
  return { baseUrl, ...(model.constantHeaders.length > 0 ? { headers } : {}) };
}

/**
 * A token URL on the API's own host is written as a path, which resolves against the base URL: the same request
 * against the API, and the right one against a sandbox or a mock the base URL is pointed at.
 */
function sameHostPath(url: string, baseUrl: string): string {
  try {
    const target = new URL(url);
    return !baseUrl.includes('{{') && target.host === new URL(baseUrl).host ? `${target.pathname}${target.search}` : url;
  } catch {
    return url;
  }
}

function authSpec(scheme: AuthScheme | undefined, picked: ReadonlyArray<{ operation: ListOperation }>, baseUrl: string, config: ConfigBuilder, connection: DraftChoice[], review: string[]): AuthSpec {
  const secret = (key: string, title: string, description: string) => config.add(key, { type: 'string', title, description, secret: true }, `credential for the ${scheme?.name ?? ''} security scheme`);
  const choice = (summary: string, confidence: number) => connection.push({ pointer: '/auth', summary, confidence, evidence: scheme?.evidence ?? [{ pointer: '/components/securitySchemes', says: 'no security scheme declared' }] });
  if (!scheme) {
    review.push('The description declares no usable security scheme: the draft sends no credentials. If the API needs them, set auth by hand.');
    choice('none', 0.4);
    return { kind: 'none' };
  }
  switch (scheme.kind) {
    case 'apiKey': {
      const value = `${scheme.valuePrefix ?? ''}${secret('apiKey', 'API key', scheme.description?.slice(0, 300) ?? `Sent in the ${scheme.paramName} ${scheme.in}.`)}`;
      choice(`apiKey in ${scheme.in} ${scheme.paramName}${scheme.valuePrefix ? ` as "${scheme.valuePrefix}<key>"` : ''}`, 0.9);
      return { kind: 'apiKey', in: scheme.in === 'query' ? 'query' : 'header', name: scheme.paramName as string, value };
    }
    case 'cookie': {
      choice(`a Cookie header carrying ${scheme.paramName}`, 0.7);
      return { kind: 'headers', headers: { Cookie: `${scheme.paramName}=${secret('apiKey', 'API key', `Sent as the ${scheme.paramName} cookie.`)}` } };
    }
    case 'bearer':
      choice('bearer token', 0.9);
      return { kind: 'bearer', token: secret('accessToken', 'Access token', scheme.description?.slice(0, 300) ?? 'Sent as Authorization: Bearer <token>.') };
    case 'basic':
      choice('HTTP basic', 0.9);
      review.push(`Basic auth (${scheme.name}): check what the API takes as user name and password (some take an API key as the user name).`);
      return { kind: 'basic', username: config.add('username', { type: 'string', title: 'User name' }, `user name for the ${scheme.name} scheme`), password: secret('password', 'Password', 'The password or token that goes with the user name.') };
    case 'oauth2AuthorizationCode':
    case 'oauth2ClientCredentials': {
      const scopes = [...new Set(picked.flatMap(({ operation }) => operation.security.flatMap((requirement) => requirement[scheme.name] ?? [])))].sort();
      const clientId = config.add('clientId', { type: 'string', title: 'OAuth client id' }, `OAuth client of the ${scheme.name} scheme`);
      const clientSecret = secret('clientSecret', 'OAuth client secret', 'The OAuth app\'s client secret.');
      choice(`${scheme.kind} with ${scopes.length} scope${scopes.length === 1 ? '' : 's'} the drafted operations need`, 0.8);
      if (!scheme.tokenUrl) review.push(`The ${scheme.name} scheme declares no token URL.`);
      const tokenUrl = scheme.tokenUrl ? sameHostPath(scheme.tokenUrl, baseUrl) : config.add('tokenUrl', { type: 'string', format: 'uri', title: 'Token URL' }, 'the scheme declares no token URL');
      if (scheme.kind === 'oauth2ClientCredentials') {
        return { kind: 'oauth2ClientCredentials', tokenUrl, clientId, clientSecret, ...(scopes.length > 0 ? { scopes } : {}) };
      }
      return {
        kind: 'oauth2AuthorizationCode',
        authorizeUrl: scheme.authorizeUrl ?? config.add('authorizeUrl', { type: 'string', format: 'uri', title: 'Authorization URL' }, 'the scheme declares no authorization URL'),
        tokenUrl,
        clientId,
        clientSecret,
        ...(scopes.length > 0 ? { scopes } : {}),
        refreshToken: secret('refreshToken', 'Refresh token', 'Obtained once through the authorization flow (pullpush auth).'),
      };
    }
    case 'none':
    case 'unsupported':
      choice('none', 0.3);
      review.push(`The ${scheme.name} scheme has no DSL counterpart: set auth by hand.`);
      return { kind: 'none' };
  }
}

function streamSpec(name: string, operation: ListOperation, model: ApiModel, names: ReadonlyMap<ListOperation, string>, config: ConfigBuilder, review: string[], canonical: boolean): { stream: StreamSpec; choices: DraftChoice[] } {
  const at = (suffix: string) => `/streams/${name}${suffix}`;
  const choices: DraftChoice[] = [];
  const parent = operation.parent ? model.listOperations.find((candidate) => candidate.id === operation.parent?.operation) : undefined;
  const parentName = parent ? names.get(parent) : undefined;
  // Path parameters: the parent stream fills one, the connection the others.
  const path = operation.path.replace(/\{([^}]+)\}/g, (_whole, param: string) => {
    if (parentName && operation.parent?.param === param) return '{{ $partition }}';
    const described = operation.parameters.find((candidate) => candidate.in === 'path' && candidate.name === param);
    return config.add(camelCase(param), { type: configType(described?.type), title: param, ...(described?.description ? { description: described.description } : {}) }, `path parameter {${param}} of ${operation.id}`);
  });
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const param of operation.parameters) {
    if (param.in === 'path') continue;
    const target = param.in === 'query' ? query : headers;
    // A GET carries no body, so a declared Content-Type says nothing about the request.
    if (param.in === 'header' && param.name.toLowerCase() === 'content-type') continue;
    const fixed = param.default ?? (param.enum?.length === 1 ? param.enum[0] : undefined);
    const constant = param.in === 'header' && (param.required || /version/i.test(param.name)) && (typeof fixed === 'string' || typeof fixed === 'number');
    if (constant) {
      target[param.name] = String(fixed);
      choices.push({ pointer: at(`/request/headers/${param.name}`), summary: `${param.name}: ${String(fixed)}`, confidence: 0.8, evidence: [{ pointer: operation.pointer, says: `header ${param.name} is ${param.required ? 'required' : 'a version pin'} and defaults to ${String(fixed)}` }] });
    } else if (param.required && param.default === undefined) {
      const type = param.enum ? 'string' : configType(param.type);
      target[param.name] = config.add(camelCase(param.name), { type, title: param.name, ...(param.description ? { description: param.description } : {}), ...(param.enum ? { enum: param.enum.map(String) } : {}) }, `required ${param.in} parameter ${param.name} of ${operation.id}`);
    }
  }
  const key = operation.primaryKey[0];
  const stream: StreamSpec = {
    ...(operation.summary ? { description: operation.summary } : {}),
    request: { path, ...(Object.keys(query).length > 0 ? { query } : {}), ...(Object.keys(headers).length > 0 ? { headers } : {}) },
    ...(operation.records.path ? { records: { path: jsonataPath(operation.records.path.split('.')) } } : {}),
    primaryKey: [key?.field ?? fallbackKey(operation)],
    pagination: operation.pagination.spec,
  } as StreamSpec;
  choices.push({ pointer: at('/request/path'), summary: `GET ${operation.path}`, confidence: operation.confidence, evidence: [{ pointer: operation.pointer, says: operation.summary ?? operation.id }] });
  choices.push({ pointer: at('/records'), summary: operation.records.path ?? 'the body is the list', confidence: operation.confidence, evidence: operation.records.evidence });
  if (key) choices.push({ pointer: at('/primaryKey'), summary: key.field, confidence: key.confidence, evidence: key.evidence });
  else review.push(`Stream ${name}: no identifier field found; primaryKey is a guess (${fallbackKey(operation)}): set the field that identifies a record.`);
  choices.push({ pointer: at('/pagination'), summary: operation.pagination.spec.kind, confidence: operation.pagination.confidence, evidence: operation.pagination.evidence });
  if (operation.pagination.confidence < 0.5) review.push(`Stream ${name}: pagination is unclear (${operation.pagination.evidence.map((entry) => entry.says).join('; ')}).`);
  const incremental = operation.incremental.find((candidate) => candidate.param && candidate.confidence >= 0.7);
  if (incremental?.param) {
    const spec: IncrementalSpec = { cursorField: jsonataPath(incremental.cursorField.split('.')), format: incremental.format, param: incremental.param, startDate: config.add('startDate', { type: 'string', format: 'date-time', title: 'Start date', description: 'Where a first sync starts (default: everything).' }, 'first sync start for incremental streams', false) };
    stream.incremental = spec;
    choices.push({ pointer: at('/incremental'), summary: `${incremental.cursorField} through ${incremental.param.in} ${incremental.param.name}`, confidence: incremental.confidence, evidence: incremental.evidence });
  }
  const guess = canonical && key ? guessCanonical(resourceName(operation.path), operation.records.schema, key?.field) : undefined;
  if (guess?.mapping) {
    stream.canonical = guess.type;
    stream.mapping = guess.mapping;
    choices.push({ pointer: at('/canonical'), summary: guess.type, confidence: guess.confidence, evidence: guess.evidence.map((says) => ({ pointer: operation.records.schemaRef ?? operation.pointer, says })) });
    review.push(`Stream ${name}: check its mapping to ${guess.type} (the report gives each field's source; canonical fields not mapped are null).`);
    for (const item of guess.check) review.push(`Stream ${name}: ${item}.`);
  } else if (guess) {
    review.push(`Stream ${name} could be ${guess.type}, but the record lacks ${guess.missing?.join(', ')}: it is drafted as a raw stream.`);
  }
  if (parent && parentName && operation.parent) {
    stream.partitions = { kind: 'parent', stream: parentName, value: jsonataPath(operation.parent.field.split('.')) };
    choices.push({ pointer: at('/partitions'), summary: `one read per ${parentName} record (${operation.parent.field})`, confidence: operation.parent.confidence, evidence: operation.parent.evidence });
  }
  return { stream, choices };
}

/** The config type of a parameter's value: its own scalar type, else text. */
function configType(type: string | undefined): string {
  return type === 'integer' || type === 'number' || type === 'boolean' ? type : 'string';
}

/** Without a key candidate: the first required scalar field of the record, else its first scalar field, else id. */
function fallbackKey(operation: ListOperation): string {
  const properties = (operation.records.schema['properties'] ?? {}) as Record<string, { type?: unknown }>;
  const required = new Set((operation.records.schema['required'] ?? []) as string[]);
  const scalar = Object.keys(properties).filter((name) => ['string', 'integer', 'number'].some((type) => [properties[name]?.type].flat().includes(type)));
  return scalar.find((name) => required.has(name)) ?? scalar[0] ?? 'id';
}

function slug(title: string): string {
  return snakeCase(title).replaceAll('_', '-').replace(/^[^a-z]+/, '').slice(0, 64);
}
