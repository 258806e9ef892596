// `pullpush canonical list|show`: the canonical data model — every type with its version and description, and
// one type's JSON Schema and key fields.
import type { Command } from 'commander';
import { addJsonOption, examples, type Context } from '../context.ts';
import { ExitCode } from '../errors.ts';
import { renderTable } from '../output.ts';

export function registerCanonical(program: Command, ctx: Context): void {
  const canonical = program
    .command('canonical')
    .summary('list and show the canonical types')
    .description('The canonical data model every connector maps to: types such as commerce.order@1, their JSON Schemas and key fields.')
    .addHelpText('after', examples(['pullpush canonical list', 'every type'], ['pullpush canonical show commerce.order', 'one type: key fields and JSON Schema']));

  const list = canonical.command('list').summary('list the canonical types').description('List the canonical types: name@version, title and description.');
  addJsonOption(list, 'the types')
    .addHelpText('after', examples(['pullpush canonical list', 'a table'], ['pullpush canonical list --json', '[{ type, name, version, title, description, key }]']))
    .action(async (flags: { json?: boolean }) => {
      ctx.json = flags.json === true;
      const { listCanonicalTypes, typeRef } = await import('../libraries/model.ts');
      const types = listCanonicalTypes();
      if (flags.json) {
        ctx.out.json(types.map((type) => ({ type: typeRef(type), name: type.name, version: type.version, title: type.title, description: type.description, key: type.key })));
      } else {
        const rows = types.map((type) => [typeRef(type), type.description]);
        ctx.out.out(renderTable(['type', 'description'], rows, { styleHeader: (text) => ctx.out.style('bold', text), styleCell: (text, _row, column) => (column === 0 ? ctx.out.style('cyan', text) : text) }));
      }
      ctx.exitCode = ExitCode.Ok;
    });

  const show = canonical
    .command('show')
    .summary("show a canonical type's key fields and JSON Schema")
    .description('Show a canonical type: title, description, the fields its key is made of, and its JSON Schema (draft 2020-12).')
    .argument('<type>', 'the type: commerce.order or commerce.order@1 (default: the latest version)');
  addJsonOption(show, 'the type')
    .addHelpText('after', examples(['pullpush canonical show commerce.order@1', 'key fields and schema'], ['pullpush canonical show crm.contact --json', '{ type, name, version, title, description, key, schema }']))
    .action(async (ref: string, flags: { json?: boolean }) => {
      ctx.json = flags.json === true;
      const { canonicalJsonSchema, getCanonicalType, typeRef } = await import('../libraries/model.ts');
      const type = getCanonicalType(ref);
      const schema = canonicalJsonSchema(type);
      if (flags.json) {
        ctx.out.json({ type: typeRef(type), name: type.name, version: type.version, title: type.title, description: type.description, key: type.key, schema });
      } else {
        ctx.out.line(`${ctx.out.style(['bold', 'cyan'], typeRef(type))} — ${type.title}`);
        ctx.out.line(type.description);
        ctx.out.line(`${ctx.out.style('bold', 'key:')} ${type.key.join(', ')}`);
        ctx.out.line(`${ctx.out.style('bold', 'JSON Schema')} (${schema.$id}):`);
        ctx.out.json(schema);
      }
      ctx.exitCode = ExitCode.Ok;
    });
}
