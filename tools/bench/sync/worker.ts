// One measured sync in its own process: testkit's shop connector, orders only, into `sqlite` or `jsonl` (a
// fresh file each time). Prints records, milliseconds and peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlDestination, openSqliteStore, runSync } from '@pullpush/sync';
import { shopConnectorDefinition } from '@pullpush/testkit';

const [kind, url] = process.argv.slice(2) as ['sqlite' | 'jsonl', string];
const dir = mkdtempSync(join(tmpdir(), 'pullpush-bench-sync-'));
const destination = kind === 'sqlite' ? openSqliteStore(join(dir, 'bench.db')) : new JsonlDestination(join(dir, 'bench.jsonl'));
const started = performance.now();
const summary = await runSync({
  definition: shopConnectorDefinition({ baseUrl: url }),
  config: { apiKey: 'bench-token-0123456789' },
  destination,
  streams: ['orders'],
  engine: { allowPrivateNetwork: 'loopback', allowInsecureHttp: true },
});
const ms = performance.now() - started;
await destination.close();
rmSync(dir, { recursive: true, force: true });
if (summary.status !== 'succeeded') throw new Error(`sync ${summary.status}: ${JSON.stringify(summary.streams[0]?.error)}`);
process.stdout.write(`${JSON.stringify({ kind, records: summary.totals.records, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
