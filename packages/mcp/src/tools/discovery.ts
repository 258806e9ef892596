// Discovery tools: an API description in, its list operations, auth and pagination out (discover_api); a drafted
// connector definition with its report, optionally stored and tested against the description's mock API
// (generate_connector); a mock API to test against (start_mock_api, stop_mock_api); and a probe of one endpoint
// of an API without a description (probe_endpoint), whose credentials come from a stored connection.
import { PullPushError } from '@pullpush/canonical';
import type { ApiModel, DescriptionSource, ListOperation } from '@pullpush/discovery';
import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import type { AuthSpec } from '@pullpush/schema';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import { loadDiscovery } from '../libraries/load.ts';
import type { ServerRuntime } from '../runtime.ts';
import { defineTool, READ_ONLY, READS_REMOTE, WRITES, type ToolAnnotations } from '../tool.ts';
import { ConnectionName, compact, FreeObject, Problem } from './schemas.ts';

const SourceFields = {
  path: Type.Optional(Type.String({ minLength: 1, description: "A description file (OpenAPI JSON/YAML or Postman collection) under the server's working directory or its workspace." })),
  url: Type.Optional(Type.String({ minLength: 1, description: 'An https URL of the description, fetched through the network policy (no private addresses unless the server allows them).' })),
  text: Type.Optional(Type.String({ minLength: 1, description: 'The description itself, as JSON or YAML text (for short ones; prefer path or url).' })),
};

interface SourceArgs {
  path?: string | undefined;
  url?: string | undefined;
  text?: string | undefined;
}

/** Reads through files only under the working directory or the workspace: a model must not read the disk at large. */
function descriptionSource(args: SourceArgs, runtime: ServerRuntime, signal: AbortSignal): DescriptionSource {
  const given = [args.path, args.url, args.text].filter((value) => value !== undefined).length;
  if (given !== 1) {
    throw new PullPushError(McpErrorCode.InvalidArguments, given === 0 ? 'Give the description: path, url or text.' : 'Give the description once: path, url or text, not several.', {
      hint: 'path for a file next to the project, url for a published one, text for a short one.',
    });
  }
  if (args.url !== undefined) {
    const { allowPrivateNetwork, allowInsecureHttp } = runtime.engine;
    return { url: args.url, network: compact({ allowPrivateNetwork, allowInsecureHttp }), signal };
  }
  if (args.text !== undefined) return { text: args.text, origin: '(text)' };
  const file = resolve(args.path as string);
  const root = [process.cwd(), runtime.workspace.root].map((folder) => resolve(folder)).find((folder) => {
    const within = relative(folder, file);
    return within !== '' && !within.startsWith('..') && !isAbsolute(within);
  });
  if (!root) {
    throw new PullPushError(McpErrorCode.InvalidArguments, `${args.path} is outside the server's working directory and workspace.`, {
      hint: 'Copy the description into the project folder, or give its url.',
    });
  }
  // Its $refs to other files may not leave that folder either.
  return { file, root };
}

const OperationSummary = Type.Object({
  id: Type.String({ description: 'operationId, else "GET /path": what generate_connector takes in streams.' }),
  path: Type.String(),
  summary: Type.Optional(Type.String()),
  records: Type.String({ description: 'Where the records are in the body ("(body)": the body is the list).' }),
  pagination: Type.String({ description: 'kind and confidence, e.g. "cursor 0.9".' }),
  key: Type.Optional(Type.String({ description: 'The field that identifies a record.' })),
  incremental: Type.Optional(Type.String({ description: 'A field that grows with each change, and the parameter that filters by it.' })),
  parent: Type.Optional(Type.String({ description: 'The list whose records fill a path parameter.' })),
  confidence: Type.Number(),
});

function summary(operation: ListOperation) {
  const incremental = operation.incremental.find((candidate) => candidate.param);
  return compact<{ id: string; path: string; summary?: string; records: string; pagination: string; key?: string; incremental?: string; parent?: string; confidence: number }>({
    id: operation.id,
    path: operation.path,
    summary: operation.summary?.slice(0, 120),
    records: operation.records.path ?? '(body)',
    pagination: `${operation.pagination.spec.kind} ${operation.pagination.confidence}`,
    key: operation.primaryKey[0]?.field,
    incremental: incremental?.param ? `${incremental.cursorField} via ${incremental.param.in} ${incremental.param.name}` : undefined,
    parent: operation.parent ? `${operation.parent.operation} (${operation.parent.field} → {${operation.parent.param}})` : undefined,
    confidence: operation.confidence,
  });
}

function find(model: ApiModel, wanted: string): ListOperation {
  const operation = model.listOperations.find((candidate) => candidate.id === wanted || `GET ${candidate.path}` === wanted || candidate.path === wanted);
  if (!operation) {
    throw new PullPushError(McpErrorCode.NotFound, `No list operation "${wanted}" in ${model.title}.`, { hint: 'Call discover_api without "operation" to list them; name one by its id or "GET /path".' });
  }
  return operation;
}

