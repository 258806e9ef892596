// Semantic rules: what JSON Schema cannot say. Each rule reads the document defensively (it may be
// structurally invalid) and reports problems at JSON pointers.
import { defaultRegistry, type CanonicalRegistry, type CanonicalTypeDefinition } from '@pullpush/canonical';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { JSON_SCHEMA_DIALECT } from '../json-schema.ts';
import { dslValidators, dslAjv } from './structural.ts';
import { checkSite, type ExpressionFindings } from './expressions.ts';
import { ENGINE_FIELDS, fieldsThatMustBeMapped, fieldSchema, siblingFields } from './canonical-fields.ts';
import { DslCode, pointerOf, withSuggestion, type Problem } from './problems.ts';
import { definitionSites, isObject } from './sites.ts';

type Json = Record<string, unknown>;

export interface SemanticOptions {
  registry?: CanonicalRegistry;
  allowInsecureHttp?: boolean;
}

function entries(value: unknown): Array<[string, Json]> {
  return isObject(value) ? (Object.entries(value).filter(([, item]) => isObject(item)) as Array<[string, Json]>) : [];
}

function configRules(doc: Json, problems: Problem[]): { keys: string[]; secrets: Set<string> } {
  const config = doc['config'];
  if (config === undefined) return { keys: [], secrets: new Set() };
  if (!isObject(config)) return { keys: [], secrets: new Set() };
  // Checked against the JSON Schema meta-schema, not compiled: definitions come and go, compiled schemas stay cached.
  let valid: unknown;
  let errors: ErrorObject[] | null | undefined;
  const dialect = config['$schema'];
  if (dialect === undefined || dialect === JSON_SCHEMA_DIALECT) {
    valid = dslValidators().metaSchema(config);
    errors = dslValidators().metaSchema.errors;
  } else {
    try {
      valid = dslAjv().validateSchema(config);
      errors = dslAjv().errors;
    } catch (error) {
      // Ajv throws on a non-string $schema or one naming a meta-schema it does not know (draft-07).
      valid = true;
      problems.push({ code: DslCode.InvalidConfigSchema, severity: 'error', pointer: '/config/$schema', message: `the config schema cannot be checked: ${(error as Error).message}`, hint: 'Omit "$schema": config is JSON Schema draft 2020-12.' });
    }
  }
  if (!valid) {
    // The meta-schema reports one mistake several times (each branch of its unions); one problem per place.
    const places = new Set<string>();
    for (const error of errors ?? []) {
      if (places.has(error.instancePath)) continue;
      places.add(error.instancePath);
      problems.push({ code: DslCode.InvalidConfigSchema, severity: 'error', pointer: `/config${error.instancePath}`, message: `the config schema is not valid JSON Schema: ${error.message ?? error.keyword}`, hint: 'config is a JSON Schema (draft 2020-12) object: { "type": "object", "properties": { … }, "required": [ … ] }.' });
    }
  }
  if (config['type'] !== 'object') {
    problems.push({ code: DslCode.InvalidConfigSchema, severity: 'error', pointer: '/config/type', message: 'the config schema must describe an object ("type": "object")' });
  }
  const properties = isObject(config['properties']) ? config['properties'] : {};
  for (const [key, schema] of Object.entries(properties)) {
    if (isObject(schema) && 'secret' in schema && typeof schema['secret'] !== 'boolean') {
      problems.push({ code: DslCode.InvalidConfigSchema, severity: 'error', pointer: pointerOf('config', 'properties', key, 'secret'), message: '"secret" must be true or false' });
    }
  }
  const secrets = new Set(Object.entries(properties).filter(([, schema]) => isObject(schema) && schema['secret'] === true).map(([key]) => key));
  return { keys: Object.keys(properties), secrets };
}

