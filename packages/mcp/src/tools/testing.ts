// Testing tools: the engine's read-only test run of a definition against the live API (auth, each stream's
// records, mapping and validation failures with pointers, pagination), reported stream by stream as progress and
// stored in the workspace so it can be read again (get_test_report, pullpush://reports/{id}).
import { PullPushError } from '@pullpush/canonical';
import { renderTestReport, testConnector, type StreamReport, type TestReport, type Verdict } from '@pullpush/engine';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import { defineTool, READ_ONLY, READS_REMOTE, type ToolAnnotations, type ToolContext } from '../tool.ts';
import { checkSource, defined, ErrorInfo, openSource, SourceFields, withRedaction, type OpenedSource, type SourceArgs } from './connections.ts';
import { compact, DefinitionId, Issue, FreeObject } from './schemas.ts';

type Json = Record<string, unknown>;

/** Sends only reads to the API, but stores a report in the workspace. */
const TESTS_REMOTE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

const VerdictSchema = Type.Enum(['pass', 'warn', 'fail'], { description: 'pass: everything worked; warn: worked with something to look at (no records); fail: auth, a request, or records failed.' });
const Failure = Type.Object({ remoteId: Type.String(), message: Type.String(), issues: Type.Array(Issue) });
const Pagination = Type.Object({
  reachedEnd: Type.Boolean(),
  stoppedBecause: Type.Enum(['exhausted', 'page-limit', 'record-limit', 'error', 'no-pages']),
});
const Auth = Type.Object({ ok: Type.Boolean(), error: Type.Optional(ErrorInfo) });
const RequestLine = Type.Object({ method: Type.String(), url: Type.String({ description: 'Secrets redacted.' }), status: Type.Integer(), elapsedMs: Type.Number(), attempts: Type.Integer(), records: Type.Integer() });

const StreamSummary = Type.Object({
  stream: Type.String(),
  canonical: Type.Union([Type.String(), Type.Null()]),
  verdict: VerdictSchema,
  requests: Type.Integer({ description: 'Pages requested.' }),
  pages: Type.Integer(),
  records: Type.Integer(),
  failureCount: Type.Integer(),
  failures: Type.Array(Failure, { description: 'The first failing records (get_test_report has them all).' }),
  pagination: Pagination,
  error: Type.Optional(ErrorInfo),
  notes: Type.Array(Type.String()),
});

const Limits = {
  maxRecords: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Records read per stream (default 100).' })),
  maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, description: 'Pages read per stream (default 5).' })),
};

const FAILURES_SHOWN = 10;

function worst(verdicts: Verdict[]): Verdict {
  return verdicts.includes('fail') ? 'fail' : verdicts.includes('warn') ? 'warn' : 'pass';
}

function cancelled(): PullPushError {
  return new PullPushError(McpErrorCode.Cancelled, 'The test was cancelled.', { hint: 'Call the tool again to run it.' });
}

function auth(report: TestReport): { ok: boolean; error?: { code: string; message: string; hint?: string } } {
  return report.auth.error ? { ok: report.auth.ok, error: compact({ ...report.auth.error }) } : { ok: report.auth.ok };
}

function streamSummary(stream: StreamReport, failures = FAILURES_SHOWN) {
  return compact<{
    stream: string;
    canonical: string | null;
    verdict: Verdict;
    requests: number;
    pages: number;
    records: number;
    failureCount: number;
    failures: StreamReport['failures'];
    pagination: StreamReport['pagination'];
    error?: { code: string; message: string; hint?: string };
    notes: string[];
  }>({
    stream: stream.stream,
    canonical: stream.canonical,
    verdict: stream.verdict,
    requests: stream.requests.length,
    pages: stream.pages,
    records: stream.records,
    failureCount: stream.failures.length,
    failures: stream.failures.slice(0, failures).map((failure) => ({ remoteId: failure.remoteId, message: failure.message, issues: failure.issues.map((issue) => compact({ ...issue })) })),
    pagination: stream.pagination,
    error: stream.error ? compact({ ...stream.error }) : undefined,
    notes: stream.notes,
  });
}

interface RunOptions {
  streams: readonly string[];
  maxRecords?: number | undefined;
  maxPages?: number | undefined;
  samples?: number | undefined;
}

/**
 * The engine's test run, one stream at a time so each finished stream is reported as progress (each part
 * checks auth again: one extra request per stream). The parts are merged into one report, stored redacted.
 */