const MAX_LISTED = 100;

/** Starts mock APIs and keeps them until stopped or the server closes. */
const STARTS_LOCAL: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

export const discoveryTools = [
  defineTool({
    name: 'discover_api',
    title: 'Discover an API from its description',
    description:
      'Reads an OpenAPI 2.0/3.0/3.1 description (JSON or YAML) or a Postman v2.x collection — a file, a URL or text — and lists what a connector can read: servers, security schemes mapped to auth kinds, and the operations that return lists of records, each with where the records are, a key, its pagination style with a confidence, incremental filters and parent lists. Deterministic, no model involved. Lists are paged (offset, limit); give "operation" for one operation in full: its evidence (the description elements each guess rests on), parameters and record schema. Then generate_connector drafts a definition.',
    group: 'discovery',
    input: Type.Object(
      {
        ...SourceFields,
        operation: Type.Optional(Type.String({ minLength: 1, description: 'One operation in full, by id or "GET /path".' })),
        offset: Type.Optional(Type.Integer({ minimum: 0, description: 'First operation listed (default 0).' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LISTED, description: `Operations listed (default 50, at most ${MAX_LISTED}).` })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      title: Type.String(),
      version: Type.Optional(Type.String()),
      format: Type.String({ description: 'openapi-2.0, openapi-3.0, openapi-3.1, postman-2.0 or postman-2.1.' }),
      servers: Type.Array(Type.String()),
      auth: Type.Array(Type.Object({ name: Type.String(), kind: Type.String(), detail: Type.Optional(Type.String()) })),
      operations: Type.Object({ total: Type.Integer(), get: Type.Integer(), list: Type.Integer() }),
      listOperations: Type.Array(OperationSummary, { description: 'Sorted as the description lists them.' }),
      operation: Type.Optional(FreeObject({ description: 'The operation asked for, in full.' })),
      rateLimits: Type.Array(Type.String()),
      skipped: Type.Object({ count: Type.Integer(), first: Type.Array(Type.String()) }, { description: 'What discovery could not use, and where.' }),
    }),
    annotations: { ...READ_ONLY, openWorldHint: true },
    async handler(args, { runtime, signal }) {
      const model = await (await loadDiscovery()).discover(descriptionSource(args, runtime, signal));
      const offset = args.offset ?? 0;
      const limit = args.limit ?? 50;
      return compact({
        title: model.title,
        version: model.version,
        format: model.format,
        servers: model.servers.map((server) => server.url),
        auth: model.authSchemes.map((scheme) => compact<{ name: string; kind: string; detail?: string }>({ name: scheme.name, kind: scheme.kind, detail: scheme.in ? `${scheme.in} ${scheme.paramName}${scheme.valuePrefix ? ` as "${scheme.valuePrefix}<key>"` : ''}` : scheme.scopes?.length ? `${scheme.scopes.length} scopes` : undefined })),
        operations: model.operations,
        listOperations: model.listOperations.slice(offset, offset + limit).map(summary),
        operation: args.operation === undefined ? undefined : (find(model, args.operation) as unknown as Record<string, unknown>),
        rateLimits: model.rateLimits.map((hint) => hint.says),
        skipped: { count: model.skipped.length, first: model.skipped.slice(0, 10).map((entry) => `${entry.pointer || '/'}: ${entry.reason}`) },
      });
    },
  }),
  defineTool({
    name: 'generate_connector',
    title: 'Draft a connector definition from an API description',
    description:
      'Drafts a complete connector definition from an API description (path, url or text): base URL, auth, and one stream per chosen list operation with records path, key, pagination, incremental filter, parent partitions, and a canonical type with its mapping where the record fits one. Without "streams" the best operations are picked (maxStreams, default 5). Returns the definition, its validation, and a report giving each choice its place and confidence (and the description elements it rests on, with evidence: true), the config keys a connection needs, and what to review. verify: true also runs the read-only test against the description\'s own mock API and returns the verdict. save: true stores the draft as a definition (refused if the id exists) and leaves it out of the result. Deterministic: no model involved.',
    group: 'discovery',
    input: Type.Object(
      {
        ...SourceFields,
        streams: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Operations to draft: ids, "GET /path", paths or stream names (discover_api lists them).' })),
        maxStreams: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Operations picked without streams (default 5).' })),
        definition: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64, description: 'The id of the drafted definition (default: from the title).' })),
        canonical: Type.Optional(Type.Boolean({ description: 'Map streams to canonical types where they fit (default true).' })),
        verify: Type.Optional(Type.Boolean({ description: 'Test the draft against the mock API of its description (default false).' })),
        save: Type.Optional(Type.Boolean({ description: 'Store the draft in the workspace (default false); the result then leaves the definition out (get_definition reads it).' })),
        evidence: Type.Optional(Type.Boolean({ description: 'Include the evidence of every choice in the report (default false: pointer, summary and confidence only).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      definition: Type.Optional(FreeObject({ description: 'The drafted connector definition (left out when saved).' })),
      ok: Type.Boolean({ description: 'Whether it validates.' }),
      errors: Type.Array(Problem),
      report: FreeObject({ description: 'source, connection and stream choices (pointer, summary, confidence; evidence on request), config keys, review items, the first 20 things skipped and skippedCount.' }),
      verification: Type.Optional(
        Type.Object({
          verdict: Type.Enum(['pass', 'warn', 'fail']),
          streams: Type.Array(Type.Object({ stream: Type.String(), verdict: Type.String(), pages: Type.Integer(), records: Type.Integer(), failedRecords: Type.Integer(), error: Type.Optional(Type.String()) })),
        }),
      ),
      saved: Type.Optional(Type.Object({ id: Type.String(), revision: Type.Integer() })),
    }),
    annotations: { ...WRITES, openWorldHint: true },
    async handler(args, { runtime, workspace, signal }) {
      const { discover, draftConnector, verifyDraft } = await loadDiscovery();
      const model = await discover(descriptionSource(args, runtime, signal));
      const draft = draftConnector(model, compact({ streams: args.streams, maxStreams: args.maxStreams, id: args.definition, canonical: args.canonical }));
      const validation = runtime.validateDefinition(draft.definition);
      let verification;
      if (args.verify) {
        const report = await verifyDraft(model, draft, { signal });
        verification = {
          verdict: report.verdict,
          streams: report.streams.map((stream) => compact<{ stream: string; verdict: string; pages: number; records: number; failedRecords: number; error?: string }>({ stream: stream.stream, verdict: stream.verdict, pages: stream.pages, records: stream.records, failedRecords: stream.failedRecords, error: stream.error?.message })),
        };
      }
      let saved;
      if (args.save) {
        const id = draft.definition.id;
        if (workspace.hasDefinition(id)) {
          throw new PullPushError(McpErrorCode.AlreadyExists, `A definition with id "${id}" exists.`, { hint: 'Give generate_connector another id, or change the stored one with update_definition.' });
        }
        const stored = workspace.saveDefinition(id, draft.definition as unknown as Record<string, unknown>);
        runtime.events.emit('resources-changed');
        saved = { id, revision: stored.revision };
      }
      // A model's context is the budget: evidence on request, the first few things skipped, no definition it stored.
      const streams = args.evidence ? draft.report.streams : draft.report.streams.map((stream) => ({ ...stream, choices: stream.choices.map(({ evidence: _evidence, ...choice }) => choice) }));
      const connection = args.evidence ? draft.report.connection : draft.report.connection.map(({ evidence: _evidence, ...choice }) => choice);
      const report = { ...draft.report, connection, streams, skipped: draft.report.skipped.slice(0, 20), skippedCount: draft.report.skipped.length };
      return compact({
        definition: saved ? undefined : (draft.definition as unknown as Record<string, unknown>),
        ok: validation.ok,
        errors: validation.errors,
        report: report as unknown as Record<string, unknown>,
        verification,
        saved,
      });
    },
  }),
  defineTool({
    name: 'start_mock_api',
    title: 'Start the mock API of a description',
    description:
      'Starts a local HTTP server on 127.0.0.1 serving every list operation of an API description with seeded records and the pagination it declares; it asks for the credentials its security schemes declare and answers 404/405/400 naming any path, method or parameter the description does not declare. Returns its id, its base URL and the (fake, public) credentials it accepts. To test a stored draft against it: create_connection with baseUrl set to the url and those credentials (the server must allow private addresses and plain http), then test_connector. generate_connector with verify: true does all of this in one call. Stop it with stop_mock_api.',
    group: 'discovery',
    input: Type.Object(
      {
        ...SourceFields,
        records: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Records in each list (default 25).' })),
        maxPageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, description: 'Most records a page holds (default 10).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({ id: Type.String(), url: Type.String(), listOperations: Type.Integer(), credentials: Type.Record(Type.String(), Type.String()) }),
    annotations: STARTS_LOCAL,
    async handler(args, { runtime, signal }) {
      const { discover, MOCK_CREDENTIALS, startMockApi } = await loadDiscovery();
      const model = await discover(descriptionSource(args, runtime, signal));
      const mock = await startMockApi(model, compact({ records: args.records, maxPageSize: args.maxPageSize }));
      const id = `mock-${randomUUID().slice(0, 8)}`;
      runtime.mocks.set(id, mock);
      return { id, url: mock.url, listOperations: model.listOperations.length, credentials: { ...MOCK_CREDENTIALS } };
    },
  }),
  defineTool({
    name: 'stop_mock_api',
    title: 'Stop a mock API',
    description: 'Stops a mock API started with start_mock_api and says how many requests it answered.',
    group: 'discovery',
    input: Type.Object({ mock: Type.String({ minLength: 1, description: 'The id start_mock_api gave.' }) }, { additionalProperties: false }),
    output: Type.Object({ id: Type.String(), requests: Type.Integer() }),
    annotations: { ...STARTS_LOCAL, destructiveHint: true, idempotentHint: false },
    async handler(args, { runtime }) {
      const mock = runtime.mocks.get(args.mock);
      if (!mock) throw new PullPushError(McpErrorCode.NotFound, `No mock API "${args.mock}" is running.`, { hint: `Running: ${[...runtime.mocks.keys()].join(', ') || 'none'}.` });
      runtime.mocks.delete(args.mock);
      await mock.close();
      return { id: args.mock, requests: mock.answered };
    },
  }),
  defineTool({
    name: 'probe_endpoint',
    title: 'Probe an endpoint of an API without a description',
    description:
      'Sends a read-only GET to a list endpoint (a few more to tell keyset pagination apart) and reports where the records are, their inferred schema, a key, the pagination style with its evidence and the rate-limit headers, with up to three sample records. Credentials come from a stored connection (its definition\'s auth and config), never from your context, and go only to that definition\'s hosts; without a connection the request carries none. Secrets are redacted from everything returned. Use it to write a definition for an API that has only HTML documentation.',
    group: 'discovery',
    input: Type.Object(
      {
        url: Type.String({ minLength: 1, description: 'The endpoint with a small page size: https://api.example.com/v1/items?limit=5.' }),
        connection: Type.Optional(ConnectionName),
        maxExtraRequests: Type.Optional(Type.Integer({ minimum: 0, maximum: 3, description: 'Extra GETs to tell keyset pagination from none (default 3).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      url: Type.String({ description: 'Secrets redacted.' }),
      status: Type.Integer(),
      records: Type.Object({ path: Type.Optional(Type.String()), count: Type.Integer() }),
      sample: Type.Array(Type.Unknown()),
      schema: Type.Union([FreeObject(), Type.Null()]),
      primaryKey: Type.Array(Type.String()),
      pagination: Type.Object({ spec: FreeObject({ description: 'The DSL pagination object to use.' }), confidence: Type.Number(), evidence: Type.Array(Type.String()) }),
      rateLimit: Type.Record(Type.String(), Type.String()),
      requests: Type.Integer(),
    }),
    annotations: READS_REMOTE,
    async handler(args, { runtime, signal }) {
      const credentials = args.connection === undefined ? {} : connectionCredentials(runtime, args.connection, args.url);
      const { allowPrivateNetwork, allowInsecureHttp, maxResponseBytes, timeoutMs } = runtime.engine;
      const result = await (await loadDiscovery()).probeEndpoint(args.url, { ...compact({ allowPrivateNetwork, allowInsecureHttp, maxResponseBytes, timeoutMs, maxExtraRequests: args.maxExtraRequests }), ...credentials, signal });
      return {
        ...result,
        schema: result.schema as unknown as Record<string, unknown> | null,
        primaryKey: result.primaryKey.map((candidate) => candidate.field),
        pagination: { ...result.pagination, spec: result.pagination.spec as unknown as Record<string, unknown> },
      };
    },
  }),
];

/**
 * A stored connection's auth and config for a probe, refused unless the URL is on the connection's own host (its
 * base URL, or an allowed host of its definition): credentials must not be sendable anywhere a caller names.
 */
function connectionCredentials(runtime: ServerRuntime, name: string, url: string): { auth?: AuthSpec; config?: Record<string, unknown> } {
  const stored = runtime.workspace.getConnection(name);
  const source = runtime.source({ definition: stored.connector, connection: name });
  const http = (source.definition['http'] ?? {}) as { baseUrl?: string; allowedHosts?: string[] };
  const base = stored.baseUrl ?? http.baseUrl ?? '';
  const hosts = [...(base.includes('{{') ? [] : [hostOf(base)]), ...(http.allowedHosts ?? [])].filter((host) => host !== '');
  const target = hostOf(url);
  if (target === '' || !hosts.includes(target)) {
    throw new PullPushError(McpErrorCode.InvalidArguments, `Connection ${name} is for ${hosts.join(', ') || 'a base URL from its config'}; its credentials are not sent to ${target || url}.`, {
      hint: 'Probe a URL on the connection\'s own host, or probe without a connection.',
    });
  }
  return { auth: source.definition['auth'] as AuthSpec, config: source.config };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}
