// `pullpush validate <file>`: a connector definition or a flow (told apart by its `dsl` field), checked against
// the DSL's schema and semantic rules; every error and warning with its code, JSON pointer, message and hint.
import type { Problem, ValidationResult } from '@pullpush/schema';
import type { Command } from 'commander';
import { addJsonOption, addNetworkOptions, collect, examples, type Context } from '../context.ts';
import type { NetworkFlags } from '../inputs.ts';
import { ExitCode } from '../errors.ts';
import { plural, type Output } from '../output.ts';

interface ValidateFlags extends NetworkFlags {
  definition?: string[];
  json?: boolean;
}

export type DocumentKind = 'definition' | 'flow';

/** A flow's `dsl` is `pullpush/flow/v1`; anything else is read as a connector definition. */
export function documentKind(value: unknown): DocumentKind {
  const dsl = (value as { dsl?: unknown } | null)?.dsl;
  return typeof dsl === 'string' && dsl.startsWith('pullpush/flow/') ? 'flow' : 'definition';
}

function printProblem(out: Output, problem: Problem): void {
  const label = problem.severity === 'error' ? out.style(['red', 'bold'], 'error  ') : out.style(['yellow', 'bold'], 'warning');
  out.line(`${label} ${out.style('bold', problem.code)} ${out.style('cyan', problem.pointer || '/')}`);
  out.line(`        ${problem.message}`);
  if (problem.hint) out.line(`        ${out.style('dim', 'hint:')} ${problem.hint}`);
  if (problem.suggestion) out.line(`        ${out.style('dim', 'suggestion:')} ${problem.suggestion}`);
}

function printResult(out: Output, file: string, kind: DocumentKind, id: unknown, result: ValidationResult): void {
  for (const problem of [...result.errors, ...result.warnings]) printProblem(out, problem);
  const what = kind === 'flow' ? 'flow' : 'connector definition';
  const name = typeof id === 'string' ? ` "${id}"` : '';
  if (result.ok) {
    const warnings = result.warnings.length > 0 ? ` (${plural(result.warnings.length, 'warning')})` : '';
    out.line(`${out.style('green', '✔')} ${file}: valid ${what}${name}${warnings}`);
  } else {
    out.line(`${out.style('red', '✖')} ${file}: invalid ${what}${name}: ${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')}`);
  }
}

export function registerValidate(program: Command, ctx: Context): void {
  const command = program
    .command('validate')
    .summary('check a connector definition or a flow')
    .description(
      'Check a connector definition or a flow (told apart by its "dsl" field) against the DSL schema and its semantic rules, without calling any API. ' +
        'Every problem is reported at once, with its code, JSON pointer, message, hint and suggestion; syntax errors and duplicate keys with their line and column.',
    )
    .argument('<file>', 'the JSON file to check')
    .option('--definition <file>', 'for a flow: the definition of its source connector, to check the streams it names (repeatable)', collect);
  // The network flags of test, read and sync, so one command line serves all four: with --allow-insecure-http an
  // http base URL is a warning, as those commands then accept it.
  addNetworkOptions(command, true);
  addJsonOption(command, 'the problems')
    .addHelpText(
      'after',
      examples(
        ['pullpush validate connector.json', 'check a connector definition'],
        ['pullpush validate flow.json --definition connector.json', 'check a flow and the streams it reads'],
        ['pullpush validate connector.json --json', '{ file, kind, ok, errors: [...], warnings: [...] }'],
        ['pullpush validate local.json --allow-insecure-http', 'a definition for a local API over plain http: a warning, not an error'],
      ) + '\nExit codes: 0 valid (warnings allowed), 1 invalid.\n',
    )
    .action(async (file: string, flags: ValidateFlags) => {
      ctx.json = flags.json === true;
      const { loadJsonDocument, parseDocumentText, readTextFile, validateDefinitionText, validateFlowText } = await import('../libraries/model.ts');
      const text = readTextFile(file, 'file');
      const parsed = parseDocumentText(text);
      const kind = documentKind(parsed.value);
      let result: ValidationResult;
      if (kind === 'flow') {
        const definitions: Record<string, unknown> = {};
        for (const path of flags.definition ?? []) {
          const definition = loadJsonDocument(path);
          const id = (definition as { id?: unknown } | null)?.id;
          if (typeof id === 'string') definitions[id] = definition;
        }
        result = validateFlowText(text, { definitions });
      } else {
        result = validateDefinitionText(text, { allowInsecureHttp: flags.allowInsecureHttp === true });
      }
      const id = (parsed.value as { id?: unknown } | null | undefined)?.id;
      if (flags.json) ctx.out.json({ file, kind, ...(typeof id === 'string' ? { id } : {}), ok: result.ok, errors: result.errors, warnings: result.warnings });
      else printResult(ctx.out, file, kind, id, result);
      ctx.exitCode = result.ok ? ExitCode.Ok : ExitCode.Failed;
    });
}