async function runTest(source: OpenedSource, options: RunOptions, { workspace, signal, progress }: ToolContext): Promise<{ id: string; report: TestReport }> {
  const started = Date.now();
  const streams: StreamReport[] = [];
  let authResult: TestReport['auth'] | undefined;
  let requests = 0;
  let first: TestReport | undefined;
  await progress(0, options.streams.length, `testing ${options.streams.length} stream(s) of ${source.definitionId}`);
  for (const [index, name] of options.streams.entries()) {
    if (signal.aborted) throw cancelled();
    const part = await testConnector(
      source.definition,
      source.config,
      compact({ ...source.engine, streams: [name], maxRecords: options.maxRecords, maxPages: options.maxPages, samples: options.samples, signal }),
    );
    first ??= part;
    requests += part.requests;
    authResult = part.auth;
    if (!part.auth.ok) break;
    streams.push(...part.streams);
    const stream = part.streams[0];
    await progress(index + 1, options.streams.length, stream ? `${name}: ${stream.verdict} — ${stream.records} records, ${stream.pages} pages, ${stream.failures.length} failures` : name);
  }
  if (signal.aborted) throw cancelled();
  const resolvedAuth = authResult ?? { ok: true, error: null };
  const report = source.redact<TestReport>({
    connector: first?.connector ?? String(source.definition['id'] ?? source.definitionId),
    definitionVersion: first?.definitionVersion ?? String(source.definition['version'] ?? ''),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    verdict: resolvedAuth.ok ? worst(streams.map((stream) => stream.verdict)) : 'fail',
    auth: resolvedAuth,
    streams,
    requests,
  });
  const stored = workspace.saveReport({
    connector: source.definitionId,
    ...(source.stored ? { connection: source.connection } : {}),
    verdict: report.verdict,
    report: report as unknown as Json,
  });
  return { id: stored.id, report };
}

function streamNames(source: OpenedSource, wanted: readonly string[] | undefined): string[] {
  const known = Object.keys((source.definition['streams'] as Json | undefined) ?? {});
  const unknown = (wanted ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new PullPushError(McpErrorCode.InvalidArguments, `${source.definitionId} has no stream ${unknown.map((name) => `"${name}"`).join(', ')}.`, {
      hint: `Streams: ${known.join(', ')}.`,
      issues: (wanted ?? []).flatMap((name, index) => (known.includes(name) ? [] : [{ pointer: `/streams/${index}`, message: 'unknown stream' }])),
    });
  }
  return wanted && wanted.length > 0 ? [...wanted] : known;
}

function sourceArgs(args: SourceArgs): SourceArgs {
  return compact<SourceArgs>({ definition: args.definition, revision: args.revision, connection: args.connection, config: args.config });
}

