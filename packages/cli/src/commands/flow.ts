// `pullpush flow run <flow>`: a flow document run once — its source streams synced into the flow's store (SQLite or PostgreSQL)
// and, for a connector destination, what changed delivered through that connector's writes (outbox, retries,
// circuit breaker, dead-letter queue); in shadow mode, what it would write, writing nothing. `flow preview`,
// `reconcile` and `shadow` compare the source with the destination; `flow status` and `flow mode` read and set
// where a flow stands. `pullpush dlq` (dlq.ts) works on what could not be delivered.
import { copyFileSync, readFileSync } from 'node:fs';
import type { Flow } from '@pullpush/schema';
import type { DeliveryReport, FlowPreview, FlowRunSummary, FlowShadowRunSummary } from '@pullpush/sync';
import type { Command } from 'commander';
import { addJsonOption, collect, examples, fraction, positiveInteger, type Context } from '../context.ts';
import { CliError, CliErrorCode, ExitCode, UsageError } from '../errors.ts';
import type { Output } from '../output.ts';
import { printSyncSummary, syncExitCode } from './sync.ts';

const FLOW_MODES = ['live', 'shadow', 'paused'] as const;

interface FlowFlags {
  definition: string[];
  shadow?: boolean;
  limit?: number;
  config?: string[];
  db?: string;
  concurrency?: number;
  maxAttempts?: number;
  wait?: number;
  allowPrivateNetwork?: boolean;
  allowInsecureHttp?: boolean;
  json?: boolean;
}

/**
 * The flow document, and its source and destination as the sync library takes them (definition, the connection's
 * config, the engine's network options); `files` names the file each definition id came from (for --promote).
 */
async function flowInputs(file: string, flags: Pick<FlowFlags, 'definition' | 'config' | 'allowPrivateNetwork' | 'allowInsecureHttp'>, ctx: Context) {
  const { connectionConfigFiles, loadConfig, loadFlowDocuments, networkOptions } = await import('../libraries/runtime.ts');
  const { flow: document, definitions, definitionOf } = loadFlowDocuments(file, flags.definition);
  const files = new Map([...definitions].map(([id, entry]) => [id, entry.path] as const));
  const configs = connectionConfigFiles(flags.config);
  const engine = networkOptions(flags);
  const open = (connector: string | undefined, connection: string | undefined) => {
    const definition = definitionOf(connector);
    return { definition, config: loadConfig(definition, configs.get(String(connection)), ctx.env).config, engine };
  };
  const source = open(document.source?.connector, document.source?.connection);
  const target = document.destination?.kind === 'connector' ? open(document.destination.connector, document.destination.connection) : undefined;
  return { document, source, target, files };
}

/** What every flow command takes: the flow, its definitions and configs, the network flags; the flow's file and a limit where asked. */
function addFlowInputs(command: Command, options: { db?: string; limit?: boolean }): Command {
  command
    .argument('<flow>', 'the flow document (JSON file)')
    .requiredOption('-d, --definition <file>', "a connector definition the flow names (repeatable: the source's and the destination's)", collect)
    .option('-c, --config <connection=file>', 'the config of a connection the flow names (repeatable); PULLPUSH_<KEY> environment variables also work', collect);
  if (options.db) command.option('--db <file|url>', `${options.db} (default <flow id>.db), or a postgres:// URL`);
  if (options.limit) command.option('--limit <n>', 'records read per stream at most (default 10000)', positiveInteger);
  return command
    .option('--allow-private-network', 'allow private and loopback addresses (self-hosted and local APIs)')
    .option('--allow-insecure-http', 'allow plain http URLs (local APIs without TLS)');
}

/** The live definition file (-d) each candidate revises, by its id; checked before anything runs. */
function promotionTargets(files: ReadonlyMap<string, string>, candidates: ReadonlyArray<string | undefined>): Array<{ candidate: string; live: string }> {
  return candidates
    .filter((candidate): candidate is string => candidate !== undefined)
    .map((candidate) => {
      const id = String((JSON.parse(readFileSync(candidate, 'utf8')) as { id?: unknown } | null)?.id);
      const live = files.get(id);
      if (live === undefined) throw new UsageError(`The candidate ${candidate} has the id ${id}, which no --definition has: there is nothing for it to replace.`, 'A revision keeps the id of the definition it revises.');
      return { candidate, live };
    });
}