function expressionRules(doc: Json, config: { keys: string[]; secrets: Set<string> }, problems: Problem[]): void {
  const findings: ExpressionFindings = { problems: [], configRefs: [] };
  for (const site of definitionSites(doc)) checkSite(site, findings);
  problems.push(...findings.problems);
  for (const { key, pointer, secretsAllowed } of findings.configRefs) {
    if (!config.keys.includes(key)) {
      problems.push(
        withSuggestion(
          { code: DslCode.UnknownConfigKey, severity: 'error', pointer, message: `$config.${key} is not declared in the config schema`, hint: 'Declare it under /config/properties.' },
          key,
          config.keys,
        ),
      );
    } else if (config.secrets.has(key) && !secretsAllowed) {
      problems.push({ code: DslCode.SecretOutsideAuth, severity: 'error', pointer, message: `secret $config.${key} is used outside auth`, hint: 'Secrets may flow only into auth (and the webhook signing secret), so they never reach URLs, logs or records; elsewhere $config holds no secret values.' });
    }
  }
}

function baseUrlRule(doc: Json, problems: Problem[], allowInsecureHttp: boolean): void {
  const http = doc['http'];
  const baseUrl = isObject(http) ? http['baseUrl'] : undefined;
  if (typeof baseUrl !== 'string') return;
  const literalStart = baseUrl.split('{{')[0] ?? '';
  // A base URL that comes whole from config (a self-hosted API) is checked when the connector runs.
  if (literalStart !== '' && !literalStart.startsWith('https://')) {
    // Where the embedding application allows plain http (local test APIs), it is said, not refused.
    problems.push({ code: DslCode.InsecureBaseUrl, severity: allowInsecureHttp ? 'warning' : 'error', pointer: '/http/baseUrl', message: `base URL must start with https:// (got ${JSON.stringify(baseUrl)})`, hint: 'Only the embedding application may allow plain http (for local tests); a definition cannot.' });
  }
}

function resolveCanonical(ref: unknown, pointer: string, registry: CanonicalRegistry, problems: Problem[]): CanonicalTypeDefinition | undefined {
  if (typeof ref !== 'string') return undefined;
  try {
    return registry.get(ref);
  } catch {
    const names = registry.list().map((definition) => `${definition.name}@${definition.version}`);
    problems.push(withSuggestion({ code: DslCode.UnknownCanonicalType, severity: 'error', pointer, message: `unknown canonical type ${ref}`, hint: 'See listCanonicalTypes() in @pullpush/canonical.' }, ref, names));
    return undefined;
  }
}

function mappingRules(name: string, stream: Json, definition: CanonicalTypeDefinition, problems: Problem[]): void {
  const mapping = stream['mapping'];
  if (!isObject(mapping)) {
    problems.push({ code: DslCode.MissingMapping, severity: 'error', pointer: pointerOf('streams', name, 'mapping'), message: `stream "${name}" declares canonical type ${definition.name}@${definition.version} but has no mapping`, hint: 'Map each canonical field from the native record, or drop "canonical" to make it a raw stream.' });
    return;
  }
  const fields = isObject(mapping['fields']) ? Object.keys(mapping['fields']) : [];
  for (const field of fields) {
    const pointer = pointerOf('streams', name, 'mapping', 'fields', field);
    const root = field.split('.')[0] ?? field;
    if (ENGINE_FIELDS.has(root)) {
      problems.push({ code: DslCode.ReservedField, severity: 'error', pointer, message: `"${field}" is filled by the engine`, hint: 'The engine sets id (the canonical key) and remote (source identity, remote id from primaryKey).' });
    } else if (!fieldSchema(definition, field)) {
      problems.push(withSuggestion({ code: DslCode.UnknownCanonicalField, severity: 'error', pointer, message: `${definition.name}@${definition.version} has no field "${field}"` }, field, siblingFields(definition, field)));
    }
  }
  const produced = (field: string) => fields.some((mapped) => mapped === field || mapped.startsWith(`${field}.`));
  for (const field of fieldsThatMustBeMapped(definition)) {
    if (!produced(field)) {
      problems.push({ code: DslCode.MissingCanonicalField, severity: 'error', pointer: pointerOf('streams', name, 'mapping', 'fields'), message: `mapping does not produce required field "${field}" of ${definition.name}@${definition.version}`, hint: 'Fields that may be null default to null; this one may not.' });
    }
  }
  for (const keyField of definition.key) {
    if (!keyField.startsWith('remote.') && !produced(keyField)) {
      problems.push({ code: DslCode.KeyNotMapped, severity: 'error', pointer: pointerOf('streams', name, 'mapping', 'fields'), message: `mapping does not produce key field "${keyField}" of ${definition.name}`, hint: `The canonical key of ${definition.name} is ${definition.key.join(' + ')}.` });
    }
  }
}

