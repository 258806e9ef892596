// `pullpush jobs` and `pullpush schedule`: the job queue in PostgreSQL that `pullpush worker` processes. `jobs add`
// queues a run of a flow now, `schedule add` on a cron schedule; `jobs list` shows what waits, runs, finished or
// failed, `jobs cancel` and `jobs retry` act on one. A queued run carries the flow and its definitions, never a
// connection's config: the workers read those themselves.
import type { Flow } from '@pullpush/schema';
import type { FlowQueue, JobInfo, JobState, QueueName } from '@pullpush/sync';
import type { Command } from 'commander';
import { addJsonOption, collect, examples, positiveInteger, type Context } from '../context.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { renderTable } from '../output.ts';

const STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
const QUEUE_NAMES = { flow: 'pullpush-flow', sync: 'pullpush-sync', deliver: 'pullpush-deliver' } as const;

interface QueueFlags {
  db: string;
  json?: boolean;
}

interface FlowFlags extends QueueFlags {
  definition: string[];
}

function addQueue(command: Command): Command {
  return command.requiredOption('--db <url>', 'the PostgreSQL database of the queue: postgres://user:password@host:5432/db[?schema=prefix]');
}

/** The flow document and the definitions it names (each connector it names must be among them). */
async function flowWithDefinitions(file: string, flags: FlowFlags): Promise<{ flow: Flow; definitions: unknown[] }> {
  const { checkRunnable, loadFlowDocuments } = await import('../libraries/runtime.ts');
  const { flow, definitions, definitionOf } = loadFlowDocuments(file, flags.definition);
  definitionOf(flow.source?.connector);
  if (flow.destination?.kind === 'connector') definitionOf(flow.destination.connector);
  const given = [...definitions.values()].map((entry) => entry.definition);
  // A flow the workers would refuse is refused now: invalid, or paused.
  checkRunnable(flow, given);
  return { flow, definitions: given };
}

async function withQueue<T>(flags: QueueFlags, work: (queue: FlowQueue) => Promise<T>): Promise<T> {
  const { FlowQueue } = await import('../libraries/runtime.ts');
  const queue = await FlowQueue.open(flags.db);
  try {
    return await work(queue);
  } finally {
    await queue.close();
  }
}

function addFlowArguments(command: Command): Command {
  return addQueue(command.argument('<flow>', 'the flow document (JSON file)').requiredOption('-d, --definition <file>', "a connector definition the flow names (repeatable: the source's and the destination's)", collect));
}

function jobRow(job: JobInfo): string[] {
  return [job.id, job.queue.replace('pullpush-', ''), job.stream ? `${job.flow}/${job.stream}` : job.flow, job.state, String(job.retryCount), job.createdOn, job.completedOn ?? ''];
}

