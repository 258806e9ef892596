// Discovery: a description in, the API model out — servers, auth schemes, and every operation that lists records
// with its record schema, pagination, key, incremental and parent candidates.
import { inferSchema } from '@pullpush/engine';
import { authSchemes } from './auth-schemes.ts';
import { readDescription, type Description, type DescriptionSource, type Skipped } from './description.ts';
import { incrementalCandidates } from './incremental.ts';
import { arrayAt, isObject, objectAt, pointerOf, stringAt, type JsonObject } from './json.ts';
import type { ApiModel, ListOperation, Parameter, ParentLink, RateLimitHint, Server } from './model.ts';
import { normal } from './names.ts';
import { detectPagination, type QueryParam } from './pagination.ts';
import { primaryKeyCandidates } from './primary-key.ts';
import { locateRecords, resourceName } from './records.ts';
import { plainSchema, shapeOf, type Shape } from './schema-shape.ts';

/** Reads a description and discovers its API model. */
export async function discover(source: DescriptionSource): Promise<ApiModel> {
  return discoverDescription(await readDescription(source));
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const AUTH_PARAMS = new Set(['token', 'accesstoken', 'apikey', 'apitoken', 'authorization', 'key']);

export function discoverDescription(description: Description): ApiModel {
  const { document } = description;
  const info = objectAt(document, 'info') ?? {};
  const schemes = authSchemes(document);
  const keyParams = new Set(schemes.flatMap((scheme) => (scheme.paramName ? [normal(scheme.paramName)] : [])));
  const globalSecurity = securityOf(document['security']);
  const skipped: Skipped[] = [...description.skipped];
  const listOperations: ListOperation[] = [];
  const rateLimits: RateLimitHint[] = [];
  let total = 0;
  let gets = 0;
  for (const [path, item] of Object.entries(objectAt(document, 'paths') ?? {})) {
    if (!isObject(item)) continue;
    for (const method of METHODS) if (isObject(item[method])) total += 1;
    const operation = objectAt(item, 'get');
    if (!operation) continue;
    gets += 1;
    const pointer = pointerOf('paths', path, 'get');
    const found = listOperation(description, path, item, operation, pointer, keyParams, globalSecurity, rateLimits);
    if (typeof found === 'string') {
      if (found !== '') skipped.push({ pointer, reason: found });
    } else {
      listOperations.push(found);
    }
  }
  const lists = withoutSingleReads(listOperations, skipped);
  followLinkConvention(lists);
  linkParents(lists);
  const externalDocs = stringAt(objectAt(document, 'externalDocs'), 'url');
  return {
    title: stringAt(info, 'title') ?? 'API',
    ...(stringAt(info, 'version') ? { version: stringAt(info, 'version') as string } : {}),
    ...(stringAt(info, 'description') ? { description: stringAt(info, 'description') as string } : {}),
    format: description.format,
    origin: description.origin,
    sha256: description.sha256,
    ...(externalDocs && /^https?:\/\//.test(externalDocs) ? { documentationUrl: externalDocs } : {}),
    servers: servers(document, description.origin),
    authSchemes: schemes,
    security: globalSecurity,
    constantHeaders: constantHeaders(document),
    listOperations: lists,
    operations: { total, get: gets, list: lists.length },
    rateLimits: dedupeRateLimits(rateLimits),
    skipped,
  };
}

/** Servers as declared; a relative server URL is relative to where the description was fetched from. */
function servers(document: JsonObject, origin: string): Server[] {
  return arrayAt(document, 'servers').flatMap((server) => {
    const declared = stringAt(server, 'url');
    if (!declared) return [];
    const url = /^https?:\/\//i.test(origin) && !/^[a-z][a-z0-9+.-]*:/i.test(declared) && !declared.includes('{') ? new URL(declared, origin).toString().replace(/\/$/, '') : declared;
    const variables = Object.entries(objectAt(server, 'variables') ?? {}).map(([name, variable]) => ({
      name,
      ...(typeof (variable as JsonObject)['default'] === 'string' ? { default: (variable as JsonObject)['default'] as string } : {}),
      ...(Array.isArray((variable as JsonObject)['enum']) ? { enum: ((variable as JsonObject)['enum'] as unknown[]).map(String) } : {}),
      ...(stringAt(variable, 'description') ? { description: stringAt(variable, 'description') as string } : {}),
    }));
    return [{ url, ...(stringAt(server, 'description') ? { description: stringAt(server, 'description') as string } : {}), variables }];
  });
}

function securityOf(value: unknown): Array<Record<string, string[]>> {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((requirement) => Object.fromEntries(Object.entries(requirement).map(([name, scopes]) => [name, Array.isArray(scopes) ? scopes.map(String) : []])));
}

interface RawParameter {
  name: string;
  in: string;
  required: boolean;
  schema: JsonObject;
  shape: Shape;
  pointer: string;
  description?: string;
}

function parametersOf(item: JsonObject, operation: JsonObject, path: string): RawParameter[] {
  const byKey = new Map<string, RawParameter>();
  const add = (list: unknown[], base: string) =>
    list.forEach((parameter, index) => {
      const name = stringAt(parameter, 'name');
      const place = stringAt(parameter, 'in');
      if (!name || !place) return;
      const schema = objectAt(parameter, 'schema') ?? {};
      const description = stringAt(parameter, 'description');
      byKey.set(`${place}:${name}`, { name, in: place, required: (parameter as JsonObject)['required'] === true || place === 'path', schema, shape: shapeOf(schema), pointer: `${base}/parameters/${index}`, ...(description ? { description } : {}) });
    });
  add(arrayAt(item, 'parameters'), pointerOf('paths', path));
  add(arrayAt(operation, 'parameters'), pointerOf('paths', path, 'get'));
  return [...byKey.values()];
}

/** The success response's JSON body schema and its headers. */
function successResponse(operation: JsonObject, pointer: string): { body?: JsonObject; bodyPointer: string; headers: Map<string, string>; tooMany: boolean } {
  const responses = objectAt(operation, 'responses') ?? {};
  const codes = Object.keys(responses);
  const code = codes.find((entry) => entry === '200') ?? codes.filter((entry) => /^2(\d\d|XX)$/i.test(entry)).sort()[0] ?? (codes.includes('default') ? 'default' : undefined);
  const tooMany = codes.includes('429');
  if (!code) return { bodyPointer: pointer, headers: new Map(), tooMany };
  const response = objectAt(responses, code) ?? {};
  const base = `${pointer}/responses/${code}`;
  const headers = new Map(Object.keys(objectAt(response, 'headers') ?? {}).map((name) => [name.toLowerCase(), `${base}/headers/${pointerOf(name).slice(1)}`]));
  const content = objectAt(response, 'content') ?? {};
  const types = ['application/json', ...Object.keys(content).filter((entry) => /json/i.test(entry)), ...Object.keys(content)];
  const type = types.find((entry) => objectAt(objectAt(content, entry), 'schema'));
  if (type) return { body: objectAt(objectAt(content, type), 'schema') as JsonObject, bodyPointer: `${base}/content/${pointerOf(type).slice(1)}/schema`, headers, tooMany };
  // No schema, but an example body (Postman's saved responses, terse descriptions): its shape stands in.
  for (const entry of types) {
    const media = objectAt(content, entry);
    const example = media?.['example'] ?? Object.values(objectAt(media, 'examples') ?? {}).map((named) => (isObject(named) ? named['value'] : undefined)).find((value) => value !== undefined);
    const parsed = typeof example === 'string' ? parseJson(example) : example;
    const inferred = parsed === undefined ? undefined : inferSchema([parsed]);
    if (inferred) return { body: inferred as unknown as JsonObject, bodyPointer: `${base}/content/${pointerOf(entry).slice(1)}/example`, headers, tooMany };
  }
  return { bodyPointer: base, headers, tooMany };
}

function listOperation(
  description: Description,
  path: string,
  item: JsonObject,
  operation: JsonObject,
  pointer: string,
  keyParams: ReadonlySet<string>,
  globalSecurity: Array<Record<string, string[]>>,
  rateLimits: RateLimitHint[],
): ListOperation | string {
  const response = successResponse(operation, pointer);
  for (const header of response.headers.keys()) {
    if (/ratelimit|rate-limit|retry-after/.test(header)) rateLimits.push({ pointer: response.headers.get(header) as string, says: `the response declares the ${header} header` });
  }
  if (response.tooMany) rateLimits.push({ pointer: `${pointer}/responses/429`, says: 'a 429 Too Many Requests response is declared' });
  if (!response.body) return '';
  const located = locateRecords(response.body, response.bodyPointer, path);
  if (!located) return '';
  const params = parametersOf(item, operation, path);
  const query = (place: string): QueryParam[] => params.filter((param) => param.in === place).map(({ name, pointer: at, shape, schema }) => ({ name, pointer: at, shape, schema }));
  const itemShape = shapeOf(located.item);
  const itemPointer = recordPointer(response.bodyPointer, located.path);
  const pagination = detectPagination({
    params: query('query'),
    envelope: response.body,
    envelopePointer: response.bodyPointer,
    recordsPath: located.path,
    recordFields: [...itemShape.properties.keys()],
    headers: response.headers,
  });
  const owned = new Set(pagination.params);
  const parameters: Parameter[] = params
    .filter((param) => (param.in === 'path' || param.in === 'query' || param.in === 'header') && !owned.has(param.name) && !keyParams.has(normal(param.name)) && !AUTH_PARAMS.has(normal(param.name)))
    .map((param) => ({
      name: param.name,
      in: param.in as Parameter['in'],
      required: param.required,
      ...(param.shape.types.size > 0 ? { type: [...param.shape.types][0] as string } : {}),
      ...(param.schema['default'] !== undefined ? { default: param.schema['default'] } : {}),
      ...(param.shape.enum ? { enum: param.shape.enum } : {}),
      ...(param.description ? { description: param.description.slice(0, 300) } : {}),
    }));
  const fields = new Map([...itemShape.properties].map(([name, schema]) => [name, shapeOf(schema)]));
  const primaryKey = primaryKeyCandidates(fields, resourceName(path), itemPointer, itemShape.required);
  const security = operation['security'] !== undefined ? securityOf(operation['security']) : globalSecurity;
  const deprecated = operation['deprecated'] === true;
  const confidence = located.confidence * (primaryKey.length > 0 ? 1 : 0.6) * (pagination.confidence >= 0.5 ? 1 : 0.85) * (deprecated ? 0.5 : 1);
  const summary = stringAt(operation, 'summary');
  return {
    id: stringAt(operation, 'operationId') ?? `GET ${path}`,
    method: 'GET',
    path,
    pointer,
    ...(summary ? { summary } : {}),
    tags: arrayAt(operation, 'tags').map(String),
    deprecated,
    security,
    parameters,
    declaredQuery: params.filter((param) => param.in === 'query').map((param) => param.name),
    records: {
      ...(located.path.length > 0 ? { path: located.path.join('.') } : {}),
      ...(description.refOf(located.item) ? { schemaRef: description.refOf(located.item) as string } : {}),
      schema: plainSchema(located.item),
      envelope: plainSchema(response.body, 5, 100, located.item),
      evidence: located.evidence,
    },
    responseHeaders: [...response.headers.keys()],
    pagination,
    primaryKey,
    incremental: incrementalCandidates(fields, query('query'), query('header'), itemPointer),
    confidence: Math.round(confidence * 100) / 100,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function recordPointer(bodyPointer: string, recordsPath: readonly string[]): string {
  return recordsPath.length === 0 ? `${bodyPointer}/items` : `${bodyPointer}/properties/${recordsPath.join('/properties/')}/items`;
}

/**
 * Descriptions leave things out: GitHub's declares the Link header on most list operations but not on all. When at
 * least three quarters of the operations that take the same page parameter declare a Link header, the others are
 * taken to send one too.
 */
function followLinkConvention(operations: ListOperation[]): void {
  const byParam = new Map<string, ListOperation[]>();
  for (const operation of operations) {
    const spec = operation.pagination.spec;
    const param = spec.kind === 'page' && !spec.totalPages && !spec.total ? spec.pageParam.name : spec.kind === 'link' ? operation.pagination.params.find((name) => normal(name) === 'page') : undefined;
    if (param) byParam.set(param, [...(byParam.get(param) ?? []), operation]);
  }
  for (const [param, group] of byParam) {
    const linked = group.filter((operation) => operation.pagination.spec.kind === 'link');
    if (linked.length < 3 || linked.length < group.length * 0.75) continue;
    for (const operation of group) {
      if (operation.pagination.spec.kind === 'link') continue;
      const pageSize = operation.pagination.spec.kind === 'page' ? operation.pagination.spec.pageSize : undefined;
      operation.pagination = {
        spec: { kind: 'link', ...(pageSize ? { pageSize } : {}) },
        confidence: 0.75,
        evidence: [...operation.pagination.evidence, { pointer: linked[0]?.pointer as string, says: `${linked.length} of the ${group.length} operations that take ${param} declare a Link header; this one is taken to send it too` }],
        params: operation.pagination.params,
        parts: { ...(pageSize ? { sizeParam: pageSize.param.name } : {}), pageParam: param, linkHeader: true },
      };
    }
  }
}

/** `/invoices/{id}` beside `/invoices` reads one record, even when it wraps it in a list (Xero's { Invoices: [one] }). */
function withoutSingleReads(operations: ListOperation[], skipped: Skipped[]): ListOperation[] {
  const paths = new Set(operations.map((operation) => operation.path));
  return operations.filter((operation) => {
    const collection = /^(.*)\/\{[^}]+\}$/.exec(operation.path)?.[1];
    if (collection === undefined || !paths.has(collection)) return true;
    skipped.push({ pointer: operation.pointer, reason: `reads one record of ${collection}` });
    return false;
  });
}

/** `/projects/{id}/tasks` reads per record of `/projects`: the path before its last parameter is another list. */
function linkParents(operations: ListOperation[]): void {
  const byPath = new Map(operations.map((operation) => [operation.path.replace(/\.(json|xml)$/i, ''), operation]));
  for (const operation of operations) {
    const match = /^(.*)\/\{([^}]+)\}[^{}]*$/.exec(operation.path);
    if (!match) continue;
    const [, prefix, param] = match as unknown as [string, string, string];
    const parent = byPath.get(prefix);
    const key = parent?.primaryKey[0];
    if (!parent || !key || parent === operation) continue;
    const link: ParentLink = {
      operation: parent.id,
      param,
      field: key.field,
      confidence: 0.7,
      evidence: [{ pointer: parent.pointer, says: `${parent.path} lists the records whose ${key.field} fills {${param}}` }],
    };
    operation.parent = link;
  }
}

function constantHeaders(document: JsonObject): ApiModel['constantHeaders'] {
  const out: ApiModel['constantHeaders'] = [];
  // Square declares its version header only in a vendor extension of the security scheme.
  for (const [name, scheme] of Object.entries(objectAt(objectAt(document, 'components'), 'securitySchemes') ?? {})) {
    arrayAt(scheme, 'x-additional-headers').forEach((header, index) => {
      const headerName = stringAt(header, 'name');
      const value = objectAt(header, 'schema')?.['default'];
      if (headerName && (typeof value === 'string' || typeof value === 'number')) {
        out.push({ name: headerName, value: String(value), evidence: [{ pointer: `${pointerOf('components', 'securitySchemes', name)}/x-additional-headers/${index}`, says: `the ${headerName} header with default ${String(value)}` }] });
      }
    });
  }
  return out;
}

function dedupeRateLimits(hints: RateLimitHint[]): RateLimitHint[] {
  const seen = new Set<string>();
  return hints.filter((hint) => !seen.has(hint.says) && seen.add(hint.says));
}
