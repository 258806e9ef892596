// The read-only test run an AI assistant (or a person) makes before publishing a connector: does auth work (and
// does the check prove it), does each stream return data, do records map to valid canonical events, does the walk
// from page to page work — at least two pages of each paginated stream, the first partitions of a partitioned one.
// Nothing but GET and HEAD is sent (and POST to search, token and login endpoints), with small limits; a verdict
// never passes what the test could not exercise.
import { PullPushError, type CanonicalEvent, type Issue } from '@pullpush/canonical';
import { definitionArtifact } from '@pullpush/schema';
import type { Observation } from './pagination/index.ts';
import type { EndReason } from './stream.ts';
import { compileConnector, type Connector, type ConnectorOptions } from './connector.ts';
import { inferSchema, type InferredSchema } from './infer-schema.ts';

export interface TestRunOptions extends Omit<ConnectorOptions, 'readOnly'> {
  /** Streams to test (default: all); the check stream is always tested first. */
  streams?: readonly string[];
  /** Records read per stream (default 100); the read still goes on to a second page. */
  maxRecords?: number;
  /** Pages read per partition (default 5); parent streams read for partitions are bounded too. */
  maxPages?: number;
  /** Partitions read per partitioned stream: the first ones (default 3). */
  maxPartitions?: number;
  /** Canonical events (or native records) kept as samples per stream (default 3). */
  samples?: number;
  signal?: AbortSignal;
  /** Called with each stream's report as soon as it is done (progress). */
  onStream?: (report: StreamReport) => void | Promise<void>;
}

export type Verdict = 'pass' | 'warn' | 'fail';

export interface ReportedError {
  code: string;
  message: string;
  hint?: string;
}

/** Records that failed the same way: the same issue (pointer and message) or, without issues, the same message. */
export interface FailureGroup {
  pointer: string;
  message: string;
  /** How many records failed this way. */
  records: number;
  /** The first few of them. */
  remoteIds: string[];
}

export interface RequestLine {
  method: string;
  url: string;
  status: number;
  elapsedMs: number;
  attempts: number;
  records: number;
  /** The request was answered with an error (the last attempt's status). */
  failed: boolean;
}

export interface StreamReport {
  stream: string;
  canonical: string | null;
  verdict: Verdict;
  requests: RequestLine[];
  pages: number;
  partitions: number;
  records: number;
  failedRecords: number;
  failures: FailureGroup[];
  samples: unknown[];
  pagination: {
    reachedEnd: boolean;
    stoppedBecause: EndReason | 'partition-limit' | 'error' | 'no-pages';
    /** Whether the test saw the walk from one page to the next (false: it could not, and the verdict says so). */
    exercised: boolean;
    /** The server sent fewer records per page than asked for (it clamps), and the read followed it. */
    clampedPageSize?: { requested: number; received: number };
  };
  inferredSchema: InferredSchema | null;
  error: ReportedError | null;
  notes: string[];
}

export interface TestReport {
  connector: string;
  definitionVersion: string;
  /** SRI sha512 of the definition's canonical JSON: which definition, exactly, was tested (a registry checks it). */
  integrity: string;
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  auth: {
    ok: boolean;
    error: ReportedError | null;
    /** The stream whose first page proves the credentials. */
    checkStream: string;
    /**
     * false: the check stream answered without credentials too, so it cannot prove they work (public data); null:
     * the definition has no credentials to prove.
     */
    provesCredentials: boolean | null;
  };
  streams: StreamReport[];
  requests: number;
}

const FAILURE_EXAMPLES = 5;
const MAX_FAILURE_GROUPS = 50;

function reported(error: unknown, redact: (text: string) => string): ReportedError {
  if (error instanceof PullPushError) return { code: error.code, message: redact(error.message), ...(error.hint ? { hint: redact(error.hint) } : {}) };
  return { code: 'ENGINE_UNEXPECTED', message: redact(error instanceof Error ? error.message : String(error)) };
}

function worst(verdicts: Verdict[]): Verdict {
  return verdicts.includes('fail') ? 'fail' : verdicts.includes('warn') ? 'warn' : 'pass';
}

/** Adds a failing record to its groups: one per distinct issue it has. */
function group(groups: Map<string, FailureGroup>, remoteId: string, message: string, issues: readonly Issue[]): void {
  const kinds = issues.length > 0 ? issues.map((issue) => ({ pointer: issue.pointer, message: issue.message })) : [{ pointer: '', message }];
  for (const kind of kinds) {
    const key = `${kind.pointer}\u0000${kind.message}`;
    let found = groups.get(key);
    if (!found) {
      if (groups.size >= MAX_FAILURE_GROUPS) continue;
      groups.set(key, (found = { ...kind, records: 0, remoteIds: [] }));
    }
    found.records += 1;
    if (found.remoteIds.length < FAILURE_EXAMPLES) found.remoteIds.push(remoteId);
  }
}