const BODY_PLACEMENT_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Names that reach Object.prototype when a dotted path is walked and written. */
const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function placementRule(name: string, method: string, placement: unknown, segments: string[], problems: Problem[]): void {
  const field = isObject(placement) && placement['in'] === 'body' && typeof placement['name'] === 'string' ? placement['name'] : undefined;
  const forbidden = field?.split('.').find((segment) => PROTOTYPE_NAMES.has(segment));
  if (forbidden !== undefined) {
    problems.push({ code: DslCode.ForbiddenName, severity: 'error', pointer: pointerOf('streams', name, ...segments, 'name'), message: `body field "${field}" names ${forbidden}, which would write onto the prototype of every object`, hint: 'Body fields named __proto__, constructor or prototype are refused; rename the field.' });
  }
  if (isObject(placement) && placement['in'] === 'body' && !BODY_PLACEMENT_METHODS.has(method)) {
    problems.push({ code: DslCode.BodyOnGet, severity: 'error', pointer: pointerOf('streams', name, ...segments, 'in'), message: `stream "${name}" puts a value in the body of a ${method} request`, hint: 'Use "query" or "header", or make the request a POST search ("search": true).' });
  }
}

function paginationRules(name: string, stream: Json, problems: Problem[]): void {
  const request = isObject(stream['request']) ? stream['request'] : {};
  const method = typeof request['method'] === 'string' ? request['method'] : 'GET';
  const pagination = stream['pagination'];
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
    problems.push({ code: DslCode.PaginationIncoherent, severity: 'error', pointer: pointerOf('streams', name, 'request', 'method'), message: `a read stream cannot use ${method}`, hint: 'Streams read with GET (or POST for search endpoints marked "search": true).' });
  }
  if (method === 'POST' && request['search'] !== true) {
    problems.push({ code: DslCode.PaginationIncoherent, severity: 'error', pointer: pointerOf('streams', name, 'request', 'search'), message: `stream "${name}" reads with POST but is not marked as a search`, hint: 'Set "search": true so read-only test runs may send it.' });
  }
  const incremental = stream['incremental'];
  if (isObject(incremental)) {
    placementRule(name, method, incremental['param'], ['incremental', 'param'], problems);
    if (incremental['value'] !== undefined && incremental['param'] === undefined) {
      problems.push({ code: DslCode.PaginationIncoherent, severity: 'error', pointer: pointerOf('streams', name, 'incremental', 'value'), message: `stream "${name}" says how the cursor is written in the request (incremental.value) but not where it goes`, hint: 'Add incremental.param: { "in": "query", "name": "updated_since" }.' });
    }
  }
  if (!isObject(pagination)) return;
  const kind = pagination['kind'];
  const records = isObject(stream['records']) ? stream['records'] : {};
  if (records['single'] === true && kind !== 'none') {
    problems.push({ code: DslCode.PaginationIncoherent, severity: 'error', pointer: pointerOf('streams', name, 'pagination', 'kind'), message: `stream "${name}" reads a single record but paginates (${String(kind)})`, hint: 'Use { "kind": "none" } or drop records.single.' });
  }
  for (const key of ['param', 'offsetParam', 'limitParam', 'pageParam']) placementRule(name, method, pagination[key], ['pagination', key], problems);
  if (isObject(pagination['pageSize'])) placementRule(name, method, pagination['pageSize']['param'], ['pagination', 'pageSize', 'param'], problems);
  const query = isObject(request['query']) ? request['query'] : {};
  for (const key of ['param', 'offsetParam', 'limitParam', 'pageParam']) {
    const placement = pagination[key];
    if (isObject(placement) && placement['in'] === 'query' && typeof placement['name'] === 'string' && Object.hasOwn(query, placement['name'])) {
      problems.push({ code: DslCode.PaginationIncoherent, severity: 'error', pointer: pointerOf('streams', name, 'request', 'query', placement['name']), message: `query parameter "${placement['name']}" is set by both the request and the paginator`, hint: 'Leave it to the paginator.' });
    }
  }
  if (kind === 'offset' && isObject(pagination['offsetParam']) && isObject(pagination['limitParam']) && pagination['offsetParam']['name'] === pagination['limitParam']['name']) {
    problems.push({ code: DslCode.PaginationIncoherent, severity: 'error', pointer: pointerOf('streams', name, 'pagination', 'limitParam', 'name'), message: 'offset and limit use the same parameter' });
  }
}

