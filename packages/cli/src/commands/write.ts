// `pullpush write <definition> <type> <operation>`: canonical records written to a destination through its
// definition's writes, one per JSON line (canonical events as `pullpush read` prints them, or bare records), so
// `pullpush read source.json customers | pullpush write destination.json commerce.customer@1 create` copies them.
// Each result is a JSON line on stdout; each record that failed is a JSON line on stderr, and the others go on.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { WriteOperationName } from '@pullpush/engine';
import type { Command } from 'commander';
import { addNetworkOptions, examples, type Context } from '../context.ts';
import { CliErrorCode, ExitCode, UsageError } from '../errors.ts';
import type { NetworkFlags } from '../inputs.ts';

interface WriteFlags extends NetworkFlags {
  config?: string;
  records: string;
  remoteId?: string;
  find?: boolean;
}

const OPERATIONS: readonly WriteOperationName[] = ['create', 'update', 'upsert', 'delete'];

/** A line's record and its event id: a canonical event's data and id, or a bare record. */
function recordOf(line: unknown): { record: object; eventId?: string } {
  if (typeof line !== 'object' || line === null || Array.isArray(line)) throw new Error('each line must be a JSON object: a canonical event or a canonical record');
  const event = line as { specversion?: unknown; id?: unknown; data?: unknown };
  if (event.specversion === '1.0' && typeof event.data === 'object' && event.data !== null) return { record: event.data, ...(typeof event.id === 'string' ? { eventId: event.id } : {}) };
  return { record: line };
}

export function registerWrite(program: Command, ctx: Context): void {
  const command = program
    .command('write')
    .summary('write canonical records to a destination')
    .description(
      "Write canonical records to a destination through its definition's writes (create, update, upsert or delete), one per JSON line of --records (a file, or - for stdin): " +
        'canonical events as pullpush read prints them (their id is sent as the idempotency key), or bare canonical records. ' +
        'Each result is printed on stdout as a JSON line; each record that failed on stderr ({"type":"failure", line, sourceId, code, message}).',
    )
    .argument('<definition>', 'the destination connector definition (JSON file)')
    .argument('<type>', 'the canonical type and version (commerce.customer@1)')
    .argument('<operation>', OPERATIONS.join(', '))
    .requiredOption('--records <file>', 'JSON Lines of canonical events or records; - reads stdin')
    .option('-c, --config <file>', 'the connection config (JSON file); PULLPUSH_<KEY> environment variables also work and win')
    .option('--remote-id <id>', 'the remote id of the record to update or delete (one record)')
    .option('--find', "find each record's remote id with the definition's lookup (writes.match) first");
  addNetworkOptions(command).addHelpText(
    'after',
    examples(
      ['pullpush read shop.json customers -c shop.config.json | pullpush write crm.json commerce.customer@1 create --records - -c crm.config.json', "copy a shop's customers into a CRM"],
      ['pullpush write crm.json commerce.customer@1 update --records changed.jsonl --find -c crm.config.json', 'update records found by the lookup'],
    ) + '\nExit codes: 0 every record was written, 1 the command failed, 3 some records failed (the others were written), 130 interrupted.\n',
  );
  command.action(async (file: string, type: string, operation: string, flags: WriteFlags) => {
    if (!OPERATIONS.includes(operation as WriteOperationName)) throw new UsageError(`Unknown operation "${operation}".`, `Use one of ${OPERATIONS.join(', ')}.`);
    const { compileConnector, configUpdater, explainConfigError, loadConfig, loadJsonDocument, networkOptions } = await import('../libraries/runtime.ts');
    const definition = loadJsonDocument(file);
    const loaded = loadConfig(definition, flags.config, ctx.env);
    const connector = await compileConnector(definition, loaded.config, { ...networkOptions(flags), onConfigUpdate: configUpdater(flags.config, loaded, ctx.out) }).catch((error: unknown) => {
      throw explainConfigError(error, definition);
    });
    let failed = 0;
    let lineNumber = 0;
    try {
      const input = flags.records === '-' ? process.stdin : createReadStream(flags.records);
      for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
        lineNumber += 1;
        if (ctx.signal.aborted) break;
        if (line.trim() === '') continue;
        let sourceId: unknown;
        try {
          const { record, eventId } = recordOf(JSON.parse(line) as unknown);
          sourceId = (record as { remote?: { id?: unknown } }).remote?.id;
          const remoteId = flags.remoteId ?? (flags.find ? await connector.findRemoteId(type, record, ctx.signal) : undefined);
          const result = await connector.write(type, operation as WriteOperationName, record, {
            signal: ctx.signal,
            ...(remoteId === undefined ? {} : { remoteId }),
            ...(eventId === undefined ? {} : { idempotencyKey: eventId }),
          });
          await ctx.out.jsonLine(result);
        } catch (error) {
          if (ctx.signal.aborted) break;
          failed += 1;
          const { code, message } = error as { code?: string; message: string };
          ctx.out.errLine(JSON.stringify({ type: 'failure', line: lineNumber, ...(sourceId === undefined ? {} : { sourceId: String(sourceId) }), code: code ?? CliErrorCode.InvalidJson, message }));
        }
      }
    } finally {
      await connector.close();
    }
    ctx.exitCode = ctx.signal.aborted ? ExitCode.Interrupted : failed > 0 ? ExitCode.RecordsFailed : ExitCode.Ok;
  });
}
