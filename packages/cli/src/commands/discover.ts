// `pullpush discover <file|url>`: what an API description holds — servers, auth schemes, and every operation that
// lists records with its records path, pagination (with evidence and confidence), key, incremental and parent.
import type { ApiModel, ListOperation } from '@pullpush/discovery';
import type { Command } from 'commander';
import { addJsonOption, examples, type Context } from '../context.ts';
import { ExitCode } from '../errors.ts';
import type { NetworkFlags } from '../inputs.ts';
import { plural, type Output } from '../output.ts';
import { addDescriptionNetworkOptions, descriptionSource } from './description-source.ts';

interface DiscoverFlags extends NetworkFlags {
  json?: boolean;
  evidence?: boolean;
}

function operationLine(out: Output, operation: ListOperation, evidence: boolean): void {
  const pagination = `${operation.pagination.spec.kind} ${operation.pagination.confidence}`;
  const key = operation.primaryKey[0]?.field ?? '(no key)';
  const incremental = operation.incremental.find((candidate) => candidate.param);
  const extras = [
    `records ${operation.records.path ?? '(body)'}`,
    `key ${key}`,
    `pages ${pagination}`,
    ...(incremental?.param ? [`since ${incremental.cursorField} via ${incremental.param.name}`] : []),
    ...(operation.parent ? [`per ${operation.parent.field} of ${operation.parent.operation}`] : []),
  ];
  out.line(`  ${out.style('bold', `GET ${operation.path}`)}  ${out.style('dim', operation.id)}${operation.deprecated ? out.style('yellow', ' deprecated') : ''}`);
  out.line(`      ${extras.join(' · ')}`);
  if (evidence) for (const entry of operation.pagination.evidence) out.line(`      ${out.style('dim', `${entry.says} (${entry.pointer})`)}`);
}

function printModel(out: Output, model: ApiModel, evidence: boolean): void {
  out.line(`${out.style('bold', model.title)}${model.version ? ` ${model.version}` : ''} (${model.format}) from ${model.origin}`);
  for (const server of model.servers) out.line(`  server ${server.url}${server.variables.length > 0 ? ` (variables: ${server.variables.map((variable) => variable.name).join(', ')})` : ''}`);
  if (model.authSchemes.length === 0) out.line('  auth: none declared');
  for (const scheme of model.authSchemes) out.line(`  auth ${scheme.name}: ${scheme.kind}${scheme.in ? ` in ${scheme.in} ${scheme.paramName}` : ''}${scheme.scopes?.length ? `, ${plural(scheme.scopes.length, 'scope')}` : ''}`);
  out.line();
  out.line(`${plural(model.operations.list, 'list operation')} of ${model.operations.get} GET (${model.operations.total} operations in all):`);
  for (const operation of model.listOperations) operationLine(out, operation, evidence);
  if (model.rateLimits.length > 0) out.line(`\nrate limits: ${model.rateLimits.map((hint) => hint.says).join('; ')}`);
  if (model.skipped.length > 0) out.line(`\n${plural(model.skipped.length, 'thing')} skipped (--json lists them): ${model.skipped.slice(0, 3).map((entry) => entry.reason).join('; ')}${model.skipped.length > 3 ? '; …' : ''}`);
}

export function registerDiscover(program: Command, ctx: Context): void {
  const command = program
    .command('discover')
    .summary('find the list operations, auth and pagination of an API description')
    .description(
      'Read an OpenAPI 2.0/3.0/3.1 description (JSON or YAML) or a Postman v2.x collection, from a file or a URL, and list what a connector can read: ' +
        'servers, security schemes mapped to auth kinds, and every operation that returns a list of records, with where the records are, a key, the pagination style (with the evidence and a confidence from 0 to 1), incremental filters and parent lists. ' +
        'Deterministic: no model is involved. Nothing but the description URL (if one is given) is fetched.',
    )
    .argument('<file|url>', 'the description: a file path, or an https URL')
    .option('--evidence', 'print the evidence of each pagination guess');
  addDescriptionNetworkOptions(command);
  addJsonOption(command, 'the API model')
    .addHelpText(
      'after',
      examples(
        ['pullpush discover openapi.yaml', 'servers, auth and list operations'],
        ['pullpush discover https://api.example.com/openapi.json --evidence', 'from a URL, with the evidence of each pagination style'],
        ['pullpush discover openapi.yaml --json', 'the whole API model as JSON'],
      ) + '\nExit codes: 0 read, 1 the description could not be read.\n',
    )
    .action(async (argument: string, flags: DiscoverFlags) => {
      ctx.json = flags.json === true;
      const { discover } = await import('../libraries/discovery.ts');
      const model = await discover(descriptionSource(argument, flags, ctx.signal));
      if (flags.json) ctx.out.json(model);
      else printModel(ctx.out, model, flags.evidence === true);
      ctx.exitCode = ExitCode.Ok;
    });
}
