// `pullpush worker --db postgres://…`: a process that runs queued flow work (the syncs and deliveries that
// `pullpush jobs add` and `pullpush schedule add` queue) until it is stopped. Start as many as you like, on as many
// machines as reach the database: at most one sync per connection and stream and one delivery per flow run at a
// time across all of them, and a worker that dies leaves its job to another once its heartbeat stops. Ctrl-C or
// SIGTERM drains: no new job is taken, running ones finish (within --drain), and the worker exits 0.
import type { Command } from 'commander';
import { addJsonOption, collect, examples, positiveInteger, type Context } from '../context.ts';
import { ExitCode } from '../errors.ts';

interface WorkerFlags {
  db: string;
  config?: string[];
  concurrency?: number;
  heartbeat?: number;
  drain?: number;
  allowPrivateNetwork?: boolean;
  allowInsecureHttp?: boolean;
  json?: boolean;
}

export function registerWorker(program: Command, ctx: Context): void {
  const worker = program
    .command('worker')
    .summary('run queued flow work (syncs and deliveries) from a PostgreSQL queue')
    .description(
      'Take flow runs from the job queue in PostgreSQL (pullpush jobs add, pullpush schedule add) and do them: each stream synced into the flow\'s store in that database, then what changed delivered to its destination. ' +
        'Run several, on one machine or many: at most one sync per connection and stream and one delivery per flow run at a time across all workers; a worker that dies leaves its job to another when its heartbeat stops (--heartbeat). ' +
        'Connection configs come from --config files and PULLPUSH_<KEY> variables of this process: jobs never carry secrets. Ctrl-C or SIGTERM stops taking jobs, lets the running ones finish (--drain), and exits 0.',
    )
    .requiredOption('--db <url>', 'the PostgreSQL database of the queue and the flows\' stores: postgres://user:password@host:5432/db[?schema=prefix]')
    .option('-c, --config <connection=file>', 'the config of a connection the queued flows name (repeatable); PULLPUSH_<KEY> environment variables also work', collect)
    .option('--concurrency <n>', 'syncs, and deliveries, this worker runs at once (default 2)', positiveInteger)
    .option('--heartbeat <seconds>', 'how long a silent worker keeps its job before another takes it over (default 30, at least 10)', positiveInteger)
    .option('--drain <seconds>', 'how long a stop waits for running jobs (default 30)', positiveInteger)
    .option('--allow-private-network', 'allow private and loopback addresses (self-hosted and local APIs)')
    .option('--allow-insecure-http', 'allow plain http URLs (local APIs without TLS)')
    .addHelpText('after', examples(['pullpush worker --db "postgres://pullpush:$PGPASSWORD@db:5432/pullpush" -c shop=shop.config.json -c crm=crm.config.json', 'a worker for the flows from shop to crm']));
  addJsonOption(worker, 'one JSON line per job event').action(async (flags: WorkerFlags) => {
    ctx.json = flags.json === true;
    const { connectionConfigFiles, loadConfig, networkOptions, startWorker } = await import('../libraries/runtime.ts');
    const files = connectionConfigFiles(flags.config);
    const running = await startWorker({
      db: flags.db,
      configFor: (connection, definition) => loadConfig(definition, files.get(connection), ctx.env).config,
      engine: networkOptions(flags),
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
      ...(flags.heartbeat ? { heartbeatSeconds: flags.heartbeat } : {}),
      onEvent: (event) => {
        if (flags.json) ctx.out.line(JSON.stringify({ ...event, at: new Date().toISOString() }));
        else {
          const what = `${event.queue.replace('pullpush-', '')} ${event.flow}${event.stream ? `/${event.stream}` : ''}`;
          const detail = event.detail ? ` ${JSON.stringify(event.detail)}` : '';
          ctx.out.line(`${new Date().toISOString()}  ${event.kind.padEnd(8)} ${what} (job ${event.job})${detail}`);
        }
      },
    });
    if (!flags.json) ctx.out.errLine('Worker started; Ctrl-C or SIGTERM stops it after the running jobs.');
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await running.stop({ drainMs: (flags.drain ?? 30) * 1000 });
    if (!flags.json) ctx.out.errLine('Worker stopped.');
    ctx.exitCode = ExitCode.Ok;
  });
}
