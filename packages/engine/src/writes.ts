// The DSL's `writes`: the connector as a destination. For each canonical type, its create, update, upsert and
// delete operations — a request (templates over $record, $remoteId and $config), the native body mapped from the
// canonical record, where the remote id is in the answer — how an existing remote record is found (the caller's id
// map, or a lookup request), and the header that carries an idempotency key. A write goes through the connection's
// HTTP client, network policy, auth, response filters and redaction, as reads do; a read-only run refuses it.
import { canonicalKey, canonicalValidator, formatIssues, getCanonicalType, PullPushError, type CanonicalTypeDefinition, type CanonicalValidation } from '@pullpush/canonical';
import type { FieldMappingSpec, TypeWritesSpec, WriteOperationSpec } from '@pullpush/schema';
import type { AuthProvider } from './auth/index.ts';
import { bodyExcerpt, parseBody, type BodyFormat } from './body.ts';
import { DestinationStatusError, EngineErrorCode } from './errors.ts';
import type { HttpClient, HttpResponse, ReceivedResponse, Verdict } from './net/http-client.ts';
import { pointer } from './pointer.ts';
import type { Redactor } from './redact.ts';
import { CompiledRequest, place, sendRequest, type ConnectionDefaults } from './request.ts';
import type { ResponseFilters } from './response-filters.ts';
import type { Bindings, SiteExpression, SiteTable } from './sites.ts';

export const WRITE_OPERATIONS = ['create', 'update', 'upsert', 'delete'] as const;
export type WriteOperationName = (typeof WRITE_OPERATIONS)[number];

export interface WriteOptions {
  /** The remote record's id (update, delete): from the caller's id map, or `findRemoteId`. */
  remoteId?: string;
  /**
   * Sent in the definition's idempotency-key header (the event id, so a repeated delivery is applied once). With
   * one, a create is retried like any request; without, a create the API may have applied is never sent again.
   */
  idempotencyKey?: string;
  signal?: AbortSignal | undefined;
}

export interface WriteResult {
  /** The canonical type and version written (crm.contact@1). */
  type: string;
  operation: WriteOperationName;
  /** The record's canonical key. */
  key: string;
  /** The remote record's id: from the answer (remoteIdPath), else the one given; null when neither says. */
  remoteId: string | null;
  status: number;
  /** The API answered from its idempotency store (Idempotent-Replayed): an earlier attempt had applied it. */
  replayed: boolean;
  attempts: number;
}

/** A write as it would be sent: for shadow runs and previews. */
export interface PlannedWrite {
  type: string;
  operation: WriteOperationName;
  key: string;
  method: string;
  /** The URL, secrets redacted. */
  url: string;
  /** The JSON body, secrets redacted; null for none. */
  body: unknown;
}

/** What the writes share with the reads of a connection. */
export interface WriteContext {
  connector: string;
  config: Record<string, unknown>;
  defaults: ConnectionDefaults;
  format: BodyFormat;
  http: HttpClient;
  auth: AuthProvider;
  redactor: Redactor;
  filters: ResponseFilters;
  sites: SiteTable;
}

type WriteBindings = Bindings<'write'>;

interface BodyField {
  path: string;
  produce(record: unknown, bindings: WriteBindings): Promise<unknown>;
}

function compileBodyField(spec: FieldMappingSpec, where: string, sites: SiteTable): BodyField['produce'] {
  if ('const' in spec) {
    const value = spec.const;
    return async () => structuredClone(value);
  }
  const expression = sites.expression(`${where}/${'path' in spec ? 'path' : 'expr'}`, 'write');
  return (record, bindings) => expression.evaluate(record, bindings);
}

/** Whether any template or expression of an operation's request or body uses $remoteId. */
function usesRemoteId(spec: WriteOperationSpec): boolean {
  return /\$remoteId\b/.test(JSON.stringify(spec));
}

