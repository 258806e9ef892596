// `pullpush sync <definition>`: a connector's streams into a SQLite file or JSON Lines, incrementally, with
// checkpoints committed together with the records. Progress bars on a terminal; the summary table (or the
// SyncSummary JSON) at the end. Ctrl-C stops the run after writing what was read, exit code 130.
import type { Destination, DestinationSpec, SqliteStore, StreamSummary, SyncOptions, SyncSummary } from '@pullpush/sync';
import { InvalidArgumentError, type Command } from 'commander';
import { addJsonOption, addNetworkOptions, collect, examples, type Context } from '../context.ts';
import { ExitCode, UsageError, withFlagHint } from '../errors.ts';
import type { NetworkFlags } from '../inputs.ts';
import { formatDuration, plural, renderTable, type Output } from '../output.ts';
import { progressMode, SyncProgressView, type StreamPlan } from '../progress.ts';

interface SyncFlags extends NetworkFlags {
  config?: string;
  to: string;
  stream?: string[];
  full?: boolean;
  connection?: string;
  state?: string;
  json?: boolean;
}

/** `sqlite:<file>`, `jsonl:<file>`, `jsonl:-` or a PostgreSQL URL, as @pullpush/sync's parseDestination reads them. */
function destinationArgument(value: string): string {
  if (!/^((sqlite|jsonl):.+|postgres(ql)?:\/\/.+)$/.test(value.trim())) {
    throw new InvalidArgumentError('expected sqlite:<file>, jsonl:<file>, jsonl:- (standard output) or postgres://user@host/database.');
  }
  return value;
}

/** The streams a sync will run: the ones asked for, else every stream (as runSync picks; raw ones included). */
export function plannedStreams(definition: unknown, only: readonly string[] | undefined): string[] {
  if (only && only.length > 0) return [...only];
  return Object.keys((definition as { streams?: Record<string, unknown> } | null)?.streams ?? {});
}

/** 0 succeeded, 3 some records failed (kept), 1 a stream failed, 130 interrupted. */
export function syncExitCode(summary: SyncSummary, signal: AbortSignal): ExitCode {
  if (signal.aborted || summary.status === 'cancelled') return ExitCode.Interrupted;
  if (summary.status === 'failed') return ExitCode.Failed;
  if (summary.status === 'partial' || summary.totals.failed > 0) return ExitCode.RecordsFailed;
  return ExitCode.Ok;
}

const count = (value: number) => value.toLocaleString('en-US');

function statusText(out: Output, stream: StreamSummary, target: 'stdout' | 'stderr'): string {
  if (stream.status === 'failed') return out.style('red', 'failed', target);
  if (stream.status === 'cancelled') return out.style('yellow', 'cancelled', target);
  return stream.failed > 0 ? out.style('yellow', 'partial', target) : out.style('green', 'ok', target);
}

/** Where failed records of a run went, for the summary. */
function failedRecordsPlace(destination: string): string {
  if (destination.startsWith('sqlite:')) return `the pullpush_failed_records table of ${destination.slice('sqlite:'.length)}`;
  if (destination.startsWith('postgres')) return `the pullpush_failed_records table of ${destination}`;
  if (destination === 'jsonl:-') return 'standard error';
  return `${destination.slice('jsonl:'.length)}.failures.jsonl`;
}

