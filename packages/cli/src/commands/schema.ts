// `pullpush schema [--flow]`: the DSL's JSON Schema (draft 2020-12), for editors and other tools.
import type { Command } from 'commander';
import { examples, type Context } from '../context.ts';
import { ExitCode } from '../errors.ts';

export function registerSchema(program: Command, ctx: Context): void {
  program
    .command('schema')
    .summary('print the JSON Schema of connector definitions (or flows)')
    .description(
      'Print the JSON Schema (draft 2020-12) of connector definitions, or of flows with --flow. Point an editor at it through "$schema" for completion and checks; ' +
        '`pullpush validate` also applies the semantic rules a schema cannot express.',
    )
    .option('--flow', 'the schema of flows instead of connector definitions')
    .addHelpText(
      'after',
      examples(['pullpush schema > connector-definition.v1.json', 'save the definition schema'], ['pullpush schema --flow', 'the flow schema']),
    )
    .action(async (flags: { flow?: boolean }) => {
      const { definitionJsonSchema, flowJsonSchema } = await import('../libraries/model.ts');
      ctx.out.json(flags.flow ? flowJsonSchema() : definitionJsonSchema());
      ctx.exitCode = ExitCode.Ok;
    });
}
