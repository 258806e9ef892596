// `pullpush read <definition> <stream>`: a stream's records as JSON Lines on stdout — canonical CloudEvents, or the
// native records with --native — and the records that failed mapping or validation as JSON lines on stderr.
import type { ReadMessage } from '@pullpush/engine';
import type { Command } from 'commander';
import { addNetworkOptions, examples, positiveInteger, type Context } from '../context.ts';
import { ExitCode } from '../errors.ts';
import type { NetworkFlags } from '../inputs.ts';

interface ReadFlags extends NetworkFlags {
  config?: string;
  limit?: number;
  native?: boolean;
}

function isAbort(error: unknown): boolean {
  return (error as Error | null)?.name === 'AbortError';
}

export function registerRead(program: Command, ctx: Context): void {
  const command = program
    .command('read')
    .summary('print a stream as JSON Lines')
    .description(
      "Read one stream and print its records as JSON Lines on stdout: canonical events (CloudEvents 1.0 JSON), or the API's native records with --native. " +
        'Records that fail mapping or validation are printed on stderr as JSON lines ({"type":"failure", stream, remoteId, message, issues}).',
    )
    .argument('<definition>', 'the connector definition (JSON file)')
    .argument('<stream>', 'the stream to read')
    .option('-c, --config <file>', 'the connection config (JSON file); PULLPUSH_<KEY> environment variables also work and win')
    .option('-n, --limit <n>', 'stop after this many records', positiveInteger)
    .option('--native', 'print the native records as the API sent them, without mapping');
  addNetworkOptions(command).addHelpText(
    'after',
    examples(
      ['pullpush read shop.json orders -c shop.config.json --limit 10', 'the first ten orders as canonical events'],
      ["pullpush read shop.json orders -c shop.config.json | jq -r '.data.number'", 'one field of every order'],
      ['pullpush read shop.json orders -c shop.config.json --native --limit 1', 'one order as the API sends it'],
    ) + '\nExit codes: 0 every record was read, 1 the read failed, 3 some records failed mapping or validation, 130 interrupted.\n',
  );
  command.action(async (file: string, stream: string, flags: ReadFlags) => {
    const { compileConnector, configUpdater, explainConfigError, loadConfig, loadJsonDocument, networkOptions } = await import('../libraries/runtime.ts');
    const definition = loadJsonDocument(file);
    const loaded = loadConfig(definition, flags.config, ctx.env);
    const connector = await compileConnector(definition, loaded.config, { ...networkOptions(flags), onConfigUpdate: configUpdater(flags.config, loaded, ctx.out) }).catch((error: unknown) => {
      throw explainConfigError(error, definition);
    });
    let failed = 0;
    try {
      const options = { signal: ctx.signal, ...(flags.limit === undefined ? {} : { limits: { maxRecords: flags.limit } }) };
      const messages: AsyncGenerator<ReadMessage> = flags.native ? connector.readNative(stream, options) : connector.read(stream, options);
      for await (const message of messages) {
        if (message.type === 'record') await ctx.out.jsonLine(message.event);
        else if (message.type === 'raw') await ctx.out.jsonLine(message.record);
        else if (message.type === 'failure') {
          failed += 1;
          ctx.out.errLine(JSON.stringify({ type: 'failure', stream: message.stream, remoteId: message.remoteId, message: message.message, issues: message.issues }));
        }
      }
    } catch (error) {
      if (!(isAbort(error) || ctx.signal.aborted)) throw error;
    } finally {
      await connector.close();
    }
    ctx.exitCode = ctx.signal.aborted ? ExitCode.Interrupted : failed > 0 ? ExitCode.RecordsFailed : ExitCode.Ok;
  });
}
