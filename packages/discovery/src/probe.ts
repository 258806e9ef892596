// The probe, for APIs without a description: read-only GETs through the engine (its auth, network policy and
// redaction) to one endpoint, and what the answer shows — where the records are, their inferred schema, a key,
// the pagination style with its evidence, and rate-limit headers. Secrets never reach the result.
import { PullPushError } from '@pullpush/canonical';
import { compileConnector, inferSchema, type InferredSchema, type NetworkOptions, type ObservedResponse } from '@pullpush/engine';
import type { AuthSpec, ConnectorDefinition, PaginationSpec } from '@pullpush/schema';
import { DiscoveryErrorCode } from './errors.ts';
import { isObject, type JsonObject } from './json.ts';
import type { KeyCandidate } from './model.ts';
import { detectPagination, type QueryParam } from './pagination.ts';
import { primaryKeyCandidates } from './primary-key.ts';
import { locateRecords, resourceName } from './records.ts';
import { shapeOf } from './schema-shape.ts';

export interface ProbeOptions extends NetworkOptions {
  /** How requests authenticate (a DSL auth object); its templates read `config`. Default: none. */
  auth?: AuthSpec;
  /** The connection values auth reads; every key auth reads is treated as a secret and redacted. */
  config?: Record<string, unknown>;
  /** Extra headers (an API version). */
  headers?: Record<string, string>;
  /** Extra read-only GETs the probe may send to tell keyset pagination from none (default 3; 0: look only). */
  maxExtraRequests?: number;
  signal?: AbortSignal;
}

export interface ProbeResult {
  /** The URL probed, secrets redacted. */
  url: string;
  status: number;
  records: { path?: string; count: number };
  /** Up to three records as received, secrets redacted. */
  sample: unknown[];
  schema: InferredSchema | null;
  primaryKey: KeyCandidate[];
  pagination: { spec: PaginationSpec; confidence: number; evidence: string[] };
  /** Rate-limit headers the response carried (RateLimit-*, X-RateLimit-*, Retry-After). */
  rateLimit: Record<string, string>;
  /** GETs sent, the first included. */
  requests: number;
}

const ECHO_PARAMS = ['page', 'per_page', 'perPage', 'page_size', 'pageSize', 'offset', 'limit', 'start', 'startAt', 'maxResults'];
const KEYSET_PARAMS = ['after', 'starting_after', 'since_id'];

export async function probeEndpoint(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new PullPushError(DiscoveryErrorCode.Unreadable, `"${url}" is not a URL.`, { hint: 'Give the full URL of a list endpoint: https://api.example.com/v1/items?limit=5.' });
  }
  let requests = 0;
  const fetchOnce = async (query: URLSearchParams): Promise<ObservedResponse> => {
    requests += 1;
    return observe(target, query, options);
  };
  const first = await fetchOnce(target.searchParams);
  const body = first.body;
  const inferred = inferSchema([body]) as unknown as JsonObject;
  const located = locateRecords(inferred, '', target.pathname);
  const records = located ? valueAt(body, located.path) : [];
  const list = Array.isArray(records) ? records : [];
  const itemSchema = list.length > 0 ? (inferSchema(list) ?? null) : null;
  const fields = new Map(Object.entries(itemSchema?.properties ?? {}).map(([name, schema]) => [name, shapeOf(schema)]));
  const primaryKey = primaryKeyCandidates(fields, resourceName(target.pathname), '');
  let pagination = paginationOf(first, inferred, located?.path ?? [], [...fields.keys()], target);
  // A bare list with nothing about pages may still page by keyset (?after=<last id>): ask for the next one.
  const key = primaryKey[0]?.field;
  const last = list.at(-1);
  if (pagination.spec.kind === 'none' && key && isObject(last) && last[key] !== undefined && (options.maxExtraRequests ?? 3) > 0) {
    for (const param of KEYSET_PARAMS.slice(0, options.maxExtraRequests ?? 3)) {
      const query = new URLSearchParams(target.searchParams);
      query.set(param, String(last[key]));
      const next = await fetchOnce(query).catch(() => undefined);
      const nextList = next ? valueAt(next.body, located?.path ?? []) : undefined;
      if (!Array.isArray(nextList) || nextList.length === 0) continue;
      const firstNext = nextList[0];
      if (isObject(firstNext) && !list.some((record) => isObject(record) && record[key] === firstNext[key])) {
        pagination = {
          spec: { kind: 'cursor', cursor: { from: 'body', path: `${located && located.path.length > 0 ? located.path.join('.') : '$'}[-1].${key}` }, param: { in: 'query', name: param } },
          confidence: 0.7,
          evidence: [`?${param}=<last ${key}> answered the records after the first page's last one`],
        };
        break;
      }
    }
  }
  return {
    url: first.url,
    status: first.status,
    records: { ...(located && located.path.length > 0 ? { path: located.path.join('.') } : {}), count: list.length },
    sample: list.slice(0, 3),
    schema: itemSchema,
    primaryKey,
    pagination,
    rateLimit: Object.fromEntries(Object.entries(first.headers).filter(([name]) => /^(x-)?rate-?limit|^retry-after$/i.test(name))),
    requests,
  };
}

