// MCP tool-call latency in process (the SDK's Client over an in-memory transport): p50 and p99 of
// validate_definition (the Stripe example, inline) and list_canonical_types, each against the same work called
// directly in the same run; and server start time: in process (create + connect + initialize) and cold (spawning
// `pullpush mcp` over stdio until initialize has answered), from source and, once built, as published.
//   npm run bench:mcp [-- --calls 500]
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { listCanonicalTypes } from '@pullpush/canonical';
import { createPullPushServer } from '@pullpush/mcp';
import { validateDefinition } from '@pullpush/schema';
import { percentile } from './measure.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '500' }, json: { type: 'boolean' } } });
const calls = Number(values.calls);
const dir = mkdtempSync(join(tmpdir(), 'pullpush-bench-mcp-'));
const env = { PULLPUSH_SECRET_KEY: Buffer.alloc(32, 1).toString('base64') };
const stripe = JSON.parse(readFileSync(new URL('../../packages/schema/examples/stripe.json', import.meta.url), 'utf8')) as Record<string, unknown>;

async function start(): Promise<{ client: Client; close: () => Promise<void> }> {
  const server = createPullPushServer({ workspace: join(dir, 'workspace'), env });
  const client = new Client({ name: 'bench', version: '0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return { client, close: async () => (await client.close(), await server.close()) };
}

const startTimes: number[] = [];
for (let run = 0; run < 20; run += 1) {
  const started = performance.now();
  const { close } = await start();
  startTimes.push(performance.now() - started);
  await close();
}

/** Spawns `pullpush mcp` over stdio until initialize has answered, five times; the times in ms. */
async function coldStarts(args: string[]): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    const transport = new StdioClientTransport({ command: process.execPath, args: [...args, 'mcp', '--workspace', join(dir, 'cold')], env: { ...env, PATH: process.env['PATH'] ?? '' } });
    const cold = new Client({ name: 'bench-cold', version: '0' });
    await cold.connect(transport);
    times.push(performance.now() - started);
    await cold.close();
  }
  return times;
}

// From TypeScript source (type stripping on every start) and, when it is built, from the published form.
const coldTimes = await coldStarts(['--conditions=@pullpush/source', new URL('../../packages/cli/src/bin.ts', import.meta.url).pathname]);
const builtBin = new URL('../../packages/cli/dist/bin.js', import.meta.url).pathname;
const builtColdTimes = existsSync(builtBin) ? await coldStarts([builtBin]) : [];

const { client, close } = await start();
async function measure(work: () => unknown | Promise<unknown>): Promise<number[]> {
  for (let warm = 0; warm < 20; warm += 1) await work();
  const samples: number[] = [];
  for (let call = 0; call < calls; call += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

const rows = [];
for (const [tool, args, direct] of [
  ['validate_definition', { document: stripe }, () => validateDefinition(stripe)],
  ['list_canonical_types', {}, () => listCanonicalTypes().map((type) => ({ name: type.name, version: type.version, description: type.description }))],
] as const) {
  const viaMcp = await measure(async () => {
    const result = await client.callTool({ name: tool, arguments: args });
    if (result.isError || !result.structuredContent) throw new Error(`${tool}: ${JSON.stringify(result.content)}`);
  });
  const baseline = await measure(direct);
  rows.push({ tool, p50Ms: percentile(viaMcp, 50), p99Ms: percentile(viaMcp, 99), directP50Ms: percentile(baseline, 50), ratioP50: percentile(viaMcp, 50) / percentile(baseline, 50) });
}
await close();
rmSync(dir, { recursive: true, force: true });

const startP50 = percentile(startTimes, 50);
const coldP50 = percentile(coldTimes, 50);
const builtColdP50 = builtColdTimes.length > 0 ? percentile(builtColdTimes, 50) : undefined;
if (values.json) console.log(JSON.stringify({ node: process.version, calls, serverStartP50Ms: startP50, coldStartP50Ms: coldP50, builtColdStartP50Ms: builtColdP50, rows }, null, 2));
else {
  console.log(`node ${process.version}, ${calls} calls per tool, in-memory transport`);
  console.log(`  server start in process (create + connect + initialize): p50 ${startP50.toFixed(1)} ms, max ${Math.max(...startTimes).toFixed(1)} ms`);
  console.log(`  cold start (spawn \`pullpush mcp\` over stdio until initialized): p50 ${coldP50.toFixed(0)} ms from source${builtColdP50 === undefined ? ' (npm run build for the built form)' : `, ${builtColdP50.toFixed(0)} ms built (goal < 300 ms)`}`);
  for (const row of rows) {
    console.log(`  ${row.tool.padEnd(22)} p50 ${row.p50Ms.toFixed(2)} ms, p99 ${row.p99Ms.toFixed(2)} ms; direct call p50 ${row.directP50Ms.toFixed(3)} ms (×${row.ratioP50.toFixed(1)})`);
  }
}
