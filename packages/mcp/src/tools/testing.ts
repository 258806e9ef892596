// Testing tools: the engine's read-only test run of a definition against the live API (auth, each stream's
// records, mapping and validation failures with pointers, pagination), reported stream by stream as progress and
// stored in the workspace so it can be read again (get_test_report, pullpush://reports/{id}).
import { PullPushError } from '@pullpush/canonical';
import type { StreamReport, TestReport, Verdict } from '@pullpush/engine';
import { loadEngine } from '../libraries/load.ts';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import { defineTool, READ_ONLY, READS_REMOTE, type ToolAnnotations, type ToolContext } from '../tool.ts';
import { checkSource, defined, ErrorInfo, openSource, SourceFields, withRedaction, type OpenedSource, type SourceArgs } from './connections.ts';
import { compact, DefinitionId, FreeObject } from './schemas.ts';

type Json = Record<string, unknown>;

/** Sends only reads to the API, but stores a report in the workspace. */
const TESTS_REMOTE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

const VerdictSchema = Type.Enum(['pass', 'warn', 'fail'], {
  description:
    'pass: everything worked; warn: worked, but something could not be verified (no records, pagination not exercised, a check that answers without credentials); fail: auth, a request, or records failed.',
});
const FailureGroup = Type.Object(
  {
    pointer: Type.String({ description: 'JSON pointer into the canonical record ("" when the failure has no issue).' }),
    message: Type.String(),
    records: Type.Integer({ description: 'How many records failed this way.' }),
    remoteIds: Type.Array(Type.String(), { description: 'The first few of them.' }),
  },
  { description: 'Records that failed the same way.' },
);
const Pagination = Type.Object({
  reachedEnd: Type.Boolean(),
  stoppedBecause: Type.Enum(['exhausted', 'page-limit', 'record-limit', 'partition-limit', 'error', 'no-pages']),
  exercised: Type.Boolean({ description: 'Whether the test saw the walk from one page to the next.' }),
  clampedPageSize: Type.Optional(Type.Object({ requested: Type.Integer(), received: Type.Integer() }, { description: 'The server sent fewer records per page than asked for.' })),
});
const Auth = Type.Object({
  ok: Type.Boolean(),
  error: Type.Optional(ErrorInfo),
  checkStream: Type.String(),
  provesCredentials: Type.Union([Type.Boolean(), Type.Null()], { description: 'false: the check stream answers without credentials too, so it cannot prove them.' }),
});
const RequestLine = Type.Object({
  method: Type.String(),
  url: Type.String({ description: 'Secrets redacted.' }),
  status: Type.Integer(),
  elapsedMs: Type.Number(),
  attempts: Type.Integer(),
  records: Type.Integer(),
  failed: Type.Boolean(),
});

const StreamSummary = Type.Object({
  stream: Type.String(),
  canonical: Type.Union([Type.String(), Type.Null()]),
  verdict: VerdictSchema,
  requests: Type.Integer({ description: 'Pages requested.' }),
  pages: Type.Integer(),
  partitions: Type.Integer(),
  records: Type.Integer(),
  failedRecords: Type.Integer(),
  failures: Type.Array(FailureGroup, { description: 'Failing records grouped by pointer and message, most frequent first.' }),
  pagination: Pagination,
  error: Type.Optional(ErrorInfo),
  notes: Type.Array(Type.String()),
});

const Limits = {
  maxRecords: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Records read per stream (default 100).' })),
  maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, description: 'Pages read per partition (default 5); at least two are read when there are two.' })),
  maxPartitions: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Partitions read per partitioned stream: the first ones (default 3).' })),
};

function cancelled(): PullPushError {
  return new PullPushError(McpErrorCode.Cancelled, 'The test was cancelled.', { hint: 'Call the tool again to run it.' });
}

function auth(report: TestReport) {
  const { ok, checkStream, provesCredentials } = report.auth;
  return report.auth.error ? { ok, checkStream, provesCredentials, error: compact({ ...report.auth.error }) } : { ok, checkStream, provesCredentials };
}

function streamSummary(stream: StreamReport) {
  return compact<{
    stream: string;
    canonical: string | null;
    verdict: Verdict;
    requests: number;
    pages: number;
    partitions: number;
    records: number;
    failedRecords: number;
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
    partitions: stream.partitions,
    records: stream.records,
    failedRecords: stream.failedRecords,
    failures: stream.failures,
    pagination: stream.pagination,
    error: stream.error ? compact({ ...stream.error }) : undefined,
    notes: stream.notes,
  });
}

