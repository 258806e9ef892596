// `pullpush mock <file|url>`: the mock API of a description on 127.0.0.1, serving seeded records with the
// pagination the description declares, asking for its credentials, refusing what it does not declare.
import type { Command } from 'commander';
import { examples, positiveInteger, type Context } from '../context.ts';
import { ExitCode } from '../errors.ts';
import type { NetworkFlags } from '../inputs.ts';
import { addDescriptionNetworkOptions, descriptionSource } from './description-source.ts';

interface MockFlags extends NetworkFlags {
  port?: number;
  records?: number;
  maxPageSize?: number;
}

export function registerMock(program: Command, ctx: Context): void {
  const command = program
    .command('mock')
    .summary('serve a mock API of an API description, to try a draft against')
    .description(
      'Start a local HTTP server on 127.0.0.1 that serves every list operation of the description with seeded records and the pagination the description declares (finite pages, consistent totals, page sizes clamped as real servers do). ' +
        'It asks for the credentials its security schemes declare (401 without them) and answers 404, 405 or 400 naming what the description does not declare: an unknown path, method or parameter. Runs until interrupted (Ctrl-C).',
    )
    .argument('<file|url>', 'the description: a file path, or an https URL')
    .option('--port <n>', 'the port (default: any free one)', positiveInteger)
    .option('--records <n>', 'records in each list (default 25)', positiveInteger)
    .option('--max-page-size <n>', 'most records a page holds, whatever is asked (default 10)', positiveInteger);
  addDescriptionNetworkOptions(command).addHelpText(
    'after',
    examples(
      ['pullpush mock openapi.yaml --port 4010', 'serve it; the connection values to use are printed'],
      ['pullpush test connector.json --config mock.config.json --base-url http://127.0.0.1:4010 --allow-private-network --allow-insecure-http', 'then test a draft against it'],
    ) + '\nExit codes: 0 stopped, 1 the description could not be read or the port is taken.\n',
  );
  command.action(async (argument: string, flags: MockFlags) => {
    const { discover, MOCK_CREDENTIALS, startMockApi } = await import('../libraries/discovery.ts');
    const model = await discover(descriptionSource(argument, flags, ctx.signal));
    const mock = await startMockApi(model, {
      ...(flags.port === undefined ? {} : { port: flags.port }),
      ...(flags.records === undefined ? {} : { records: flags.records }),
      ...(flags.maxPageSize === undefined ? {} : { maxPageSize: flags.maxPageSize }),
    });
    ctx.out.line(`Mock of ${model.title}: ${model.listOperations.length} list operations at ${mock.url}`);
    ctx.out.line(`Connection values it accepts (put the ones your draft asks for in its config file): ${JSON.stringify(MOCK_CREDENTIALS)}`);
    ctx.out.line('Ctrl-C stops it.');
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await mock.close();
    ctx.out.errLine(`Served ${mock.answered} requests.`);
    ctx.exitCode = ExitCode.Ok;
  });
}