/** A preview's counts on one line, and the first updates with the fields they change. */
function printPreview(out: Output, preview: FlowPreview): void {
  const { counts } = preview;
  out.line(`${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.unchanged} unchanged, ${counts.skip} skipped${preview.truncated ? ' (only the first records were read: --limit)' : ''}; nothing was written.`);
  for (const item of preview.items.filter((entry) => entry.action === 'update').slice(0, 20)) {
    out.line(`  update ${item.key} (${item.remoteId}): ${(item.changes ?? []).map((change) => change.path).join(', ')}`);
  }
}

/** What a delivery did, on one line (flow run and flow reconcile). */
function deliveredLine(delivery: DeliveryReport): string {
  return (
    `Delivered ${delivery.delivered} (${delivery.created} created, ${delivery.updated} updated, ${delivery.deleted} deleted, ${delivery.skipped} skipped; ${delivery.coalesced} older versions coalesced), ` +
    `${delivery.retried} retried, ${delivery.deadLettered} to the dead-letter queue, ${delivery.pending} waiting; circuit breaker ${delivery.breaker}.`
  );
}

function printLiveRun(ctx: Context, summary: FlowRunSummary, db: string, flow: string): void {
  printSyncSummary(ctx.out, summary);
  const delivery = summary.delivery;
  if (!delivery) return;
  ctx.out.line(deliveredLine(delivery));
  if (delivery.deadLettered > 0) ctx.out.line(`See them with: pullpush dlq clusters --db ${db} --flow ${flow}`);
}

function runExitCode(summary: FlowRunSummary | FlowShadowRunSummary, signal: AbortSignal): ExitCode {
  if (summary.mode === 'shadow') return ExitCode.Ok;
  const synced = syncExitCode(summary, signal);
  if (synced !== ExitCode.Ok) return synced;
  return summary.delivery && (summary.delivery.deadLettered > 0 || summary.delivery.pending > 0) ? ExitCode.RecordsFailed : ExitCode.Ok;
}