/** One GET through the engine: a one-stream raw definition whose request is the URL, read for one page. */
async function observe(target: URL, query: URLSearchParams, options: ProbeOptions): Promise<ObservedResponse> {
  const config = options.config ?? {};
  const secrets = new Set([...JSON.stringify(options.auth ?? {}).matchAll(/\$config\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] as string));
  const literal = (value: string) => {
    if (value.includes('{{')) throw new PullPushError(DiscoveryErrorCode.Unreadable, 'The probed URL holds "{{", which would be read as a template.', { hint: 'Encode the braces (%7B%7B) in the URL.' });
    return value;
  };
  const definition = {
    dsl: 'pullpush/v1',
    id: 'probe',
    name: 'Probe',
    version: '0.0.0',
    config: { type: 'object', properties: Object.fromEntries(Object.keys(config).map((key) => [key, secrets.has(key) ? { secret: true } : {}])) },
    http: { baseUrl: target.origin, ...(options.headers ? { headers: Object.fromEntries(Object.entries(options.headers).map(([name, value]) => [name, literal(value)])) } : {}) },
    auth: options.auth ?? { kind: 'none' },
    streams: {
      probe: {
        request: { path: literal(target.pathname), ...(query.size > 0 ? { query: Object.fromEntries([...query].map(([name, value]) => [name, literal(value)])) } : {}) },
        records: { single: true },
        primaryKey: ['id'],
      },
    },
  } as unknown as ConnectorDefinition;
  const { auth: _auth, config: _config, headers: _headers, maxExtraRequests: _extra, signal, ...network } = options;
  const connector = await compileConnector(definition, config, { ...network, readOnly: true });
  let observed: ObservedResponse | undefined;
  try {
    for await (const _message of connector.readNative('probe', { limits: { maxPages: 1 }, onResponse: (response) => (observed ??= response), ...(signal ? { signal } : {}) })) {
      // The response is all the probe wants; records are read from it.
    }
  } finally {
    await connector.close();
  }
  if (!observed) throw new PullPushError(DiscoveryErrorCode.Unreadable, `GET ${target.origin}${target.pathname} gave no response body.`, { hint: 'Probe a JSON list endpoint.' });
  return observed;
}

function valueAt(body: unknown, path: readonly string[]): unknown {
  let node = body;
  for (const segment of path) node = isObject(node) ? node[segment] : undefined;
  return node;
}

/**
 * Pagination from one response. Parameters come from the probed URL, from fields the body echoes (page, offset,
 * limit) and from cursor fields (next_cursor is sent back as cursor); then the description rules apply. A cursor
 * in a header (X-Next-Cursor) is the probe's own rule.
 */
function paginationOf(response: ObservedResponse, inferred: JsonObject, recordsPath: string[], recordFields: string[], target: URL): ProbeResult['pagination'] {
  const headerCursor = Object.keys(response.headers).find((name) => /^x-(next-)?cursor$|^x-next-page-token$/i.test(name));
  if (headerCursor) {
    return { spec: { kind: 'cursor', cursor: { from: 'header', path: headerCursor }, param: { in: 'query', name: 'cursor' } }, confidence: 0.7, evidence: [`the ${headerCursor} header holds the next cursor (sent back as cursor, a guess)`] };
  }
  const params = new Map<string, QueryParam>();
  const add = (name: string, type: string, says: string) => {
    if (!params.has(name)) params.set(name, { name, pointer: says, shape: shapeOf({ type }), schema: { type } });
  };
  for (const [name, value] of target.searchParams) add(name, /^\d+$/.test(value) ? 'integer' : 'string', `the probed URL's ${name}`);
  const top = isObject(response.body) ? response.body : {};
  for (const name of ECHO_PARAMS) if (typeof top[name] === 'number' || (typeof top[name] === 'string' && /^\d+$/.test(top[name] as string))) add(name, 'integer', `the body echoes ${name}`);
  const cursorFields = [...shapeOf(inferred).properties.keys()].filter((name) => /^next_?(cursor|page_?token|token)$/i.test(name));
  for (const name of cursorFields) add(name.replace(/^next_?/i, '').replace(/^./, (char) => char.toLowerCase()), 'string', `the body's ${name}, sent back without its "next"`);
  const headers = new Map<string, string>();
  const link = response.headers['link'];
  if (link && /rel="?next"?/i.test(link)) headers.set('link', 'the Link header');
  const guess = detectPagination({ params: [...params.values()], envelope: inferred, envelopePointer: '', recordsPath, recordFields, headers });
  // The rules speak of "query parameter x"; say where the probe got each one it used.
  const origins = guess.params.flatMap((name) => (params.has(name) ? [`${name}: ${params.get(name)?.pointer}`] : []));
  return { spec: guess.spec, confidence: guess.confidence, evidence: [...guess.evidence.map((entry) => entry.says), ...origins] };
}