function streamGraphRules(doc: Json, config: { keys: string[] }, problems: Problem[]): void {
  const streams = new Map(entries(doc['streams']));
  const names = [...streams.keys()];
  const parentOf = new Map<string, string>();
  for (const [name, stream] of streams) {
    const partitions = stream['partitions'];
    if (!isObject(partitions)) continue;
    if (partitions['kind'] === 'parent' && typeof partitions['stream'] === 'string') {
      const parent = partitions['stream'];
      if (!streams.has(parent)) {
        problems.push(withSuggestion({ code: DslCode.UnknownStream, severity: 'error', pointer: pointerOf('streams', name, 'partitions', 'stream'), message: `parent stream "${parent}" does not exist` }, parent, names));
      } else parentOf.set(name, parent);
    }
    if (partitions['kind'] === 'config' && typeof partitions['key'] === 'string' && !config.keys.includes(partitions['key'])) {
      problems.push(withSuggestion({ code: DslCode.UnknownConfigKey, severity: 'error', pointer: pointerOf('streams', name, 'partitions', 'key'), message: `config key "${partitions['key']}" is not declared in the config schema` }, partitions['key'], config.keys));
    }
  }
  for (const start of parentOf.keys()) {
    const seen = new Set<string>([start]);
    let current = parentOf.get(start);
    while (current !== undefined) {
      if (seen.has(current)) {
        problems.push({ code: DslCode.PartitionCycle, severity: 'error', pointer: pointerOf('streams', start, 'partitions', 'stream'), message: `parent streams form a cycle: ${[...seen, current].join(' → ')}`, hint: 'A parent stream is read before its children; the chain must end.' });
        break;
      }
      seen.add(current);
      current = parentOf.get(current);
    }
  }
  const check = doc['check'];
  if (isObject(check) && typeof check['stream'] === 'string' && !streams.has(check['stream'])) {
    problems.push(withSuggestion({ code: DslCode.UnknownStream, severity: 'error', pointer: '/check/stream', message: `check stream "${check['stream']}" does not exist` }, check['stream'], names));
  }
  const webhooks = doc['webhooks'];
  if (isObject(webhooks)) {
    for (const [event, spec] of entries(webhooks['events'])) {
      if (typeof spec['stream'] === 'string' && !streams.has(spec['stream'])) {
        problems.push(withSuggestion({ code: DslCode.UnknownStream, severity: 'error', pointer: pointerOf('webhooks', 'events', event, 'stream'), message: `webhook event "${event}" names stream "${spec['stream']}", which does not exist` }, spec['stream'], names));
      }
    }
  }
}

