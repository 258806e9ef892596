// `pullpush demo`: from API docs to live sync in one command, with no account anywhere and no hand-written
// definition. A local shop API (@pullpush/testkit) starts in-process and publishes its OpenAPI description;
// discovery reads it and drafts a connector (written beside the database), the read-only test proves the draft
// against the API, and a sync reads the shop into a SQLite file with progress bars. Each step prints what it found.
// Run it again and it is incremental: a few orders change at the "source" in between, and only what changed is read.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiModel, Draft } from '@pullpush/discovery';
import type { TestReport } from '@pullpush/engine';
import type { SqliteStore } from '@pullpush/sync';
import type { TestApi } from '@pullpush/testkit';
import type { Command } from 'commander';
import { addJsonOption, examples, positiveInteger, type Context } from '../context.ts';
import { formatDuration, plural, type Output } from '../output.ts';
import { ExitCode } from '../errors.ts';
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

/** connector files beside the database: ./pullpush-demo.db → ./pullpush-demo.connector.json */
export function demoConnectorPath(db: string): string {
  return `${db.replace(/\.(db|sqlite3?)$/i, '')}.connector.json`;
}

function printDiscovery(out: Output, model: ApiModel): void {
  const auth = model.authSchemes.map((scheme) => `${scheme.kind} (${scheme.name})`).join(', ') || 'none';
  const [first] = model.listOperations;
  out.line(`${out.style('bold', '2. Discover')} ${model.title} ${model.version ?? ''} (${model.format}): ${plural(model.operations.list, 'list operation')}, auth ${auth}.`);
  if (first) {
    out.line(`   Pagination of GET ${first.path}: ${first.pagination.spec.kind} (confidence ${first.pagination.confidence}) — ${first.pagination.evidence.map((entry) => entry.says).join('; ')}.`);
    const incremental = first.incremental.find((candidate) => candidate.param);
    if (incremental?.param) out.line(`   Incremental: ${incremental.cursorField} through ${incremental.param.in} parameter ${incremental.param.name}.`);
  }
}

function printDraft(out: Output, draft: Draft, path: string): void {
  out.line(`${out.style('bold', '3. Draft')} ${plural(draft.report.streams.length, 'stream')} → ${path} (and its report, beside it):`);
  for (const stream of draft.report.streams) {
    const spec = draft.definition.streams[stream.name];
    const canonical = stream.choices.find((choice) => choice.pointer.endsWith('/canonical'));
    const mapped = Object.keys(spec?.mapping?.fields ?? {}).length;
    out.line(`   ${stream.name.padEnd(14)} GET ${stream.path} → ${canonical ? `${canonical.summary} (${mapped} fields mapped, confidence ${canonical.confidence})` : 'raw records'}`);
  }
}