export function registerFlow(program: Command, ctx: Context): void {
  const flow = program.command('flow').summary('run flows: a source into a destination');
  const run = addFlowInputs(flow.command('run'), { db: "the flow's store: its SQLite file", limit: true })
    .summary('run a flow once')
    .description(
      "Run a flow once: its source streams are synced into the flow's store (--db: a SQLite file, or a postgres:// URL) and, when its destination is a connector, every new, changed or deleted record is delivered through that connector's writes — " +
        'one write per key at a time, retried with backoff, behind a circuit breaker; what cannot be delivered goes to the dead-letter queue (pullpush dlq). A second run goes on where the first stopped. ' +
        "The flow's mode decides: live runs so; shadow (or --shadow) says what a run would write against the destination's current records, writing nothing and moving no checkpoint; paused refuses (pullpush flow mode).",
    )
    .option('--shadow', 'this once, say what the run would write and write nothing (--limit bounds the records read)')
    .option('--concurrency <n>', 'keys delivered in parallel (default 4)', positiveInteger)
    .option('--max-attempts <n>', 'attempts per record before the dead-letter queue (default 5)', positiveInteger)
    .option('--wait <seconds>', 'wait this long for retries that come due (default 0)', positiveInteger)
    .addHelpText('after', examples(['pullpush flow run shop-to-crm.json -d shop.json -d crm.json -c shop=shop.config.json -c crm=crm.config.json', "the shop's customers into the CRM"]));
  addJsonOption(run, 'the flow summary').action(async (file: string, flags: FlowFlags) => {
    ctx.json = flags.json === true;
    const { runFlow } = await import('../libraries/runtime.ts');
    const { document, source, target } = await flowInputs(file, flags, ctx);
    const summary = await runFlow(document, {
      definition: source.definition,
      config: source.config,
      engine: source.engine,
      signal: ctx.signal,
      ...(target ? { target } : {}),
      ...(flags.db ? { db: flags.db } : {}),
      ...(flags.shadow ? { mode: 'shadow' as const } : {}),
      ...(flags.limit ? { limit: flags.limit } : {}),
      delivery: {
        ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
        ...(flags.maxAttempts ? { maxAttempts: flags.maxAttempts } : {}),
        ...(flags.wait ? { maxWaitMs: flags.wait * 1000 } : {}),
      },
    });
    if (flags.json) ctx.out.json(summary);
    else if (summary.mode === 'shadow') {
      ctx.out.line(`Shadow run of flow ${document.id}:`);
      printPreview(ctx.out, summary.preview);
    } else printLiveRun(ctx, summary, flags.db ?? `${document.id}.db`, document.id);
    ctx.exitCode = runExitCode(summary, ctx.signal);
  });

  const reconcile = addFlowInputs(flow.command('reconcile'), { db: "the flow's store: its SQLite file", limit: true })
    .summary('bring a connector destination back in line with the source')
    .description(
      "Compare the flow's source with the destination's current records (both read-only), record the matches in the flow's id map (the new baseline), and deliver the differences: records the destination lacks are created, those that differ updated, those the source deleted deleted. " +
        'Delivery is the same as flow run (outbox, retries, circuit breaker, dead-letter queue).',
    );
  addJsonOption(reconcile, 'the reconcile report').action(async (file: string, flags: FlowFlags & { limit?: number }) => {
    ctx.json = flags.json === true;
    const { reconcileFlow } = await import('../libraries/runtime.ts');
    const { document, source, target } = await flowInputs(file, flags, ctx);
    if (!target) throw new UsageError(`Flow ${document.id} does not go to a connector: there is nothing to reconcile.`, 'pullpush sync --full reads a source again into SQLite or JSON Lines.');
    const report = await reconcileFlow({
      flow: document,
      source,
      target,
      db: flags.db ?? `${document.id}.db`,
      ...(flags.limit ? { limit: flags.limit } : {}),
      signal: ctx.signal,
    });
    if (flags.json) ctx.out.json(report);
    else {
      const { counts } = report.comparison;
      const { delivery } = report;
      ctx.out.line(`Compared: ${counts.create} missing, ${counts.update} different, ${counts.delete} deleted at the source, ${counts.unchanged} in line; ${report.matched} matches kept as the baseline.`);
      ctx.out.line(deliveredLine(delivery));
    }
    ctx.exitCode = report.delivery.deadLettered > 0 || report.delivery.pending > 0 ? ExitCode.RecordsFailed : ExitCode.Ok;
  });

  const shadow = addFlowInputs(flow.command('shadow'), { limit: true })
    .summary('compare what a new definition revision would write with what the live one writes, writing nothing')
    .description(
      "Run a candidate revision of the flow's source definition (--candidate) and/or destination definition (--candidate-destination) beside the live ones (-d), without writing: the source is read with each, each record's destination write is built but not sent, and the two are compared record by record. " +
        'Prints the share of records written identically (the confidence) and the fields that change. With --promote <share>, a candidate that reaches it replaces the live definition file (-d) it revises, and one that does not exits 1; without, exit 0 whatever the confidence.',
    )
    .option('--candidate <file>', 'the candidate revision of the source definition')
    .option('--candidate-destination <file>', 'the candidate revision of the destination definition')
    .option('--promote <share>', 'replace the live definition file with the candidate when at least this share of records is written identically (0 to 1)', fraction)
    .addHelpText('after', examples(['pullpush flow shadow shop-to-crm.json -d shop.json -d crm.json --candidate shop.v2.json --promote 0.99', 'use shop.v2.json when it writes 99 % of the records as shop.json does']));
  addJsonOption(shadow, 'the shadow report').action(async (file: string, flags: FlowFlags & { limit?: number; candidate?: string; candidateDestination?: string; promote?: number }) => {
    ctx.json = flags.json === true;
    const { loadJsonDocument, shadowFlow } = await import('../libraries/runtime.ts');
    const { document, source, target, files } = await flowInputs(file, flags, ctx);
    if (!target) throw new UsageError(`Flow ${document.id} does not go to a connector: there are no writes to compare.`);
    if (!flags.candidate && !flags.candidateDestination) throw new UsageError('Give the revision to try: --candidate <file> (source) or --candidate-destination <file>.');
    const targets = flags.promote === undefined ? [] : promotionTargets(files, [flags.candidate, flags.candidateDestination]);
    const report = await shadowFlow({
      flow: document,
      source,
      target,
      candidate: { ...(flags.candidate ? { source: loadJsonDocument(flags.candidate) } : {}), ...(flags.candidateDestination ? { target: loadJsonDocument(flags.candidateDestination) } : {}) },
      ...(flags.limit ? { limit: flags.limit } : {}),
      signal: ctx.signal,
    });
    const promoted = flags.promote !== undefined && report.confidence >= flags.promote ? targets : [];
    for (const { candidate, live } of promoted) copyFileSync(candidate, live);
    if (flags.json) ctx.out.json({ ...report, promoted });
    else {
      ctx.out.line(`${report.identical} of ${report.records} records would be written identically: confidence ${(report.confidence * 100).toFixed(1)} %; nothing was written.`);
      for (const difference of report.differences.slice(0, 20)) {
        const paths = difference.changes.map((change) => change.path).join(', ');
        ctx.out.line(`  ${difference.key}: ${paths || (difference.live === null ? 'only the candidate writes it' : difference.candidate === null ? 'only the live revision writes it' : 'a write could not be made')}`);
      }
      for (const { candidate, live } of promoted) ctx.out.line(`Promoted: ${candidate} now replaces ${live}.`);
      if (flags.promote !== undefined && promoted.length === 0) ctx.out.line(`Not promoted: the confidence is below ${(flags.promote * 100).toFixed(1)} %.`);
    }
    ctx.exitCode = flags.promote !== undefined && promoted.length === 0 ? ExitCode.Failed : ExitCode.Ok;
  });

  const preview = addFlowInputs(flow.command('preview'), { db: "the flow's store, for its id map: its SQLite file", limit: true })
    .summary('what a flow to a connector would write, writing nothing')
    .description(
      "Read the flow's source and the destination's current records (both read-only, no checkpoint moves) and say, per record, what a run would do: create, update (with the fields that change), delete, unchanged or skip. " +
        "Records are matched by the flow's id map (--db, after earlier runs) or by the flow's match fields.",
    );
  addJsonOption(preview, 'the preview').action(async (file: string, flags: FlowFlags & { limit?: number }) => {
    ctx.json = flags.json === true;
    const { previewFlow } = await import('../libraries/runtime.ts');
    const { document, source, target } = await flowInputs(file, flags, ctx);
    if (!target) throw new UsageError(`Flow ${document.id} does not go to a connector: there is nothing to preview.`, 'pullpush sync shows what a sync into SQLite or JSON Lines stores.');
    const result = await previewFlow({
      flow: document,
      source,
      target,
      db: flags.db ?? `${document.id}.db`,
      ...(flags.limit ? { limit: flags.limit } : {}),
      signal: ctx.signal,
    });
    if (flags.json) ctx.out.json(result);
    else printPreview(ctx.out, result);
    ctx.exitCode = ExitCode.Ok;
  });

  const status = flow
    .command('status')
    .summary('where a flow stands: its mode, outbox, dead letters, circuit breaker and latest runs')
    .description("Read the flow's store (--db: its SQLite file or a postgres:// URL) and say where the flow stands, without calling either API: its mode, what waits in the outbox (and how much of it may already have reached the destination), the dead-letter queue, the circuit breaker and the latest runs.")
    .argument('<flow>', 'the flow document (JSON file)')
    .option('--db <file|url>', "the flow's store: its SQLite file (default <flow id>.db) or a postgres:// URL");
  addJsonOption(status, 'the status').action(async (file: string, flags: { db?: string; json?: boolean }) => {
    ctx.json = flags.json === true;
    const { flowStatus, loadJsonDocument } = await import('../libraries/runtime.ts');
    const document = loadJsonDocument(file, 'flow') as Flow;
    const result = await flowStatus(document, flags.db ? { db: flags.db } : {});
    if (flags.json) ctx.out.json(result);
    else {
      ctx.out.line(`Flow ${result.flow}: ${result.mode}, to ${result.destination}.`);
      if (result.destination === 'connector') {
        const { outbox, deadLetters, breaker } = result;
        ctx.out.line(`Outbox: ${outbox.pending} waiting (${outbox.inDoubt} in doubt${outbox.nextDueAt ? `, next due ${outbox.nextDueAt}` : ''}), ${outbox.delivered} delivered, ${outbox.superseded} superseded; ${result.remoteIds} remote ids known.`);
        ctx.out.line(`Dead letters: ${deadLetters.open} in ${deadLetters.clusters} cluster(s), ${deadLetters.discarded} discarded. Circuit breaker: ${breaker.state}${breaker.since ? ` since ${breaker.since}` : ''}.`);
        for (const entry of result.runs) ctx.out.line(`  ${entry.startedAt}  ${entry.kind.padEnd(9)} ${entry.status.padEnd(9)} ${JSON.stringify(entry.summary)}`);
        if (result.runs.length === 0) ctx.out.line('No runs yet.');
      }
    }
    ctx.exitCode = ExitCode.Ok;
  });

  const mode = flow
    .command('mode')
    .summary('set a flow live, shadow or paused')
    .description('Set the mode in the flow document: live (runs read and write), shadow (runs say what they would write and write nothing; flows to a connector) or paused (runs are refused). The file is rewritten in place.')
    .argument('<flow>', 'the flow document (JSON file)')
    .argument('<mode>', FLOW_MODES.join(', '))
    .addHelpText('after', examples(['pullpush flow mode shop-to-crm.json paused', 'stop the flow during an incident at the destination']));
  addJsonOption(mode, 'the flow id with its old and new mode').action(async (file: string, wanted: string, flags: { json?: boolean }) => {
    ctx.json = flags.json === true;
    if (!(FLOW_MODES as readonly string[]).includes(wanted)) throw new UsageError(`Unknown mode "${wanted}".`, `Use one of: ${FLOW_MODES.join(', ')}.`);
    const { loadJsonDocument } = await import('../libraries/runtime.ts');
    const { validateFlowText } = await import('../libraries/model.ts');
    const { replaceJsonFile } = await import('../json-file.ts');
    const document = loadJsonDocument(file, 'flow') as Flow;
    const before = document.mode ?? 'live';
    const changed = { ...document, mode: wanted as NonNullable<Flow['mode']> };
    const problems = validateFlowText(JSON.stringify(changed)).errors;
    if (problems.length > 0) {
      throw new CliError(problems[0]?.code ?? CliErrorCode.Usage, `Flow ${document.id} cannot be ${wanted}: ${problems.map((problem) => `${problem.pointer} ${problem.message}`).join('; ')}.`, {
        ...(problems[0]?.hint ? { hint: problems[0].hint } : {}),
        issues: problems.map((problem) => ({ pointer: problem.pointer, message: problem.message, rule: problem.code })),
      });
    }
    try {
      replaceJsonFile(file, changed);
    } catch (error) {
      throw new CliError(CliErrorCode.File, `Cannot write the flow file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { hint: 'Make the file and its directory writable.' });
    }
    if (flags.json) ctx.out.json({ flow: document.id, before, mode: wanted });
    else ctx.out.line(`Flow ${document.id}: ${before} → ${wanted}.`);
    ctx.exitCode = ExitCode.Ok;
  });
}