export function registerQueue(program: Command, ctx: Context): void {
  const jobs = program.command('jobs').summary('the job queue of pullpush worker: add, list, cancel, retry');

  const add = addFlowArguments(jobs.command('add').summary('queue a run of a flow, for the next free worker')).addHelpText(
    'after',
    examples(['pullpush jobs add shop-to-crm.json -d shop.json -d crm.json --db postgres://…', 'a run of the flow now; pullpush worker does it']),
  );
  addJsonOption(add, 'the job id').action(async (file: string, flags: FlowFlags) => {
    ctx.json = flags.json === true;
    const { flow, definitions } = await flowWithDefinitions(file, flags);
    const id = await withQueue(flags, (queue) => queue.enqueue(flow, definitions));
    if (flags.json) ctx.out.json({ id, flow: flow.id });
    else ctx.out.line(`Queued a run of flow ${flow.id} (job ${id}).`);
    ctx.exitCode = ExitCode.Ok;
  });

  const list = addQueue(jobs.command('list').summary('the jobs, newest first'))
    .option('--state <state>', `only jobs in this state: ${STATES.join(', ')}`)
    .option('--queue <queue>', `only jobs of this kind: ${Object.keys(QUEUE_NAMES).join(', ')}`)
    .option('--limit <n>', 'at most this many (default 50)', positiveInteger);
  addJsonOption(list, 'the jobs and the counts per queue').action(async (flags: QueueFlags & { state?: string; queue?: string; limit?: number }) => {
    ctx.json = flags.json === true;
    if (flags.state !== undefined && !(STATES as readonly string[]).includes(flags.state)) throw new UsageError(`Unknown state "${flags.state}".`, `Use one of: ${STATES.join(', ')}.`);
    if (flags.queue !== undefined && !(flags.queue in QUEUE_NAMES)) throw new UsageError(`Unknown queue "${flags.queue}".`, `Use one of: ${Object.keys(QUEUE_NAMES).join(', ')}.`);
    const queueName: QueueName | undefined = flags.queue === undefined ? undefined : QUEUE_NAMES[flags.queue as keyof typeof QUEUE_NAMES];
    const { found, counts } = await withQueue(flags, async (queue) => ({
      found: await queue.jobs({ ...(queueName ? { queue: queueName } : {}), ...(flags.state ? { state: flags.state as JobState } : {}), limit: flags.limit ?? 50 }),
      counts: await queue.counts(),
    }));
    if (flags.json) ctx.out.json({ counts, jobs: found });
    else {
      ctx.out.line(counts.map((entry) => `${entry.queue.replace('pullpush-', '')}: ${entry.queued} waiting, ${entry.active} running`).join('; '));
      if (found.length === 0) ctx.out.line('No jobs.');
      else ctx.out.line(renderTable(['id', 'kind', 'flow', 'state', 'retries', 'created', 'finished'], found.map(jobRow)));
    }
    ctx.exitCode = ExitCode.Ok;
  });

  for (const [name, summary, verb] of [
    ['cancel', 'cancel a job that has not finished', 'Cancelled'],
    ['retry', 'run a failed or cancelled job again', 'Queued again'],
  ] as const) {
    const command = addQueue(jobs.command(name).summary(summary).argument('<id>', 'the job id (pullpush jobs list)'));
    addJsonOption(command, 'whether the job was affected').action(async (id: string, flags: QueueFlags) => {
      ctx.json = flags.json === true;
      const affected = await withQueue(flags, (queue) => (name === 'cancel' ? queue.cancel(id) : queue.retry(id)));
      if (flags.json) ctx.out.json({ id, affected });
      else ctx.out.line(affected ? `${verb}: job ${id}.` : `Job ${id} was left as it was (its state does not allow it).`);
      ctx.exitCode = ExitCode.Ok;
    });
  }

  const schedule = program.command('schedule').summary('run flows on a cron schedule (pullpush worker runs them)');
  const scheduleAdd = addFlowArguments(schedule.command('add').summary("run a flow on a schedule: its own, or a cron (replacing the flow's earlier one)"))
    .option('--cron <expression>', 'five cron fields, minute first: "*/15 * * * *" is every 15 minutes (default: the flow\'s own schedule, its "every" or "cron")')
    .option('--tz <zone>', 'the IANA time zone the schedule follows (default UTC)')
    .addHelpText('after', examples(['pullpush schedule add shop-to-crm.json -d shop.json -d crm.json --cron "*/15 * * * *" --db postgres://…', 'a run every 15 minutes']));
  addJsonOption(scheduleAdd, 'the schedule').action(async (file: string, flags: FlowFlags & { cron?: string; tz?: string }) => {
    ctx.json = flags.json === true;
    const { flow, definitions } = await flowWithDefinitions(file, flags);
    const expression = await withQueue(flags, (queue) => queue.schedule(flow, definitions, flags.cron, flags.tz));
    if (flags.json) ctx.out.json({ flow: flow.id, cron: expression, timezone: flags.tz ?? 'UTC' });
    else ctx.out.line(`Flow ${flow.id} runs on "${expression}" (${flags.tz ?? 'UTC'}); a pullpush worker does the runs. Change the flow? Add the schedule again.`);
    ctx.exitCode = ExitCode.Ok;
  });

  const scheduleList = addQueue(schedule.command('list').summary('the schedules'));
  addJsonOption(scheduleList, 'the schedules').action(async (flags: QueueFlags) => {
    ctx.json = flags.json === true;
    const found = await withQueue(flags, (queue) => queue.schedules());
    if (flags.json) ctx.out.json(found);
    else if (found.length === 0) ctx.out.line('No schedules.');
    else ctx.out.line(renderTable(['flow', 'cron', 'time zone', 'since'], found.map((entry) => [entry.flow, entry.cron, entry.timezone, entry.createdOn])));
    ctx.exitCode = ExitCode.Ok;
  });

  const scheduleRemove = addQueue(schedule.command('remove').summary("remove a flow's schedule").argument('<flow-id>', 'the flow id'));
  addJsonOption(scheduleRemove, 'whether there was one').action(async (flowId: string, flags: QueueFlags) => {
    ctx.json = flags.json === true;
    const removed = await withQueue(flags, (queue) => queue.unschedule(flowId));
    if (flags.json) ctx.out.json({ flow: flowId, removed });
    else ctx.out.line(removed ? `The schedule of flow ${flowId} is removed.` : `Flow ${flowId} had no schedule.`);
    ctx.exitCode = removed ? ExitCode.Ok : ExitCode.Failed;
  });
}