interface RunOptions {
  streams: readonly string[];
  maxRecords?: number | undefined;
  maxPages?: number | undefined;
  maxPartitions?: number | undefined;
  samples?: number | undefined;
}

/** The engine's test run, each finished stream reported as progress; the report is stored redacted. */
async function runTest(source: OpenedSource, options: RunOptions, { workspace, signal, progress }: ToolContext): Promise<{ id: string; report: TestReport }> {
  const total = options.streams.length;
  let done = 0;
  await progress(0, total, `testing ${total} stream(s) of ${source.definitionId}`);
  const { testConnector } = await loadEngine();
  const tested = await testConnector(
    source.definition,
    source.config,
    compact({
      ...source.engine,
      streams: options.streams,
      maxRecords: options.maxRecords,
      maxPages: options.maxPages,
      maxPartitions: options.maxPartitions,
      samples: options.samples,
      signal,
      onStream: async (stream: StreamReport) => {
        done += 1;
        await progress(done, total, `${stream.stream}: ${stream.verdict} — ${stream.records} records, ${stream.pages} pages, ${stream.failedRecords} failed`);
      },
    }),
  );
  if (signal.aborted) throw cancelled();
  const report = source.redact<TestReport>(tested);
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
      const source = await openSource(context.runtime, sourceArgs(args));
      return withRedaction(source, async () => {
        const streams = streamNames(source, args.streams);
        const { id, report } = await runTest(source, { streams, maxRecords: args.maxRecords, maxPages: args.maxPages, maxPartitions: args.maxPartitions }, context);
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
            text: (await loadEngine()).renderTestReport(report),
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
      const source = await openSource(runtime, sourceArgs(args));
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
      failedRecords: Type.Integer(),
      failures: Type.Array(FailureGroup, { description: 'Failing records grouped by pointer and message.' }),
      pagination: Pagination,
      inferredSchema: Type.Optional(Type.Unknown({ description: 'JSON Schema inferred from the native records.' })),
      error: Type.Optional(ErrorInfo),
      notes: Type.Array(Type.String()),
      text: Type.String(),
    }),
    annotations: TESTS_REMOTE,
    async handler(args, context) {
      const source = await openSource(context.runtime, sourceArgs(args));
      return withRedaction(source, async () => {
        const [name] = streamNames(source, [args.stream]);
        const { id, report } = await runTest(source, { streams: [name ?? args.stream], maxRecords: args.maxRecords, maxPages: args.maxPages, maxPartitions: args.maxPartitions, samples: args.samples ?? 5 }, context);
        const stream = report.streams.find((candidate) => candidate.stream === args.stream);
        const summary = stream ? streamSummary(stream) : undefined;
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
            failedRecords: summary?.failedRecords ?? 0,
            failures: summary?.failures ?? [],
            pagination: stream?.pagination ?? { reachedEnd: false, stoppedBecause: 'error' as const, exercised: false },
            inferredSchema: stream?.inferredSchema ?? undefined,
            error: summary?.error,
            notes: stream?.notes ?? (report.auth.ok ? [] : ['Auth failed: the stream was not read.']),
            text: (await loadEngine()).renderTestReport(report),
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
    input: Type.Object({ report: Type.String({ pattern: '^[0-9A-Za-z_-]+$', maxLength: 200, description: 'The report id (test_connector and list_test_reports give it).' }) }, { additionalProperties: false }),
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
    async handler(args, { workspace }) {
      const stored = workspace.getReport(args.report);
      let text: string | undefined;
      try {
        text = (await loadEngine()).renderTestReport(stored.report as unknown as TestReport);
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
      { definition: Type.Optional(DefinitionId), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'At most this many (default 50).' })) },
      { additionalProperties: false },
    ),
    output: Type.Object({
      reports: Type.Array(Type.Object({ id: Type.String(), connector: Type.String(), connection: Type.Optional(Type.String()), verdict: Type.String(), createdAt: Type.String() })),
    }),
    annotations: READ_ONLY,
    handler: (args, { workspace }) => ({
      reports: workspace
        .listReports(args.definition)
        .slice(0, args.limit ?? 50)
        .map((report) => defined({ id: report.id, connector: report.connector, connection: report.connection, verdict: report.verdict, createdAt: report.createdAt })),
    }),
  }),
];