function printTest(out: Output, report: TestReport): void {
  const mark = (verdict: string) => out.style([verdict === 'pass' ? 'green' : verdict === 'warn' ? 'yellow' : 'red', 'bold'], verdict.toUpperCase());
  out.line(`${out.style('bold', '4. Test')} read-only, against the API: ${mark(report.verdict)}${report.auth.provesCredentials ? ' (the credentials are proven)' : ''}`);
  for (const stream of report.streams) {
    out.line(`   ${stream.stream.padEnd(14)} ${mark(stream.verdict)} ${plural(stream.pages, 'page')}, ${plural(stream.records, 'record')}${stream.failedRecords > 0 ? `, ${stream.failedRecords} failed` : ''}`);
  }
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
    .summary('from API docs to a live sync of a local demo shop, end to end')
    .description(
      'Start a local shop API (@pullpush/testkit, in this process, on 127.0.0.1) that publishes its OpenAPI description; discover the API from it, draft a connector ' +
        '(written beside the database with its report), test the draft read-only against the API, and sync the locations, products, stock levels, customers and orders ' +
        'into a SQLite file, printing what each step found, then the summary and a query to try. No definition is written by hand. Run it again: the rerun is incremental and reads only what changed.',
    )
    .option('--db <file>', 'the SQLite file to sync into', './pullpush-demo.db')
    .option('--orders <n>', 'orders in the demo shop', positiveInteger, 5000);
  addJsonOption(command, 'the run summary')
    .addHelpText(
      'after',
      examples(
        ['pullpush demo', '5,000 orders into ./pullpush-demo.db; the drafted connector in ./pullpush-demo.connector.json'],
        ['pullpush demo --db /tmp/shop.db --orders 200', 'a smaller shop elsewhere'],
        ['npm run demo', 'the same, from a clone of the repository (no build needed)'],
      ) + '\nExit codes: 0 succeeded, 1 the draft failed its test or a stream failed, 3 some records failed and were kept, 130 interrupted.\n',
    )
    .action(async (flags: DemoFlags) => {
      ctx.json = flags.json === true;
      const { openSqliteStore, startTestApi, testConnector } = await import('../libraries/runtime.ts');
      const { discover, draftConnector } = await import('../libraries/discovery.ts');
      const out = ctx.out;
      const token = `demo_${randomBytes(16).toString('hex')}`;
      const counts = { orders: flags.orders, customers: Math.max(25, Math.round(flags.orders / 10)), products: 100 };
      if (!ctx.json) {
        out.line(`${out.style('bold', 'PullPush demo')}: from API docs to live sync, with no hand-written definition → ${flags.db}`);
      }
      const api = await startTestApi({ seed: 1, dataset: counts, auth: { kind: 'bearer', token } });
      const local = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;
      let store: SqliteStore | undefined;
      try {
        if (!ctx.json) {
          out.line(
            `${out.style('bold', '1. API')} a local shop (@pullpush/testkit) on ${api.url}: ${plural(api.data.locations.length, 'location')}, ${plural(api.data.products.length, 'product')}, ${plural(api.data.stock_levels.length, 'stock level')}, ${plural(api.data.customers.length, 'customer')}, ${plural(api.data.orders.length, 'order')}; its description is at ${api.url}/openapi.json.`,
          );
        }
        const model = await discover({ url: `${api.url}/openapi.json`, network: local, signal: ctx.signal });
        if (!ctx.json) printDiscovery(out, model);
        // The top-level lists: the per-customer and per-location lists hold the same records again.
        const draft = draftConnector(model, { streams: model.listOperations.filter((operation) => !operation.parent).map((operation) => operation.id) });
        const definitionPath = demoConnectorPath(flags.db);
        writeFileSync(definitionPath, `${JSON.stringify(draft.definition, null, 2)}\n`);
        writeFileSync(definitionPath.replace(/\.json$/, '.report.json'), `${JSON.stringify(draft.report, null, 2)}\n`);
        if (!ctx.json) printDraft(out, draft, definitionPath);
        const connector = draft.definition.id;
        const streams = Object.keys(draft.definition.streams);
        const config = { accessToken: token };
        // The description names the API by its local http address; definitions are https, so the run points there.
        const test = await testConnector(draft.definition, config, { ...local, baseUrl: api.url, signal: ctx.signal });
        if (!ctx.json) printTest(out, test);
        if (test.verdict === 'fail') {
          if (ctx.json) out.json({ db: resolve(flags.db), definition: resolve(definitionPath), test });
          else out.line(`The draft failed its test; nothing was synced. ${definitionPath} and its report say what was drafted.`);
          ctx.exitCode = ExitCode.Failed;
          return;
        }
        store = openSqliteStore(flags.db);
        const rerun = store.listStates({ connector, connection: CONNECTION }).length > 0;
        const changed = rerun ? simulateChanges(api, store, connector) : 0;
        if (!ctx.json) {
          out.line(
            `${out.style('bold', '5. Sync')} ${rerun ? `a rerun: the stored checkpoints make it incremental. ${plural(changed, 'order')} changed at the source since the last run; only changes are read.` : `into ${flags.db}, one table per canonical type.`}`,
          );
        }
        const summary = await syncWithProgress(ctx, {
          definition: draft.definition,
          config,
          destination: store,
          json: ctx.json,
          // Totals are known on a first run (the whole shop); a rerun reads an unknown number of changes.
          plans: streams.map((stream) => ({ stream, ...(rerun || !(stream in api.data) ? {} : { total: api.data[stream as keyof typeof api.data].length }) })),
          options: { connection: CONNECTION, streams, engine: { ...local, baseUrl: api.url } },
        });
        const path = resolve(flags.db);
        const query = demoQuery(flags.db);
        if (ctx.json) {
          out.json({ db: path, definition: resolve(definitionPath), rerun, changedOrders: changed, query, discovered: { title: model.title, format: model.format, listOperations: model.operations.list }, test: { verdict: test.verdict }, summary });
        } else {
          out.line();
          printSyncSummary(out, summary);
          out.line();
          out.line(`The records are in ${out.style('bold', path)}, one table per canonical type (commerce_order, commerce_product, …). Try:`);
          out.line(`  ${out.style('cyan', query)}`);
          out.line(`  pullpush state show --db ${shellQuote(flags.db)}`);
          out.line(`  pullpush validate ${shellQuote(definitionPath)}   # the drafted connector; its report says why each choice was made`);
          out.line(`Run the demo again: the rerun is incremental and reads only what changed (this run: ${formatDuration(summary.durationMs)}).`);
        }
        ctx.exitCode = syncExitCode(summary, ctx.signal);
      } finally {
        store?.close();
        await api.close();
      }
    });
}
