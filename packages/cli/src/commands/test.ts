// `pullpush test <definition>`: the engine's read-only test run against the live API — auth, each stream's pages,
// mapping and validation, pagination — as a report (text or JSON). Nothing but reads is ever sent.
import type { TestReport } from '@pullpush/engine';
import type { Command } from 'commander';
import { addJsonOption, addNetworkOptions, collect, examples, positiveInteger, type Context } from '../context.ts';
import { ExitCode, withFlagHint } from '../errors.ts';
import type { NetworkFlags } from '../inputs.ts';
import type { Output } from '../output.ts';

interface TestFlags extends NetworkFlags {
  config?: string;
  stream?: string[];
  maxRecords?: number;
  maxPages?: number;
  maxPartitions?: number;
  json?: boolean;
}

/** The engine's text report, with PASS/WARN/FAIL coloured on a terminal. */
function styledReport(out: Output, text: string): string {
  return text.replaceAll(/^(\s*)(PASS|WARN|FAIL)\b/gm, (_, indent: string, mark: string) => {
    const format = mark === 'PASS' ? 'green' : mark === 'WARN' ? 'yellow' : 'red';
    return `${indent}${out.style([format, 'bold'], mark)}`;
  });
}

/** The report with the command line's remedies added to the hints of its errors (the flags that allow what was refused). */
function withFlagHints(report: TestReport): TestReport {
  const fix = <E extends { code: string; hint?: string } | null>(error: E): E => {
    if (error === null) return error;
    const hint = withFlagHint(error.code, error.hint);
    return hint === undefined ? error : { ...error, hint };
  };
  return { ...report, auth: { ...report.auth, error: fix(report.auth.error) }, streams: report.streams.map((stream) => ({ ...stream, error: fix(stream.error) })) };
}

export function registerTest(program: Command, ctx: Context): void {
  const command = program
    .command('test')
    .summary('test a connector against the live API, read-only')
    .description(
      'Run the read-only test of a connector definition against the live API: does auth work, does each stream return data, ' +
        'do records map to valid canonical events, does the walk from page to page work (at least two pages of each stream, the first partitions of a partitioned one). ' +
        'The verdict is WARN where something could not be verified (no records, one page only, a check stream that answers without credentials). ' +
        'Only reads are sent (GET, HEAD; POST only to token, login and search endpoints).',
    )
    .argument('<definition>', 'the connector definition (JSON file)')
    .option('-c, --config <file>', 'the connection config (JSON file); PULLPUSH_<KEY> environment variables also work and win')
    .option('-s, --stream <name>', 'test only this stream (repeatable; default: every stream)', collect)
    .option('--max-records <n>', 'records to read per stream at most (default 100; the read still goes on to a second page)', positiveInteger)
    .option('--max-pages <n>', 'pages to read per partition at most (default 5)', positiveInteger)
    .option('--max-partitions <n>', 'partitions to read of a partitioned stream: the first ones (default 3)', positiveInteger);
  addNetworkOptions(command);
  addJsonOption(command, 'the test report')
    .addHelpText(
      'after',
      examples(
        ['pullpush test shop.json --config shop.config.json', 'test every stream'],
        ['PULLPUSH_API_KEY=… pullpush test shop.json --stream orders --max-records 50', 'one stream, the API key from the environment'],
        ['pullpush test shop.json -c shop.config.json --json > report.json', 'the report as JSON'],
      ) + '\nExit codes: 0 the verdict is PASS or WARN, 1 FAIL (or the test could not run), 130 interrupted.\n',
    )
    .action(async (file: string, flags: TestFlags) => {
      ctx.json = flags.json === true;
      const { configUpdater, explainConfigError, loadConfig, loadJsonDocument, networkOptions, renderTestReport, testConnector } = await import('../libraries/runtime.ts');
      const definition = loadJsonDocument(file);
      const loaded = loadConfig(definition, flags.config, ctx.env);
      let report: TestReport;
      try {
        report = await testConnector(definition, loaded.config, {
          ...networkOptions(flags),
          ...(flags.stream ? { streams: flags.stream } : {}),
          ...(flags.maxRecords === undefined ? {} : { maxRecords: flags.maxRecords }),
          ...(flags.maxPages === undefined ? {} : { maxPages: flags.maxPages }),
          ...(flags.maxPartitions === undefined ? {} : { maxPartitions: flags.maxPartitions }),
          signal: ctx.signal,
          onConfigUpdate: configUpdater(flags.config, loaded, ctx.out),
        });
      } catch (error) {
        throw explainConfigError(error, definition);
      }
      report = withFlagHints(report);
      if (flags.json) ctx.out.json(report);
      else ctx.out.out(styledReport(ctx.out, renderTestReport(report)));
      ctx.exitCode = ctx.signal.aborted ? ExitCode.Interrupted : report.verdict === 'fail' ? ExitCode.Failed : ExitCode.Ok;
    });
}
