// The read-only test run an AI assistant (or a person) makes before publishing a connector: does auth work,
// does each stream return data, do records map to valid canonical events, does pagination reach the end.
// Nothing but GET and HEAD is sent (and POST to search, token and login endpoints), with small limits.
import { PullPushError, type CanonicalEvent, type Issue } from '@pullpush/canonical';
import { compileConnector, type Connector, type ConnectorOptions } from './connector.ts';
import { inferSchema, type InferredSchema } from './infer-schema.ts';

export interface TestRunOptions extends Omit<ConnectorOptions, 'readOnly'> {
  /** Streams to test (default: all). */
  streams?: readonly string[];
  /** Records read per stream (default 100). */
  maxRecords?: number;
  /** Pages read per stream (default 5). */
  maxPages?: number;
  /** Canonical events (or native records) kept as samples per stream (default 3). */
  samples?: number;
  signal?: AbortSignal;
}

export type Verdict = 'pass' | 'warn' | 'fail';

export interface ReportedError {
  code: string;
  message: string;
  hint?: string;
}

export interface StreamReport {
  stream: string;
  canonical: string | null;
  verdict: Verdict;
  requests: Array<{ method: string; url: string; status: number; elapsedMs: number; attempts: number; records: number }>;
  pages: number;
  records: number;
  failures: Array<{ remoteId: string; message: string; issues: Issue[] }>;
  samples: unknown[];
  pagination: { reachedEnd: boolean; stoppedBecause: 'exhausted' | 'page-limit' | 'record-limit' | 'error' | 'no-pages' };
  inferredSchema: InferredSchema | null;
  error: ReportedError | null;
  notes: string[];
}

export interface TestReport {
  connector: string;
  definitionVersion: string;
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  auth: { ok: boolean; error: ReportedError | null };
  streams: StreamReport[];
  requests: number;
}

function reported(error: unknown, redact: (text: string) => string): ReportedError {
  if (error instanceof PullPushError) return { code: error.code, message: redact(error.message), ...(error.hint ? { hint: redact(error.hint) } : {}) };
  return { code: 'ENGINE_UNEXPECTED', message: redact(error instanceof Error ? error.message : String(error)) };
}

function worst(verdicts: Verdict[]): Verdict {
  return verdicts.includes('fail') ? 'fail' : verdicts.includes('warn') ? 'warn' : 'pass';
}

async function testStream(connector: Connector, stream: string, options: TestRunOptions): Promise<StreamReport> {
  const canonical = connector.canonicalType(stream);
  const report: StreamReport = {
    stream,
    canonical: canonical ? `${canonical.name}@${canonical.version}` : null,
    verdict: 'pass',
    requests: [],
    pages: 0,
    records: 0,
    failures: [],
    samples: [],
    pagination: { reachedEnd: false, stoppedBecause: 'no-pages' },
    inferredSchema: null,
    error: null,
    notes: [],
  };
  const natives: unknown[] = [];
  const sampleSize = options.samples ?? 3;
  const limits = { maxRecords: options.maxRecords ?? 100, maxPages: options.maxPages ?? 5 };
  const keepNative = (native: unknown) => {
    if (natives.length < 50) natives.push(native);
  };
  try {
    for await (const message of connector.read(stream, { limits, withNative: true, ...(options.signal ? { signal: options.signal } : {}) })) {
      if (message.type === 'page') {
        report.pages += 1;
        report.requests.push({ method: message.method, url: message.url, status: message.status, elapsedMs: message.elapsedMs, attempts: message.attempts, records: message.records });
      } else if (message.type === 'record' || message.type === 'raw') {
        report.records += 1;
        keepNative(message.type === 'record' ? message.native : message.record);
        if (report.samples.length < sampleSize) report.samples.push(message.type === 'record' ? (message.event as CanonicalEvent) : message.record);
      } else if (message.type === 'failure') {
        keepNative(message.native);
        report.failures.push({ remoteId: message.remoteId, message: message.message, issues: message.issues });
      } else if (message.type === 'end') {
        report.pagination = { reachedEnd: message.reason === 'exhausted', stoppedBecause: message.reason };
      }
    }
  } catch (error) {
    report.error = reported(error, connector.redact);
    report.pagination = { reachedEnd: false, stoppedBecause: 'error' };
  }
  report.inferredSchema = inferSchema(natives) ?? null;
  if (report.error || report.failures.length > 0) report.verdict = 'fail';
  else if (report.records === 0) {
    report.verdict = 'warn';
    report.notes.push('The stream returned no records: nothing was mapped or validated. Test with an account that has data.');
  } else if (!report.pagination.reachedEnd) {
    report.notes.push(`Stopped at the test limit (${report.pagination.stoppedBecause}); pagination worked for ${report.pages} page(s).`);
  }
  return report;
}

/** Runs the read-only test of a definition against the live API and returns a structured report. */
export async function testConnector(definition: unknown, config: Record<string, unknown>, options: TestRunOptions = {}): Promise<TestReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const { streams: only, maxRecords: _r, maxPages: _p, samples: _s, signal, ...connectorOptions } = options;
  const connector = await compileConnector(definition, config, { ...connectorOptions, readOnly: true });
  const version = String((definition as { version?: unknown }).version ?? '');
  try {
    let auth: TestReport['auth'];
    try {
      await connector.check(signal);
      auth = { ok: true, error: null };
    } catch (error) {
      auth = { ok: false, error: reported(error, connector.redact) };
    }
    const streams: StreamReport[] = [];
    if (auth.ok) for (const stream of only ?? connector.streams) streams.push(await testStream(connector, stream, options));
    return {
      connector: connector.id,
      definitionVersion: version,
      startedAt,
      durationMs: Date.now() - started,
      verdict: auth.ok ? worst(streams.map((stream) => stream.verdict)) : 'fail',
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
  lines.push(`  auth: ${report.auth.ok ? 'ok' : `failed — ${report.auth.error?.message ?? ''}${report.auth.error?.hint ? ` (${report.auth.error.hint})` : ''}`}`);
  for (const stream of report.streams) {
    lines.push(`  ${mark(stream.verdict)} ${stream.stream}${stream.canonical ? ` → ${stream.canonical}` : ' (raw)'}: ${stream.records} records, ${stream.pages} pages, ${stream.pagination.reachedEnd ? 'reached the end' : `stopped: ${stream.pagination.stoppedBecause}`}`);
    for (const request of stream.requests.slice(0, 5)) lines.push(`      ${request.method} ${request.url} → ${request.status} (${request.elapsedMs} ms, ${request.records} records)`);
    if (stream.requests.length > 5) lines.push(`      … ${stream.requests.length - 5} more requests`);
    for (const failure of stream.failures.slice(0, 5)) {
      lines.push(`      record ${failure.remoteId}: ${failure.message}`);
      for (const issue of failure.issues.slice(0, 5)) lines.push(`        ${issue.pointer || '/'}: ${issue.message}`);
    }
    if (stream.failures.length > 5) lines.push(`      … ${stream.failures.length - 5} more failing records`);
    if (stream.error) lines.push(`      error ${stream.error.code}: ${stream.error.message}${stream.error.hint ? ` — ${stream.error.hint}` : ''}`);
    for (const note of stream.notes) lines.push(`      note: ${note}`);
  }
  return `${lines.join('\n')}\n`;
}