function writeRules(doc: Json, registry: CanonicalRegistry, problems: Problem[]): void {
  for (const [type, spec] of entries(doc['writes'])) {
    const definition = resolveCanonical(type, pointerOf('writes', type), registry, problems);
    const operations = ['create', 'update', 'upsert', 'delete'].filter((operation) => isObject(spec[operation]));
    if (operations.length === 0) {
      problems.push({ code: DslCode.WriteWithoutTarget, severity: 'error', pointer: pointerOf('writes', type), message: `writes for ${type} define no operation`, hint: 'Define create, update, upsert and/or delete.' });
    }
    const match = spec['match'];
    for (const operation of ['create', 'upsert']) {
      const op = spec[operation];
      if (isObject(op) && typeof op['remoteIdPath'] !== 'string' && !(isObject(match) && match['kind'] === 'lookup')) {
        problems.push({ code: DslCode.WriteWithoutRemoteId, severity: 'error', pointer: pointerOf('writes', type, operation, 'remoteIdPath'), message: `${operation} of ${type} does not say where the created record's id is`, hint: 'Set remoteIdPath so later updates and deletes find the record, or match records by lookup.' });
      }
    }
    if (definition && isObject(match) && match['kind'] === 'lookup' && typeof match['by'] === 'string' && !fieldSchema(definition, match['by'])) {
      problems.push(withSuggestion({ code: DslCode.UnknownCanonicalField, severity: 'error', pointer: pointerOf('writes', type, 'match', 'by'), message: `${type} has no field "${match['by']}" to match by` }, match['by'], siblingFields(definition, match['by'])));
    }
    if (definition) {
      for (const operation of operations) {
        const body = (spec[operation] as Json)['body'];
        for (const [field, mapping] of entries(body)) {
          const path = mapping['path'];
          if (typeof path === 'string' && /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(path) && !fieldSchema(definition, path)) {
            problems.push(withSuggestion({ code: DslCode.UnknownCanonicalField, severity: 'error', pointer: pointerOf('writes', type, operation, 'body', field, 'path'), message: `${type} has no field "${path}"` }, path, siblingFields(definition, path)));
          }
        }
      }
    }
  }
}

function warnings(doc: Json, problems: Problem[]): void {
  if (!isObject(doc['rateLimits'])) {
    problems.push({ code: DslCode.NoRateLimit, severity: 'warning', pointer: '/rateLimits', message: 'no rate limit declared', hint: 'Declare the API\'s documented budget so syncs do not run into 429s (the engine still honours Retry-After).' });
  }
  if (!isObject(doc['check'])) {
    problems.push({ code: DslCode.NoCheck, severity: 'warning', pointer: '/check', message: 'no connection check declared', hint: 'Name a cheap stream whose first page proves the credentials work.' });
  }
  for (const [name, stream] of entries(doc['streams'])) {
    const pagination = stream['pagination'];
    const paginated = isObject(pagination) && pagination['kind'] !== 'none';
    if (paginated && !isObject(stream['incremental'])) {
      problems.push({ code: DslCode.FullRefresh, severity: 'warning', pointer: pointerOf('streams', name, 'incremental'), message: `stream "${name}" is paginated but has no incremental settings: every sync reads it in full`, hint: 'Declare incremental.cursorField when the API can filter by update time.' });
    }
  }
}

function timeZoneRule(doc: Json, problems: Problem[]): void {
  const zone = doc['timeZone'];
  if (typeof zone !== 'string' || zone === '') return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    problems.push({ code: DslCode.InvalidValue, severity: 'error', pointer: '/timeZone', message: `${JSON.stringify(zone)} is not a time zone`, hint: 'Use an IANA time zone name: UTC, Europe/Berlin, America/New_York.' });
  }
}

export function definitionProblems(doc: Json, options: SemanticOptions = {}): Problem[] {
  const registry = options.registry ?? defaultRegistry;
  const problems: Problem[] = [];
  const config = configRules(doc, problems);
  timeZoneRule(doc, problems);
  baseUrlRule(doc, problems, options.allowInsecureHttp === true);
  expressionRules(doc, config, problems);
  for (const [name, stream] of entries(doc['streams'])) {
    paginationRules(name, stream, problems);
    if (stream['canonical'] !== undefined) {
      const definition = resolveCanonical(stream['canonical'], pointerOf('streams', name, 'canonical'), registry, problems);
      if (definition) mappingRules(name, stream, definition, problems);
    }
  }
  streamGraphRules(doc, config, problems);
  writeRules(doc, registry, problems);
  warnings(doc, problems);
  return problems;
}