/** The summary as a table with totals, stream errors and a closing line. */
export function printSyncSummary(out: Output, summary: SyncSummary, target: 'stdout' | 'stderr' = 'stdout'): void {
  const write = (text: string) => (target === 'stdout' ? out.out(text) : out.err(text));
  const header = ['stream', 'type', 'pages', 'records', 'inserted', 'updated', 'unchanged', 'deleted', 'failed', 'time', 'status'];
  const numbers = (counts: Omit<SyncSummary['totals'], 'pages'> & { pages: number }) =>
    [counts.pages, counts.records, counts.inserted, counts.updated, counts.unchanged, counts.deleted, counts.failed].map(count);
  const rows = summary.streams.map((stream) => [stream.stream, stream.canonicalType || '(raw)', ...numbers(stream), formatDuration(stream.durationMs), statusText(out, stream, target)]);
  if (summary.streams.length > 1) rows.push(['total', '', ...numbers(summary.totals), formatDuration(summary.durationMs), '']);
  write(`${out.style('bold', `${summary.connector}`, target)} (connection ${summary.connection}) → ${summary.destination}  ${out.style('dim', `run ${summary.runId}`, target)}\n`);
  write(
    renderTable(header, rows, {
      align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      styleHeader: (text) => out.style('bold', text, target),
    }),
  );
  const problem = (label: string, error: NonNullable<SyncSummary['error']>) => {
    write(`${out.style('red', `${label}:`, target)} ${error.message} ${out.style('dim', `[${error.code}]`, target)}\n`);
    const hint = withFlagHint(error.code, error.hint);
    if (hint) write(`  ${out.style('cyan', 'hint:', target)} ${hint}\n`);
  };
  if (summary.error) problem('connection check failed, nothing was written', summary.error);
  for (const stream of summary.streams) {
    for (const note of stream.notes ?? []) write(`${out.style('dim', `${stream.stream}:`, target)} ${note}\n`);
    // A cancelled stream's error only says that its last request was aborted.
    if (stream.error && stream.status !== 'cancelled') problem(stream.stream, stream.error);
  }
  if (summary.totals.failed > 0) {
    write(`${out.style('yellow', `${plural(summary.totals.failed, 'record')} failed mapping or validation`, target)}: kept in ${failedRecordsPlace(summary.destination)}.\n`);
  }
  const verdict =
    summary.status === 'succeeded'
      ? out.style('green', 'Sync succeeded', target)
      : summary.status === 'partial'
        ? out.style('yellow', 'Sync completed with failed records', target)
        : summary.status === 'cancelled'
          ? out.style('yellow', 'Sync interrupted: what was read so far is committed; the next run continues from the last checkpoint', target)
          : out.style('red', 'Sync failed', target);
  write(`${verdict} in ${formatDuration(summary.durationMs)}.\n`);
}

export interface SyncRun {
  definition: unknown;
  config: Record<string, unknown>;
  destination: Destination;
  plans: StreamPlan[];
  json: boolean;
  options: Omit<SyncOptions, 'definition' | 'config' | 'destination' | 'onProgress' | 'signal'>;
}

/** runSync with progress on stderr and a note when Ctrl-C arrives. */
export async function syncWithProgress(ctx: Context, run: SyncRun): Promise<SyncSummary> {
  const { runSync } = await import('../libraries/runtime.ts');
  const progress = new SyncProgressView(ctx.out, progressMode(ctx.out, run.json), run.plans, ctx.signal);
  const onAbort = () => progress.log(ctx.out.style('yellow', 'Interrupted: writing what was read so far (Ctrl-C again quits at once)…', 'stderr'));
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await runSync({ ...run.options, definition: run.definition, config: run.config, destination: run.destination, signal: ctx.signal, onProgress: progress.update });
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    progress.stop();
  }
}