function observationNote(observation: Observation): string {
  switch (observation.kind) {
    case 'clampedPageSize':
      return `The server sent ${observation.received} records per page where ${observation.requested} were asked for (it clamps the page size); the read followed it. Ask for ${observation.received} to save requests.`;
    case 'totalChanged':
      return `The total changed from ${observation.from} to ${observation.to} during the read: records changed while paging.`;
    case 'refusedSpeculativePage':
      return `After a short page the API answered ${observation.status} to the next one, taken as the end. Declare the total or page count (pagination.total / totalPages) so the read knows where the end is.`;
  }
}

async function testStream(connector: Connector, stream: string, options: TestRunOptions): Promise<StreamReport> {
  const canonical = connector.canonicalType(stream);
  const report: StreamReport = {
    stream,
    canonical: canonical ? `${canonical.name}@${canonical.version}` : null,
    verdict: 'pass',
    requests: [],
    pages: 0,
    partitions: 0,
    records: 0,
    failedRecords: 0,
    failures: [],
    samples: [],
    pagination: { reachedEnd: false, stoppedBecause: 'no-pages', exercised: false },
    inferredSchema: null,
    error: null,
    notes: [],
  };
  const natives: unknown[] = [];
  const groups = new Map<string, FailureGroup>();
  const sampleSize = options.samples ?? 3;
  const limits = { maxRecords: options.maxRecords ?? 100, maxPages: options.maxPages ?? 5, minPages: 2, maxPartitions: options.maxPartitions ?? 3 };
  const paginated = connector.paginated(stream);
  const keepNative = (native: unknown) => {
    if (natives.length < 50) natives.push(native);
  };
  let mostPages = 0;
  let partitionsLimited = false;
  const ends: EndReason[] = [];
  try {
    for await (const message of connector.read(stream, { limits, withNative: true, ...(options.signal ? { signal: options.signal } : {}) })) {
      if (message.type === 'page') {
        report.pages += 1;
        report.requests.push({ method: message.method, url: message.url, status: message.status, elapsedMs: message.elapsedMs, attempts: message.attempts, records: message.records, failed: false });
      } else if (message.type === 'request-failed') {
        report.requests.push({ method: message.method, url: message.url, status: message.status, elapsedMs: message.elapsedMs, attempts: message.attempts, records: 0, failed: true });
      } else if (message.type === 'record' || message.type === 'raw') {
        report.records += 1;
        keepNative(message.type === 'record' ? message.native : message.record);
        if (report.samples.length < sampleSize) report.samples.push(message.type === 'record' ? (message.event as CanonicalEvent) : message.record);
      } else if (message.type === 'failure') {
        keepNative(message.native);
        report.failedRecords += 1;
        group(groups, message.remoteId, message.message, message.issues);
      } else if (message.type === 'end') {
        report.partitions += 1;
        mostPages = Math.max(mostPages, message.pages);
        ends.push(message.reason);
        for (const observation of message.observations) {
          if (observation.kind === 'clampedPageSize') report.pagination.clampedPageSize = { requested: observation.requested, received: observation.received };
          const note = observationNote(observation);
          if (!report.notes.includes(note)) report.notes.push(note);
        }
      } else if (message.type === 'partitions-limited') {
        partitionsLimited = true;
      }
    }
    const reason: EndReason | 'partition-limit' = partitionsLimited ? 'partition-limit' : (ends.find((end) => end !== 'exhausted') ?? 'exhausted');
    report.pagination = { ...report.pagination, reachedEnd: reason === 'exhausted', stoppedBecause: ends.length === 0 ? 'no-pages' : reason, exercised: !paginated || mostPages >= 2 };
  } catch (error) {
    report.error = reported(error, connector.redact);
    report.pagination = { ...report.pagination, reachedEnd: false, stoppedBecause: 'error', exercised: !paginated || mostPages >= 2 };
  }
  report.failures = [...groups.values()].sort((a, b) => b.records - a.records);
  report.inferredSchema = inferSchema(natives) ?? null;
  if (report.error || report.failedRecords > 0) report.verdict = 'fail';
  else if (report.records === 0) {
    report.verdict = 'warn';
    report.notes.push('The stream returned no records: nothing was mapped or validated. Test with an account that has data.');
  } else if (!report.pagination.exercised) {
    report.verdict = 'warn';
    report.notes.push(
      `Pagination not exercised: every record came in one page, so the walk to a second page was not tested. Test with an account that has more records than one page holds${options.maxPages === 1 ? ', and more than one page (maxPages)' : ''}.`,
    );
  } else if (!report.pagination.reachedEnd) {
    report.notes.push(`Stopped at the test limit (${report.pagination.stoppedBecause}) after ${report.pages} page(s), pagination working: a sync reads on to the end.`);
  }
  if (partitionsLimited) report.notes.push(`Read the first ${report.partitions} partition(s) only.`);
  return report;
}

/**
 * Whether the check stream refuses a request without credentials. An API that serves public data to anyone (or to
 * a wrong key) lets a check pass whatever the key: such a check proves nothing.
 */