export const testingTools = [
  defineTool({
    name: 'test_connector',
    title: 'Test a connector (read-only)',
    description:
      'Runs the read-only test of a stored definition against the live API, with a stored connection or an inline config (to test before creating a connection): auth, then each stream (or the streams given) with small limits — requests, pages, records, mapping and validation failures with JSON pointers, whether pagination reached the end. Only reads are sent. Reports progress per stream, stores the full report (get_test_report) and returns its id, the verdict (pass / warn / fail), a summary per stream and the report as text.',
    group: 'testing',
    input: Type.Object(
      {
        ...SourceFields,
        streams: Type.Optional(Type.Array(Type.String(), { description: 'Streams to test (default all).' })),
        ...Limits,
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      reportId: Type.String(),
      connector: Type.String(),
      connection: Type.Optional(Type.String()),
      verdict: VerdictSchema,
      auth: Auth,
      requests: Type.Integer({ description: 'Requests sent in all.' }),
      durationMs: Type.Integer(),
      streams: Type.Array(StreamSummary),
      text: Type.String({ description: 'The report for people.' }),
    }),
    annotations: TESTS_REMOTE,
    async handler(args, context) {
      const source = openSource(context.runtime, sourceArgs(args));
      return withRedaction(source, async () => {
        const streams = streamNames(source, args.streams);
        const { id, report } = await runTest(source, { streams, maxRecords: args.maxRecords, maxPages: args.maxPages }, context);
        return source.redact(
          compact({
            reportId: id,
            connector: source.definitionId,
            connection: source.stored ? source.connection : undefined,
            verdict: report.verdict,
            auth: auth(report),
            requests: report.requests,
            durationMs: report.durationMs,
            streams: report.streams.map((stream) => streamSummary(stream)),
            text: renderTestReport(report),
          }),
        );
      });
    },
  }),
  defineTool({
    name: 'check_auth',
    title: 'Check auth',
    description:
      "Checks only that a definition's auth works with a stored connection or an inline config: authenticates and reads the first page of the check stream, read-only. Returns verdict pass or fail with the HTTP status, or the coded error with secrets redacted.",
    group: 'testing',
    input: Type.Object(SourceFields, { additionalProperties: false }),
    output: Type.Object({
      verdict: Type.Enum(['pass', 'fail']),
      ok: Type.Boolean(),
      connector: Type.String(),
      connection: Type.String(),
      stream: Type.Optional(Type.String()),
      status: Type.Optional(Type.Integer()),
      records: Type.Optional(Type.Integer()),
      requests: Type.Integer(),
      durationMs: Type.Integer(),
      error: Type.Optional(ErrorInfo),
    }),
    annotations: READS_REMOTE,
    async handler(args, { runtime, signal }) {
      const source = openSource(runtime, sourceArgs(args));
      const result = await checkSource(source, signal);
      return source.redact({ verdict: result.ok ? ('pass' as const) : ('fail' as const), ...result });
    },
  }),
  defineTool({
    name: 'test_stream',
    title: 'Test one stream (read-only)',
    description:
      'Runs the read-only test of one stream of a stored definition (with a stored connection or an inline config) and returns what a fix needs: sample records (canonical events, or native records for a raw stream), every failing record with its issues at JSON pointers, the requests made, the pagination outcome and the schema inferred from the native records. Stores the report like test_connector.',
    group: 'testing',
    input: Type.Object(
      {
        ...SourceFields,
        stream: Type.String({ description: 'The stream to test.' }),
        ...Limits,
        samples: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, description: 'Sample records returned (default 5).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      reportId: Type.String(),
      connector: Type.String(),
      stream: Type.String(),
      canonical: Type.Union([Type.String(), Type.Null()]),
      verdict: VerdictSchema,
      auth: Auth,
      requests: Type.Array(RequestLine),
      pages: Type.Integer(),
      records: Type.Integer(),
      samples: Type.Array(Type.Unknown()),
      failureCount: Type.Integer(),
      failures: Type.Array(Failure, { description: 'Up to 50 failing records.' }),
      pagination: Pagination,
      inferredSchema: Type.Optional(Type.Unknown({ description: 'JSON Schema inferred from the native records.' })),
      error: Type.Optional(ErrorInfo),
      notes: Type.Array(Type.String()),
      text: Type.String(),
    }),
    annotations: TESTS_REMOTE,
    async handler(args, context) {
      const source = openSource(context.runtime, sourceArgs(args));
      return withRedaction(source, async () => {
        const [name] = streamNames(source, [args.stream]);
        const { id, report } = await runTest(source, { streams: [name ?? args.stream], maxRecords: args.maxRecords, maxPages: args.maxPages, samples: args.samples ?? 5 }, context);
        const stream = report.streams[0];
        const summary = stream ? streamSummary(stream, 50) : undefined;
        return source.redact(
          compact({
            reportId: id,
            connector: source.definitionId,
            stream: args.stream,
            canonical: stream?.canonical ?? null,
            verdict: report.verdict,
            auth: auth(report),
            requests: (stream?.requests ?? []).map((request) => ({ ...request })),
            pages: stream?.pages ?? 0,
            records: stream?.records ?? 0,
            samples: stream?.samples ?? [],
            failureCount: summary?.failureCount ?? 0,
            failures: summary?.failures ?? [],
            pagination: stream?.pagination ?? { reachedEnd: false, stoppedBecause: 'error' as const },
            inferredSchema: stream?.inferredSchema ?? undefined,
            error: summary?.error,
            notes: stream?.notes ?? (report.auth.ok ? [] : ['Auth failed: the stream was not read.']),
            text: renderTestReport(report),
          }),
        );
      });
    },
  }),
  defineTool({
    name: 'get_test_report',
    title: 'Get a test report',
    description: 'Returns a stored test report by id (from test_connector, test_stream or list_test_reports): every stream with its requests, samples, failures, pagination and inferred schema, and the report as text.',
    group: 'testing',
    input: Type.Object({ id: Type.String({ pattern: '^[0-9A-Za-z_-]+$', maxLength: 200 }) }, { additionalProperties: false }),
    output: Type.Object({
      id: Type.String(),
      connector: Type.String(),
      connection: Type.Optional(Type.String()),
      verdict: Type.String(),
      createdAt: Type.String(),
      report: FreeObject(),
      text: Type.Optional(Type.String()),
    }),
    annotations: READ_ONLY,
    handler(args, { workspace }) {
      const stored = workspace.getReport(args.id);
      let text: string | undefined;
      try {
        text = renderTestReport(stored.report as unknown as TestReport);
      } catch {
        text = undefined;
      }
      return compact({ id: stored.id, connector: stored.connector, connection: stored.connection, verdict: stored.verdict, createdAt: stored.createdAt, report: stored.report, text });
    },
  }),
  defineTool({
    name: 'list_test_reports',
    title: 'List test reports',
    description: 'Lists stored test reports, newest first, optionally of one definition: id, definition, connection, verdict and time. get_test_report returns one in full.',
    group: 'testing',
    input: Type.Object(
      { connector: Type.Optional(DefinitionId), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'At most this many (default 50).' })) },
      { additionalProperties: false },
    ),
    output: Type.Object({
      reports: Type.Array(Type.Object({ id: Type.String(), connector: Type.String(), connection: Type.Optional(Type.String()), verdict: Type.String(), createdAt: Type.String() })),
    }),
    annotations: READ_ONLY,
    handler: (args, { workspace }) => ({
      reports: workspace
        .listReports(args.connector)
        .slice(0, args.limit ?? 50)
        .map((report) => defined({ id: report.id, connector: report.connector, connection: report.connection, verdict: report.verdict, createdAt: report.createdAt })),
    }),
  }),
];
