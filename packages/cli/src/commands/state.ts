// `pullpush state show|reset`: the stream checkpoints kept in a SQLite file or a PostgreSQL database — where each
// incremental stream resumes — and forgetting them so the next sync reads everything again.
import { existsSync } from 'node:fs';
import type { StreamState } from '@pullpush/engine';
import type { Destination, StateStore, StreamIdentity } from '@pullpush/sync';
import type { Command } from 'commander';
import { addJsonOption, examples, type Context } from '../context.ts';
import { CliError, CliErrorCode, ExitCode } from '../errors.ts';
import { plural, renderTable } from '../output.ts';

interface StateFlags {
  db: string;
  connector?: string;
  connection?: string;
  stream?: string;
  json?: boolean;
}

function filterOf(flags: StateFlags): Partial<StreamIdentity> {
  return {
    ...(flags.connector === undefined ? {} : { connector: flags.connector }),
    ...(flags.connection === undefined ? {} : { connection: flags.connection }),
    ...(flags.stream === undefined ? {} : { stream: flags.stream }),
  };
}

/**
 * Opens the store --db names: a PostgreSQL URL, or an existing SQLite file (a typo must not create an empty file
 * and report "no checkpoints"). `name` is what messages show: the file, or the server with its password masked.
 */
async function openExisting(db: string): Promise<{ store: StateStore & Pick<Destination, 'close'>; name: string }> {
  const { openDestination, openSqliteStore } = await import('../libraries/runtime.ts');
  if (/^postgres(ql)?:\/\//.test(db)) {
    const store = openDestination(db) as Destination & StateStore;
    return { store, name: store.description };
  }
  if (!existsSync(db)) {
    throw new CliError(CliErrorCode.NoDatabase, `There is no database at ${db}.`, { hint: 'Pass the SQLite file a sync wrote (--db <file>; default ./pullpush.db), or a postgres:// URL.' });
  }
  return { store: openSqliteStore(db), name: db };
}

/** The cursor of an unpartitioned stream, or a count of partitions. */
function cursorText(state: StreamState): string {
  const partitions = Object.entries(state.partitions ?? {});
  if (partitions.length === 0) return '-';
  if (partitions.length === 1 && partitions[0]?.[0] === '') return partitions[0][1].cursor ?? '-';
  const cursors = partitions.map(([, partition]) => partition.cursor).filter((cursor): cursor is string => cursor !== undefined);
  const latest = cursors.sort().at(-1);
  return `${plural(partitions.length, 'partition')}${latest ? `, latest ${latest}` : ''}`;
}

function addFilters(command: Command): Command {
  return command
    .option('--db <file|url>', 'the SQLite file of the syncs, or their PostgreSQL database (postgres://user@host/db?schema=name; password from PGPASSWORD)', './pullpush.db')
    .option('--connector <id>', 'only this connector')
    .option('--connection <id>', 'only this connection')
    .option('--stream <name>', 'only this stream');
}

export function registerState(program: Command, ctx: Context): void {
  const state = program
    .command('state')
    .summary('show or reset sync checkpoints')
    .description('Show or reset the stream checkpoints (incremental cursors) a sync keeps in its SQLite file or PostgreSQL database.')
    .addHelpText(
      'after',
      examples(['pullpush state show', 'every checkpoint in ./pullpush.db'], ['pullpush state reset --db shop.db --stream orders', 'the next sync reads every order again']),
    );

  const show = addFilters(state.command('show').summary('list the checkpoints').description('List the stream checkpoints: connector, connection, stream, cursor and when it was stored.'));
  addJsonOption(show, 'the checkpoints')
    .addHelpText('after', examples(['pullpush state show --db shop.db', 'a table'], ['pullpush state show --connector acme-shop --json', '[{ connector, connection, stream, state, updatedAt }]']))
    .action(async (flags: StateFlags) => {
      ctx.json = flags.json === true;
      const { store, name } = await openExisting(flags.db);
      try {
        const states = await store.listStates(filterOf(flags));
        if (flags.json) ctx.out.json(states);
        else if (states.length === 0) ctx.out.line(`No checkpoints in ${name}${Object.keys(filterOf(flags)).length > 0 ? ' match the filters' : ''}.`);
        else {
          const rows = states.map((entry) => [entry.connector, entry.connection, entry.stream, cursorText(entry.state), entry.updatedAt]);
          ctx.out.out(renderTable(['connector', 'connection', 'stream', 'cursor', 'stored at'], rows, { styleHeader: (text) => ctx.out.style('bold', text) }));
        }
      } finally {
        await store.close();
      }
      ctx.exitCode = ExitCode.Ok;
    });

  const reset = addFilters(
    state
      .command('reset')
      .summary('forget checkpoints: the next sync reads everything')
      .description('Forget the matching checkpoints (every one without filters): the next sync of those streams reads everything again. Records already synced stay.'),
  );
  addJsonOption(reset, 'how many checkpoints were reset')
    .addHelpText('after', examples(['pullpush state reset --db shop.db --stream orders', 'orders only'], ['pullpush state reset --connector acme-shop', 'every stream of one connector']))
    .action(async (flags: StateFlags) => {
      ctx.json = flags.json === true;
      const { store, name } = await openExisting(flags.db);
      let removed: number;
      try {
        removed = await store.resetState(filterOf(flags));
      } finally {
        await store.close();
      }
      if (flags.json) ctx.out.json({ db: name, reset: removed });
      else ctx.out.line(`Reset ${plural(removed, 'checkpoint')} in ${name}${removed > 0 ? ': the next sync of those streams reads everything.' : '.'}`);
      ctx.exitCode = ExitCode.Ok;
    });
}
