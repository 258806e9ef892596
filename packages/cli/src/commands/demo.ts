// `pullpush demo`: the whole pipeline in one command and no account anywhere. A local shop API (@pullpush/testkit)
// starts in-process, the testkit shop connector syncs its locations, products, stock levels, customers and orders
// into a SQLite file with progress bars, and the summary says where the data is and how to query it. Run it again
// and it is incremental: a few orders change at the "source" in between, and only what changed is read.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { SqliteStore } from '@pullpush/sync';
import type { TestApi } from '@pullpush/testkit';
import type { Command } from 'commander';
import { addJsonOption, examples, positiveInteger, type Context } from '../context.ts';
import { formatDuration, plural } from '../output.ts';
import { printSyncSummary, syncExitCode, syncWithProgress } from './sync.ts';

interface DemoFlags {
  db: string;
  orders: number;
  json?: boolean;
}

const CONNECTION = 'demo';

function shellQuote(text: string): string {
  return /^[\w./@:-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** The SQL query the demo suggests, as a shell command. */
export function demoQuery(db: string): string {
  return `sqlite3 ${shellQuote(db)} "select json_extract(data,'$.number'), json_extract(data,'$.totals.total.amount'), json_extract(data,'$.currency') from commerce_order limit 5"`;
}

/**
 * A rerun: some orders change at the source since the last sync (stamped after the stored cursor, so they are
 * news to it). Returns how many.
 */
function simulateChanges(api: TestApi, store: SqliteStore, connector: string): number {
  const orders = api.data.orders;
  if (orders.length === 0) return 0;
  const cursor = store.getState({ connector, connection: CONNECTION, stream: 'orders' })?.partitions['']?.cursor;
  const after = cursor === undefined ? Number.NaN : Date.parse(cursor) + 1000;
  const at = new Date(Number.isNaN(after) ? Date.now() : Math.max(Date.now(), after));
  const changed = Math.min(25, Math.max(1, Math.round(orders.length / 200)));
  const stride = Math.max(1, Math.floor(orders.length / changed));
  const ids = Array.from({ length: changed }, (_, index) => orders[(index * stride) % orders.length]?.id).filter((id): id is number => id !== undefined);
  api.touch('orders', ids, at);
  return ids.length;
}

export function registerDemo(program: Command, ctx: Context): void {
  const command = program
    .command('demo')
    .summary('sync a local demo shop into SQLite, end to end')
    .description(
      'Start a local shop API (@pullpush/testkit, in this process, on 127.0.0.1) and sync its locations, products, stock levels, customers and orders ' +
        'into a SQLite file with the testkit shop connector, then print the summary and a query to try. Run it again: the rerun is incremental and reads only what changed.',
    )
    .option('--db <file>', 'the SQLite file to sync into', './pullpush-demo.db')
    .option('--orders <n>', 'orders in the demo shop', positiveInteger, 5000);
  addJsonOption(command, 'the run summary')
    .addHelpText(
      'after',
      examples(
        ['pullpush demo', '5,000 orders into ./pullpush-demo.db'],
        ['pullpush demo --db /tmp/shop.db --orders 200', 'a smaller shop elsewhere'],
        ['npm run demo', 'the same, from a clone of the repository (no build needed)'],
      ) + '\nExit codes: 0 succeeded, 1 a stream failed, 3 some records failed and were kept, 130 interrupted.\n',
    )
    .action(async (flags: DemoFlags) => {
      ctx.json = flags.json === true;
      const { openSqliteStore, SHOP_CONNECTOR_ID, SHOP_STREAMS, shopConnectorDefinition, startTestApi } = await import('../libraries/runtime.ts');
      const out = ctx.out;
      const token = `demo_${randomBytes(16).toString('hex')}`;
      const counts = { orders: flags.orders, customers: Math.max(25, Math.round(flags.orders / 10)), products: 100 };
      if (!ctx.json) {
        out.line(`${out.style('bold', 'PullPush demo')}: a local shop API (@pullpush/testkit) with ${counts.orders.toLocaleString('en-US')} orders → ${flags.db}`);
      }
      const api = await startTestApi({ seed: 1, dataset: counts, auth: { kind: 'bearer', token } });
      let store: SqliteStore | undefined;
      try {
        store = openSqliteStore(flags.db);
        const rerun = store.listStates({ connector: SHOP_CONNECTOR_ID, connection: CONNECTION }).length > 0;
        const changed = rerun ? simulateChanges(api, store, SHOP_CONNECTOR_ID) : 0;
        if (!ctx.json) {
          out.line(
            rerun
              ? `Rerun: the stored checkpoints make it incremental. ${plural(changed, 'order')} changed at the source since the last run; only changes are read.`
              : `Shop API on ${api.url}: ${plural(api.data.locations.length, 'location')}, ${plural(api.data.products.length, 'product')}, ${plural(api.data.stock_levels.length, 'stock level')}, ${plural(api.data.customers.length, 'customer')}, ${plural(api.data.orders.length, 'order')}.`,
          );
        }
        const summary = await syncWithProgress(ctx, {
          definition: shopConnectorDefinition({ baseUrl: api.url, pageSize: 100 }),
          config: { apiKey: token },
          destination: store,
          json: ctx.json,
          // Totals are known on a first run (the whole shop); a rerun reads an unknown number of changes.
          plans: SHOP_STREAMS.map((stream) => ({ stream, ...(rerun ? {} : { total: api.data[stream].length }) })),
          options: {
            connection: CONNECTION,
            streams: [...SHOP_STREAMS],
            engine: { allowPrivateNetwork: 'loopback', allowInsecureHttp: true },
          },
        });
        const path = resolve(flags.db);
        const query = demoQuery(flags.db);
        if (ctx.json) {
          out.json({ db: path, rerun, changedOrders: changed, query, summary });
        } else {
          out.line();
          printSyncSummary(out, summary);
          out.line();
          out.line(`The records are in ${out.style('bold', path)}, one table per canonical type (commerce_order, commerce_product, …). Try:`);
          out.line(`  ${out.style('cyan', query)}`);
          out.line(`  pullpush state show --db ${shellQuote(flags.db)}`);
          out.line(`Run the demo again: the rerun is incremental and reads only what changed (this run: ${formatDuration(summary.durationMs)}).`);
        }
        ctx.exitCode = syncExitCode(summary, ctx.signal);
      } finally {
        store?.close();
        await api.close();
      }
    });
}
