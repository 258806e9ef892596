// Registry latency over HTTP on 127.0.0.1 (a SQLite file in a temp dir): publish (validation, report check,
// signature, countersignature, one write transaction) and install (download, integrity, both signatures, files and
// lockfile written), p50 and p99 through @pullpush/registry-client; then search and the catalogue's search page over
// 10,000 published connectors. Every figure is also given as a ratio to the same run's baseline: a GET of the
// registry's keys through the same client (an HTTP round trip and one indexed read).
//   npm run bench:registry [-- --calls 200 --packages 10000]
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { install, RegistryClient } from '@pullpush/registry-client';
import { SqliteRegistryStore, startRegistry } from '@pullpush/registry-server';
import { definitionArtifact } from '@pullpush/schema';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { percentile } from './measure.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '200' }, packages: { type: 'string', default: '10000' }, json: { type: 'boolean' } } });
const calls = Number(values.calls);
const packages = Number(values.packages);
const dir = mkdtempSync(join(tmpdir(), 'pullpush-bench-registry-'));
const db = join(dir, 'registry.db');

// The search corpus, written straight into the store before the server starts: 10,000 connectors with varied
// words, canonical types, auth kinds and streams (publishing each over HTTP would only measure publish again).
const WORDS = ['shop', 'billing', 'tickets', 'crm', 'inventory', 'payroll', 'calendar', 'marketing', 'support', 'analytics', 'files', 'chat', 'invoices', 'orders', 'hr'];
const TYPES = ['commerce.order@1', 'commerce.product@1', 'commerce.customer@1', 'crm.contact@1', 'ticketing.ticket@1', 'finance.invoice@1'];
const AUTH = ['bearer', 'api_key', 'basic', 'oauth2'];
const shop = { ...(shopConnectorDefinition({ baseUrl: 'https://shop.example.com' }) as unknown as Record<string, unknown>), version: '1.0.0' };
const seedArtifact = definitionArtifact(shop);
{
  const store = new SqliteRegistryStore(db);
  store.createAccount('corpus');
  const started = performance.now();
  for (let index = 0; index < packages; index += 1) {
    const word = (offset: number) => WORDS[(index * 7 + offset) % WORDS.length] as string;
    store.publish(
      {
        name: `@corpus/${word(0)}-${index}`,
        version: '1.0.0',
        integrity: seedArtifact.integrity,
        artifact: seedArtifact.text,
        keyId: 'key_corpus',
        signature: '-',
        countersignature: '-',
        verification: { verdict: 'pass', streams: ['items'], testedAt: '2026-11-30T00:00:00.000Z' },
        owner: 'corpus',
        description: `Reads ${word(0)} and ${word(3)} records of service ${index} (${word(5)}).`,
        index: { canonicalTypes: [TYPES[index % TYPES.length] as string], authKind: AUTH[index % AUTH.length] as string, streams: [word(1), word(2)] },
      },
      '2026-11-30T00:00:00.000Z',
    );
  }
  console.error(`seeded ${packages} connectors in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  store.close();
}

const registry = await startRegistry({ db, rateLimits: false });
const { token } = await new RegistryClient({ url: registry.url }).createAccount('bench');
const client = new RegistryClient({ url: registry.url, token });
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const signer = { keyId: await client.addKey(publicKey.export({ type: 'spki', format: 'pem' }).toString()), privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };

/** A report of the shape the engine writes for a passing test of exactly this definition. */
function report(definition: Record<string, unknown>): Record<string, unknown> {
  const streams = Object.keys(definition['streams'] as object).map((stream) => ({ stream, verdict: 'pass' }));
  return { integrity: definitionArtifact(definition).integrity, verdict: 'pass', auth: { ok: true }, streams, startedAt: '2026-11-30T00:00:00.000Z' };
}

async function time(count: number, work: (index: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await work(index);
    samples.push(performance.now() - started);
  }
  return samples;
}

const reader = new RegistryClient({ url: registry.url });
await time(50, () => fetch(`${registry.url}/-/registry-keys`).then((response) => response.json())); // warm-up
const baseline = await time(calls, () => fetch(`${registry.url}/-/registry-keys`).then((response) => response.json()));
const publish = await time(calls, (index) => {
  const definition = { ...shop, version: `1.0.${index}` };
  return client.publish('@bench/shop', definition, report(definition), signer);
});
const installs = await time(calls, (index) => install(reader, `@bench/shop@1.0.${index}`, { dir: join(dir, 'connectors'), lockfile: join(dir, 'pullpush-lock.json') }));
const queries = ['shop', 'commerce.order', 'inv', 'billing oauth2', 'tickets 4242', 'nothing-matches-this'];
const search: Record<string, number[]> = {};
for (const query of queries) search[query] = await time(Math.max(20, Math.floor(calls / 4)), () => reader.search(query, 20));
const page = await time(Math.max(20, Math.floor(calls / 4)), () => fetch(`${registry.url}/?q=shop`).then((response) => response.text()));
await registry.close();
rmSync(dir, { recursive: true, force: true });

const base50 = percentile(baseline, 50);
const row = (name: string, samples: number[]) => ({ name, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), ratioP50: percentile(samples, 50) / base50 });
const rows = [row('baseline: GET /-/registry-keys', baseline), row('publish', publish), row('install (download + verify + write)', installs), ...queries.map((query) => row(`search "${query}" (${packages} connectors)`, search[query] ?? [])), row('catalogue page /?q=shop', page)];
if (values.json) console.log(JSON.stringify({ node: process.version, calls, packages, rows }, null, 2));
else {
  console.log(`node ${process.version}, ${calls} publishes and installs, ${packages} connectors searched, HTTP on 127.0.0.1`);
  for (const entry of rows) console.log(`  ${entry.name.padEnd(48)} p50 ${entry.p50Ms.toFixed(2).padStart(7)} ms  p99 ${entry.p99Ms.toFixed(2).padStart(7)} ms  (×${entry.ratioP50.toFixed(1)} the baseline)`);
}