function text(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

class CompiledOperation {
  readonly name: WriteOperationName;
  readonly method: string;
  readonly request: CompiledRequest<'write'>;
  readonly body: BodyField[];
  readonly remoteIdPath: SiteExpression<'writeResponse'> | undefined;
  readonly needsRemoteId: boolean;

  constructor(type: string, name: WriteOperationName, spec: WriteOperationSpec, context: WriteContext) {
    const at = (...segments: string[]) => pointer('writes', type, name, ...segments);
    this.name = name;
    this.method = spec.request.method ?? 'POST';
    this.request = new CompiledRequest(at('request'), spec.request, context.defaults, context.sites, 'write');
    this.body = Object.entries(spec.body ?? {}).map(([path, field]) => ({ path, produce: compileBodyField(field, at('body', path), context.sites) }));
    this.remoteIdPath = context.sites.optionalExpression(at('remoteIdPath'), 'writeResponse');
    this.needsRemoteId = usesRemoteId(spec);
  }
}

interface Lookup {
  request: CompiledRequest<'write'>;
  records: SiteExpression<'writeResponse'> | undefined;
  remoteIdPath: SiteExpression<'writeResponse'>;
}

/** The writes of one canonical type. */
class CompiledTypeWrites {
  readonly name: string;
  readonly canonical: CanonicalTypeDefinition;
  readonly operations = new Map<WriteOperationName, CompiledOperation>();
  readonly lookup: Lookup | undefined;
  readonly idempotencyKeyHeader: string | undefined;
  readonly validate: (value: unknown) => CanonicalValidation;

  constructor(name: string, spec: TypeWritesSpec, context: WriteContext) {
    this.name = name;
    this.canonical = getCanonicalType(name);
    this.validate = canonicalValidator(this.canonical);
    for (const operation of WRITE_OPERATIONS) {
      const found = spec[operation];
      if (found) this.operations.set(operation, new CompiledOperation(name, operation, found, context));
    }
    const match = spec.match;
    if (match?.kind === 'lookup') {
      const at = (...segments: string[]) => pointer('writes', name, 'match', ...segments);
      this.lookup = {
        request: new CompiledRequest(at('request'), match.request, context.defaults, context.sites, 'write'),
        records: context.sites.optionalExpression(at('records'), 'writeResponse'),
        remoteIdPath: context.sites.expression(at('remoteIdPath'), 'writeResponse'),
      };
    }
    this.idempotencyKeyHeader = spec.idempotencyKeyHeader?.toLowerCase();
  }
}

export class Writes {
  readonly #context: WriteContext;
  readonly #types = new Map<string, CompiledTypeWrites>();

  constructor(specs: Record<string, TypeWritesSpec>, context: WriteContext) {
    this.#context = context;
    for (const [name, spec] of Object.entries(specs)) this.#types.set(name, new CompiledTypeWrites(name, spec, context));
  }

  /** Canonical type (name@version) → the operations the definition declares for it. */
  get operations(): Record<string, WriteOperationName[]> {
    return Object.fromEntries([...this.#types].map(([name, type]) => [name, [...type.operations.keys()]]));
  }

  #type(name: string): CompiledTypeWrites {
    const found = this.#types.get(name);
    if (!found) {
      const known = [...this.#types.keys()];
      throw new PullPushError(EngineErrorCode.WriteUnsupported, `Connector ${this.#context.connector} does not write ${name}.`, {
        hint: known.length > 0 ? `It writes ${known.join(', ')}.` : 'Its definition has no writes section: it is a source only.',
      });
    }
    return found;
  }

  /** The record's canonical key, for messages; a record without one is named by its type alone. */
  #keyOf(type: CompiledTypeWrites, record: object): string {
    try {
      return canonicalKey(type.canonical, record);
    } catch {
      return `${type.canonical.name} (no key)`;
    }
  }

  /** The checks of a write and the request it sends (not sent): what write() and plan() share. */
  async #prepare(typeName: string, operation: WriteOperationName, record: object, options: WriteOptions) {
    const type = this.#type(typeName);
    const key = this.#keyOf(type, record);
    const op = type.operations.get(operation);
    if (!op) {
      throw new PullPushError(EngineErrorCode.WriteUnsupported, `Connector ${this.#context.connector} has no ${operation} for ${typeName} (${key}).`, {
        hint: `It declares ${[...type.operations.keys()].join(', ') || 'no operation'} for ${typeName}.`,
      });
    }
    const checked = type.validate(record);
    if (!checked.valid) {
      throw new PullPushError(EngineErrorCode.WriteInvalidRecord, `The ${typeName} record ${key} is not valid, so it was not written (${operation}): ${formatIssues(checked.issues)}`, {
        hint: 'Map the source so its records fit the canonical type; nothing was sent.',
      });
    }
    if (op.needsRemoteId && options.remoteId === undefined) {
      throw new PullPushError(EngineErrorCode.WriteNeedsRemoteId, `${operation} of ${key} needs the remote record's id ($remoteId), and none was given.`, {
        hint: type.lookup ? 'Find it first with findRemoteId (the definition declares a lookup), or keep an id map of earlier writes.' : 'Keep an id map of earlier writes, or declare writes.match (a lookup) in the definition.',
      });
    }
    const bindings: WriteBindings = { config: this.#context.config, record, remoteId: options.remoteId ?? null };
    const request = await op.request.build(bindings);
    for (const field of op.body) {
      const value = await field.produce(record, bindings);
      // A field the record does not have is left out (a PATCH leaves it as it is); null is sent as null.
      if (value !== undefined) place(request, { in: 'body', name: field.path }, value);
    }
    return { type, key, op, request };
  }

  /**
   * The request a write would send, built and checked but not sent (no credentials added): its method, redacted
   * URL and body. For shadow runs, which compare what two revisions would write.
   */
  async plan(typeName: string, operation: WriteOperationName, record: object, options: Omit<WriteOptions, 'signal' | 'idempotencyKey'> = {}): Promise<PlannedWrite> {
    const { key, op, request } = await this.#prepare(typeName, operation, record, options);
    const { redactor } = this.#context;
    return { type: typeName, operation, key, method: op.method, url: redactor.url(request.url), body: request.body === undefined ? null : redactor.value(request.body) };
  }

  /**
   * Writes one canonical record: create, update, upsert or delete. The record is checked against its canonical
   * type first; nothing is sent for an invalid one.
   */
  async write(typeName: string, operation: WriteOperationName, record: object, options: WriteOptions = {}): Promise<WriteResult> {
    const { type, key, op, request } = await this.#prepare(typeName, operation, record, options);
    const { config, redactor } = this.#context;
    const idempotent = options.idempotencyKey !== undefined && type.idempotencyKeyHeader !== undefined;
    if (idempotent) request.headers[type.idempotencyKeyHeader as string] = options.idempotencyKey as string;
    // PUT, PATCH and DELETE set a state: sending one twice does no harm. A POST without an idempotency key may create
    // twice, so it is sent again only after an answer that refused it (429), never after silence or a 5xx.
    const repeatable = op.method !== 'POST' || idempotent;
    const classify = repeatable ? this.#context.filters.classify : this.#refusalsOnly;
    const where = `${typeName} ${operation}`;
    let response: HttpResponse;
    try {
      response = await sendRequest(this.#context.http, this.#context.auth, request, { method: op.method, stream: where, repeatable, signal: options.signal, classify });
    } catch (error) {
      const code = (error as PullPushError).code;
      if (!repeatable && (code === EngineErrorCode.Network || code === EngineErrorCode.Timeout)) {
        throw new PullPushError(EngineErrorCode.WriteAmbiguous, `${operation} of ${key}: ${op.method} ${redactor.url(request.url)} got no answer, and the API may have applied it: ${(error as Error).message}`, {
          hint: 'Find out before writing again: look the record up (findRemoteId), or declare idempotencyKeyHeader so a retry is safe.',
          cause: error,
        });
      }
      throw error;
    }
    const action = response.verdict.action;
    if (action !== 'accept' && action !== 'ignore') throw this.#failure(response, `${operation} of ${key}`, op.method, response.verdict);
    let remoteId = options.remoteId ?? null;
    if (op.remoteIdPath && action === 'accept') {
      const body = parseBody(response.body, 'json', redactor.url(response.url), redactor);
      remoteId = text(await op.remoteIdPath.evaluate(body, { config, record, headers: Object.fromEntries(response.headers) })) ?? remoteId;
      if (remoteId === null && operation === 'create') {
        throw new PullPushError(EngineErrorCode.WriteNoRemoteId, `create of ${key} was answered ${response.status}, but ${op.remoteIdPath.source} finds no id in the answer (${redactor.url(response.url)}).`, {
          hint: `Check writes["${typeName}"].create.remoteIdPath against the API's answer. The record was created: look it up before writing again.`,
        });
      }
    }
    return { type: typeName, operation, key, remoteId, status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true', attempts: response.attempts };
  }

  /** The response filters' verdict, except that a retry becomes a failure: for a write that must not be repeated. */
  readonly #refusalsOnly = async (response: ReceivedResponse): Promise<Verdict> => {
    const verdict = await this.#context.filters.classify(response);
    return verdict.action === 'retry' ? { ...verdict, action: 'fail' } : verdict;
  };

  /** A write or lookup the API refused: what, the redacted URL, the status, the start of the body, a hint. */
  #failure(response: HttpResponse, what: string, method: string, verdict: Verdict): DestinationStatusError {
    const { redactor } = this.#context;
    const status = response.status;
    const excerpt = bodyExcerpt(response.body, redactor);
    const exhausted = verdict.action === 'retry' || verdict.action === 'rateLimited';
    const hint = exhausted
      ? `The API still answered ${status} after ${response.attempts} attempts; the write can be retried later.`
      : status === 401 || status === 403
        ? 'Check the destination connection\'s credentials and their permissions.'
        : status === 404
          ? 'The remote record is gone, or the id is wrong: check the id map.'
          : status === 409
            ? 'The record exists already at the destination: look it up and update it instead.'
            : status === 400 || status === 422
              ? 'The destination refused the body: check the write mapping against what the API requires.'
              : status >= 500
                ? 'The destination failed on its side; the write can be retried later.'
                : 'Declare a response filter if this status is expected.';
    return new DestinationStatusError(status, `${what}: ${method} ${redactor.url(response.url)} answered ${status}${verdict.message ? `: ${verdict.message}` : ''}${excerpt ? ` — ${excerpt}` : ''}`, { hint });
  }

  /**
   * The remote id of the record at the destination, found by the definition's lookup (writes.match); undefined
   * when the lookup finds nothing, or when the definition declares none (the caller's id map is then the only way).
   */
  async findRemoteId(typeName: string, record: object, signal?: AbortSignal | undefined): Promise<string | undefined> {
    const type = this.#type(typeName);
    if (!type.lookup) return undefined;
    const { config, redactor } = this.#context;
    const request = await type.lookup.request.build({ config, record, remoteId: null });
    const key = this.#keyOf(type, record);
    const response = await sendRequest(this.#context.http, this.#context.auth, request, {
      method: type.lookup.request.method,
      stream: `${typeName} lookup`,
      readsOnly: true,
      signal,
      classify: this.#context.filters.classify,
    });
    if (response.verdict.action === 'ignore') return undefined;
    if (response.verdict.action !== 'accept') throw this.#failure(response, `The lookup of ${key}`, type.lookup.request.method, response.verdict);
    const body = parseBody(response.body, this.#context.format, redactor.url(response.url), redactor);
    const bindings = { config, record, headers: Object.fromEntries(response.headers) };
    const found = type.lookup.records ? await type.lookup.records.evaluate(body, bindings) : body;
    const candidates = Array.isArray(found) ? found : found === undefined || found === null ? [] : [found];
    if (candidates.length > 1) {
      throw new PullPushError(EngineErrorCode.WriteLookupAmbiguous, `The lookup of ${key} at ${redactor.url(response.url)} found ${candidates.length} records; it must find at most one.`, {
        hint: 'Look up by a field that is unique at the destination (email, sku), and filter the request by it.',
      });
    }
    return candidates.length === 0 ? undefined : (text(await type.lookup.remoteIdPath.evaluate(candidates[0], bindings)) ?? undefined);
  }
}
