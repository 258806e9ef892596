// `pullpush draft <file|url>`: a connector definition drafted from an API description, with a report that gives
// each generated choice its confidence and the description element it rests on.
import type { Draft } from '@pullpush/discovery';
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { addJsonOption, collect, examples, positiveInteger, type Context } from '../context.ts';
import { CliError, CliErrorCode, ExitCode } from '../errors.ts';
import type { NetworkFlags } from '../inputs.ts';
import { plural, type Output } from '../output.ts';
import { addDescriptionNetworkOptions, descriptionSource } from './description-source.ts';

interface DraftFlags extends NetworkFlags {
  stream?: string[];
  maxStreams?: number;
  id?: string;
  output?: string;
  verify?: boolean;
  json?: boolean;
}

/** connector.json → connector.report.json */
export function reportPath(output: string): string {
  return output.endsWith('.json') ? `${output.slice(0, -'.json'.length)}.report.json` : `${output}.report.json`;
}

function write(path: string, value: unknown): void {
  try {
    writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  } catch (error) {
    throw new CliError(CliErrorCode.File, `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { hint: 'Check that the folder exists and is writable.' });
  }
}

function printSummary(out: Output, draft: Draft, written: string[]): void {
  const { definition, report } = draft;
  const print = (text = '') => out.errLine(text);
  print(`${out.style('bold', definition.name, 'stderr')}: ${plural(report.streams.length, 'stream')} drafted from ${report.source.origin} (${report.source.format})`);
  for (const stream of report.streams) {
    const pagination = stream.choices.find((choice) => choice.pointer.endsWith('/pagination'));
    print(`  ${out.style('bold', stream.name, 'stderr')}  GET ${stream.path} · pages ${pagination?.summary ?? 'none'} ${pagination?.confidence ?? ''} · ${stream.picked}`);
  }
  for (const choice of report.connection) print(`  ${choice.pointer}: ${choice.summary} (${choice.confidence})`);
  if (report.config.length > 0) print(`  a connection supplies: ${report.config.map((entry) => `${entry.key}${entry.secret ? ' (secret)' : ''}`).join(', ')}`);
  for (const item of report.review) print(`  ${out.style('yellow', 'review:', 'stderr')} ${item}`);
  for (const path of written) print(`${out.style('green', '✔', 'stderr')} wrote ${path}`);
  print(`Next: pullpush validate, then pullpush test with a connection config (pullpush mock serves this description locally to try it).`);
}

export function registerDraft(program: Command, ctx: Context): void {
  const command = program
    .command('draft')
    .summary('draft a connector definition from an API description')
    .description(
      'Draft a complete connector definition from an OpenAPI or Postman description: base URL, auth, and one raw stream per chosen list operation with its records path, key, pagination, incremental filter and parent partitions. ' +
        'Without --stream, the best operations are picked (ranked by confidence, known pagination and how few values a connection must supply). ' +
        'Beside the definition comes a report: for each choice its place in the definition, a confidence and the description element it rests on, plus what to review. Same description, same bytes.',
    )
    .argument('<file|url>', 'the description: a file path, or an https URL')
    .option('-s, --stream <operation>', 'draft this operation: its operationId, "GET /path", its path or the stream name (repeatable)', collect)
    .option('--max-streams <n>', 'how many operations to pick without --stream (default 5; parent streams come on top)', positiveInteger)
    .option('--id <id>', 'the connector id (default: from the title)')
    .option('-o, --output <file>', 'write the definition here and the report beside it (<name>.report.json); default: the definition on stdout')
    .option('--verify', "test the draft against the description's own mock API (read-only, on 127.0.0.1) and report the verdict");
  addDescriptionNetworkOptions(command);
  addJsonOption(command, '{ definition, report }')
    .addHelpText(
      'after',
      examples(
        ['pullpush draft openapi.yaml -o connector.json', 'connector.json and connector.report.json'],
        ['pullpush draft openapi.yaml --stream listInvoices --stream "GET /customers" -o billing.json', 'chosen operations'],
        ['pullpush draft openapi.yaml > connector.json', 'the definition on stdout, the summary on stderr'],
        ['pullpush draft openapi.yaml -o connector.json --verify', 'and test it against the mock API of the description'],
      ) + '\nExit codes: 0 drafted (and, with --verify, the test did not fail), 1 the description could not be read, holds no list operation, or the draft failed its test.\n',
    )
    .action(async (argument: string, flags: DraftFlags) => {
      ctx.json = flags.json === true;
      const { discover, draftConnector, verifyDraft } = await import('../libraries/discovery.ts');
      const model = await discover(descriptionSource(argument, flags, ctx.signal));
      const draft = draftConnector(model, {
        ...(flags.stream ? { streams: flags.stream } : {}),
        ...(flags.maxStreams === undefined ? {} : { maxStreams: flags.maxStreams }),
        ...(flags.id === undefined ? {} : { id: flags.id }),
      });
      const verification = flags.verify ? await verifyDraft(model, draft, { signal: ctx.signal }) : undefined;
      const written: string[] = [];
      if (flags.output) {
        write(flags.output, draft.definition);
        write(reportPath(flags.output), draft.report);
        written.push(flags.output, reportPath(flags.output));
      }
      if (flags.json) ctx.out.json(verification ? { ...draft, verification } : draft);
      else {
        if (!flags.output) ctx.out.line(JSON.stringify(draft.definition, null, 2));
        printSummary(ctx.out, draft, written);
        if (verification) {
          ctx.out.errLine(`Against the mock API: ${verification.verdict.toUpperCase()}`);
          for (const stream of verification.streams) ctx.out.errLine(`  ${stream.stream}: ${stream.verdict}, ${stream.pages} pages, ${stream.records} records${stream.failedRecords > 0 ? `, ${stream.failedRecords} failed` : ''}${stream.error ? ` — ${stream.error.message}` : ''}`);
        }
      }
      ctx.exitCode = verification?.verdict === 'fail' ? ExitCode.Failed : ExitCode.Ok;
    });
}