async function checkProvesCredentials(definition: unknown, config: Record<string, unknown>, options: ConnectorOptions, signal: AbortSignal | undefined): Promise<boolean | null> {
  const auth = (definition as { auth?: { kind?: unknown } }).auth;
  if (auth?.kind === 'none') return null;
  const anonymous = await compileConnector({ ...(definition as object), auth: { kind: 'none' } }, config, { ...options, readOnly: true });
  try {
    await anonymous.check(signal);
    return false;
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return true;
  } finally {
    await anonymous.close();
  }
}

/** Runs the read-only test of a definition against the live API and returns a structured report. */
export async function testConnector(definition: unknown, config: Record<string, unknown>, options: TestRunOptions = {}): Promise<TestReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const { streams: only, maxRecords: _r, maxPages: _p, maxPartitions: _n, samples: _s, signal, onStream, ...connectorOptions } = options;
  const connector = await compileConnector(definition, config, { ...connectorOptions, readOnly: true });
  const version = String((definition as { version?: unknown }).version ?? '');
  try {
    const auth: TestReport['auth'] = { ok: true, error: null, checkStream: connector.checkStream, provesCredentials: null };
    try {
      await connector.check(signal);
      auth.provesCredentials = await checkProvesCredentials(definition, config, connectorOptions, signal);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      auth.ok = false;
      auth.error = reported(error, connector.redact);
    }
    const streams: StreamReport[] = [];
    const selected = only ?? connector.streams;
    // The check stream first: what proves the credentials is what a sync reads first.
    const order = [...selected].sort((a, b) => Number(b === connector.checkStream) - Number(a === connector.checkStream));
    if (auth.ok) {
      for (const stream of order) {
        if (signal?.aborted) break;
        const report = await testStream(connector, stream, options);
        streams.push(report);
        await onStream?.(report);
      }
    }
    const verdicts = streams.map((stream) => stream.verdict);
    if (auth.provesCredentials === false) verdicts.push('warn');
    return {
      connector: connector.id,
      definitionVersion: version,
      integrity: definitionArtifact(definition).integrity,
      startedAt,
      durationMs: Date.now() - started,
      verdict: auth.ok ? worst(verdicts) : 'fail',
      auth,
      streams,
      requests: connector.requestCount,
    };
  } finally {
    await connector.close();
  }
}

/** The report as text for people. */
export function renderTestReport(report: TestReport): string {
  const mark = (verdict: Verdict) => (verdict === 'pass' ? 'PASS' : verdict === 'warn' ? 'WARN' : 'FAIL');
  const lines = [`${mark(report.verdict)} ${report.connector} ${report.definitionVersion} — ${report.requests} requests in ${report.durationMs} ms`];
  const auth = report.auth;
  lines.push(`  auth: ${auth.ok ? `ok (check stream ${auth.checkStream})` : `failed — ${auth.error?.message ?? ''}${auth.error?.hint ? ` (${auth.error.hint})` : ''}`}`);
  if (auth.provesCredentials === false) {
    lines.push(`      note: the check stream ${auth.checkStream} answers without credentials too, so a passing check does not prove them: name a stream that needs them (the current user) in check.stream.`);
  }
  for (const stream of report.streams) {
    const pagination = stream.pagination.reachedEnd ? 'reached the end' : `stopped: ${stream.pagination.stoppedBecause}`;
    const partitions = stream.partitions > 1 ? `, ${stream.partitions} partitions` : '';
    lines.push(`  ${mark(stream.verdict)} ${stream.stream}${stream.canonical ? ` → ${stream.canonical}` : ' (raw)'}: ${stream.records} records, ${stream.pages} pages${partitions}, ${pagination}`);
    for (const request of stream.requests.slice(0, 5)) {
      lines.push(`      ${request.method} ${request.url} → ${request.status}${request.failed ? ' (failed)' : ''} (${request.elapsedMs} ms, ${request.records} records)`);
    }
    if (stream.requests.length > 5) lines.push(`      … ${stream.requests.length - 5} more requests`);
    const failed = stream.requests.filter((request, index) => request.failed && index >= 5);
    for (const request of failed) lines.push(`      ${request.method} ${request.url} → ${request.status} (failed)`);
    if (stream.failedRecords > 0) lines.push(`      ${stream.failedRecords} record(s) failed:`);
    for (const failure of stream.failures.slice(0, 10)) {
      lines.push(`        ${failure.records} × ${failure.pointer || '/'}: ${failure.message} (e.g. record ${failure.remoteIds.join(', ')})`);
    }
    if (stream.failures.length > 10) lines.push(`        … ${stream.failures.length - 10} more kinds of failure`);
    if (stream.error) lines.push(`      error ${stream.error.code}: ${stream.error.message}${stream.error.hint ? ` — ${stream.error.hint}` : ''}`);
    for (const note of stream.notes) lines.push(`      note: ${note}`);
  }
  return `${lines.join('\n')}\n`;
}