export function registerSync(program: Command, ctx: Context): void {
  const command = program
    .command('sync')
    .summary('sync streams into SQLite or JSON Lines')
    .description(
      "Sync a connector's streams into a destination as canonical records. Incremental: each stream resumes from its last checkpoint, which is committed " +
        'together with the records it covers, so an interrupted or crashed run loses nothing. Records that fail mapping or validation are kept (failed-records table), never dropped.',
    )
    .argument('<definition>', 'the connector definition (JSON file)')
    .option('-c, --config <file>', 'the connection config (JSON file); PULLPUSH_<KEY> environment variables also work and win; rotated refresh tokens are written back to it')
    .option(
      '-t, --to <destination>',
      'sqlite:<file>, jsonl:<file>, jsonl:- (standard output) or postgres://user@host:5432/database[?schema=name] (the password from PGPASSWORD or the URL)',
      destinationArgument,
      'sqlite:./pullpush.db',
    )
    .option('-s, --stream <name>', 'sync only this stream (repeatable; default: every stream; raw ones land as native records)', collect)
    .option('--full', 'ignore the checkpoints and read everything (new checkpoints are stored as usual)')
    .option('--connection <id>', 'the connection id recorded with every record and checkpoint', 'default')
    .option('--state <file>', 'for jsonl destinations: a SQLite file keeping the checkpoints (and the run log), for incremental runs');
  addNetworkOptions(command);
  addJsonOption(command, 'the run summary')
    .addHelpText(
      'after',
      examples(
        ['pullpush sync shop.json -c shop.config.json', 'every stream into ./pullpush.db'],
        ['pullpush sync shop.json -c shop.config.json --to sqlite:shop.db --stream orders', 'one stream into shop.db'],
        ['pullpush sync shop.json -c shop.config.json --to jsonl:- --state state.db | gzip > orders.jsonl.gz', 'events to stdout, checkpoints in state.db'],
        ['PGPASSWORD=… pullpush sync shop.json -c shop.config.json --to "postgres://sync@db.internal/analytics?schema=shop"', 'into PostgreSQL, a table per canonical type in schema shop'],
        ["sqlite3 pullpush.db \"select json_extract(data, '$.number') from commerce_order limit 5\"", 'look at the records'],
      ) + '\nExit codes: 0 succeeded, 1 a stream failed, 2 usage error, 3 some records failed and were kept, 130 interrupted (what was read is committed).\n',
    )
    .action(async (file: string, flags: SyncFlags) => {
      ctx.json = flags.json === true;
      const { configUpdater, explainConfigError, JsonlDestination, loadConfig, loadJsonDocument, networkOptions, openDestination, openSqliteStore, parseDestination } = await import('../libraries/runtime.ts');
      const spec: DestinationSpec = parseDestination(flags.to);
      if (flags.state !== undefined && spec.kind !== 'jsonl') {
        throw new UsageError(`--state is for jsonl destinations: a ${spec.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} destination keeps its checkpoints itself.`, 'Drop --state, or sync --to jsonl:<file> --state <file>.');
      }
      const definition = loadJsonDocument(file);
      const loaded = loadConfig(definition, flags.config, ctx.env);
      // With events on stdout, everything else goes to stderr.
      const eventsOnStdout = spec.kind === 'jsonl' && spec.path === '-';
      let stateStore: SqliteStore | undefined;
      let destination: Destination | undefined;
      try {
        if (flags.state !== undefined) stateStore = openSqliteStore(flags.state);
        destination =
          spec.kind === 'postgres'
            ? openDestination(spec)
            : spec.kind === 'sqlite'
              ? openSqliteStore(spec.path)
              : eventsOnStdout
                ? new JsonlDestination(ctx.out.stdoutWritable(), { failures: ctx.out.stderrWritable() })
                : new JsonlDestination(spec.path);
        const summary = await syncWithProgress(ctx, {
          definition,
          config: loaded.config,
          destination,
          json: ctx.json,
          plans: plannedStreams(definition, flags.stream).map((stream) => ({ stream })),
          options: {
            connection: flags.connection ?? 'default',
            ...(flags.stream ? { streams: flags.stream } : {}),
            ...(flags.full ? { full: true } : {}),
            // The state store is given to runSync only: it stores checkpoints after each JSON Lines batch.
            ...(stateStore ? { stateStore, runLog: stateStore } : {}),
            engine: { ...networkOptions(flags), onConfigUpdate: configUpdater(flags.config, loaded, ctx.out) },
          },
        }).catch((error: unknown) => {
          throw explainConfigError(error, definition);
        });
        const target = eventsOnStdout ? 'stderr' : 'stdout';
        if (ctx.json) ctx.out.json(summary, target);
        else printSyncSummary(ctx.out, summary, target);
        ctx.exitCode = syncExitCode(summary, ctx.signal);
      } finally {
        await destination?.close();
        stateStore?.close();
      }
    });
}

