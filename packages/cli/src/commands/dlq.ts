// `pullpush dlq list|show|clusters|retry|discard`: a flow's dead-letter queue — the records a connector destination
// refused or that ran out of attempts, with their payload (secrets redacted), the destination's answer and their
// attempt history. Clusters group them by cause; retry puts them back in the outbox with fresh counters (the next
// `pullpush flow run` delivers them); discard keeps them, marked, with a reason.
import type { Command } from 'commander';
import { addJsonOption, examples, type Context } from '../context.ts';
import { ExitCode, UsageError } from '../errors.ts';

interface DlqFlags {
  db: string;
  flow: string;
  json?: boolean;
}

interface SelectFlags extends DlqFlags {
  signature?: string;
  all?: boolean;
  reason?: string;
}

function addTarget(command: Command): Command {
  return command.requiredOption('--db <file|url>', "the flow's store: its SQLite file, or a postgres:// URL").requiredOption('--flow <id>', 'the flow id');
}

async function open(flags: DlqFlags) {
  const { openFlowOutbox } = await import('../libraries/runtime.ts');
  return openFlowOutbox(flags.db, flags.flow);
}

/** The letters an id list, --signature or --all names; one of them is required. */
async function selected(outbox: Awaited<ReturnType<typeof open>>, ids: readonly string[], flags: SelectFlags) {
  const chosen = [ids.length > 0, flags.signature !== undefined, flags.all === true].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('Name the dead letters: ids, --signature <signature> (a cluster), or --all.', 'pullpush dlq clusters shows the signatures.');
  const numbers = ids.map((id) => Number(id));
  if (numbers.some((id) => !Number.isSafeInteger(id))) throw new UsageError('Dead-letter ids are numbers (pullpush dlq list shows them).');
  return outbox.deadLetters(flags.all ? {} : flags.signature !== undefined ? { signature: flags.signature } : { ids: numbers });
}

export function registerDlq(program: Command, ctx: Context): void {
  const dlq = program.command('dlq').summary("a flow's dead-letter queue");

  const list = addTarget(dlq.command('list').summary('the dead letters, oldest first'));
  addJsonOption(list, 'the dead letters').action(async (flags: DlqFlags) => {
    ctx.json = flags.json === true;
    const outbox = await open(flags);
    try {
      const letters = await outbox.deadLetters();
      if (flags.json) ctx.out.json(letters);
      else if (letters.length === 0) ctx.out.line(`The dead-letter queue of flow ${flags.flow} is empty.`);
      else for (const letter of letters) ctx.out.line(`${letter.id}  ${letter.operation} ${letter.key}  ${letter.status ?? '-'} ${letter.code}  ${letter.message.slice(0, 160)}`);
    } finally {
      await outbox.close();
    }
    ctx.exitCode = ExitCode.Ok;
  });

  const show = addTarget(dlq.command('show').summary('one dead letter whole: payload, the destination\'s answer, every attempt').argument('<id>', 'dead-letter id'));
  addJsonOption(show, 'the dead letter').action(async (id: string, flags: DlqFlags) => {
    ctx.json = flags.json === true;
    if (!Number.isSafeInteger(Number(id))) throw new UsageError('Dead-letter ids are numbers (pullpush dlq list shows them).');
    const outbox = await open(flags);
    try {
      const [letter] = await outbox.deadLetters({ ids: [Number(id)], includeDiscarded: true });
      if (!letter) throw new UsageError(`No dead letter ${id} in flow ${flags.flow}.`, 'pullpush dlq list shows the ids.');
      if (flags.json) ctx.out.json(letter);
      else {
        ctx.out.line(`Dead letter ${letter.id}: ${letter.operation} of ${letter.key} (${letter.canonicalType}), ${letter.createdAt}${letter.discardedAt ? `; discarded ${letter.discardedAt}: ${letter.discardReason ?? ''}` : ''}`);
        ctx.out.line(`Answer: ${letter.status ?? 'none'} ${letter.code}: ${letter.message}`);
        if (letter.hint) ctx.out.line(`Hint: ${letter.hint}`);
        ctx.out.line('Attempts:');
        for (const attempt of letter.attempts) ctx.out.line(`  ${attempt.at}  ${attempt.operation}  ${attempt.outcome}  ${attempt.status ?? '-'} ${attempt.code ?? ''} ${attempt.message ?? ''}`.trimEnd());
        ctx.out.line(`Payload (secrets redacted): ${JSON.stringify(letter.payload, null, 2)}`);
      }
    } finally {
      await outbox.close();
    }
    ctx.exitCode = ExitCode.Ok;
  });

  const clusters = addTarget(dlq.command('clusters').summary('the dead letters grouped by cause, with a hint where the cause is known'));
  addJsonOption(clusters, 'the clusters').action(async (flags: DlqFlags) => {
    ctx.json = flags.json === true;
    const outbox = await open(flags);
    try {
      const groups = await outbox.clusters();
      if (flags.json) ctx.out.json(groups);
      else if (groups.length === 0) ctx.out.line(`The dead-letter queue of flow ${flags.flow} is empty.`);
      else
        for (const group of groups) {
          ctx.out.line(`${group.count} × ${group.operation} ${group.status ?? '-'} ${group.code}: ${group.message.slice(0, 160)}`);
          if (group.hint) ctx.out.line(`    ${group.hint}`);
          ctx.out.line(`    signature: ${group.signature}`);
        }
    } finally {
      await outbox.close();
    }
    ctx.exitCode = ExitCode.Ok;
  });

  const retry = addTarget(dlq.command('retry').summary('put dead letters back in the outbox with fresh counters').argument('[ids...]', 'dead-letter ids'))
    .option('--signature <signature>', 'every dead letter of this cluster')
    .option('--all', 'every dead letter')
    .addHelpText('after', examples(['pullpush dlq retry --db shop-to-crm.db --flow shop-to-crm --all && pullpush flow run shop-to-crm.json …', 'deliver them again once the cause is fixed']));
  addJsonOption(retry, 'how many were put back').action(async (ids: string[], flags: SelectFlags) => {
    ctx.json = flags.json === true;
    const outbox = await open(flags);
    try {
      const count = await outbox.retryDeadLetters(await selected(outbox, ids, flags));
      if (flags.json) ctx.out.json({ retried: count });
      else ctx.out.line(`${count} put back in the outbox of flow ${flags.flow}; the next pullpush flow run delivers them.`);
    } finally {
      await outbox.close();
    }
    ctx.exitCode = ExitCode.Ok;
  });

  const discard = addTarget(dlq.command('discard').summary('mark dead letters discarded, with a reason').argument('[ids...]', 'dead-letter ids'))
    .requiredOption('--reason <text>', 'why (kept with them)')
    .option('--signature <signature>', 'every dead letter of this cluster')
    .option('--all', 'every dead letter');
  addJsonOption(discard, 'how many were discarded').action(async (ids: string[], flags: SelectFlags) => {
    ctx.json = flags.json === true;
    const outbox = await open(flags);
    try {
      const count = await outbox.discardDeadLetters(await selected(outbox, ids, flags), flags.reason ?? '', new Date().toISOString());
      if (flags.json) ctx.out.json({ discarded: count });
      else ctx.out.line(`${count} discarded.`);
    } finally {
      await outbox.close();
    }
    ctx.exitCode = ExitCode.Ok;
  });
}
