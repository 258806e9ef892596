// The MCP conformance suite (@modelcontextprotocol/conformance) against the Streamable HTTP server. Its runner sends
// no bearer token, so a local proxy adds it (and stands in for the server's Host and Origin). The scenarios that
// need the suite's own fixture tools, resources and prompts (test_simple_text, test://…, test_simple_prompt), or a
// capability the server deliberately does not declare (logging, resource subscriptions), are its expected failures;
// every other scenario must pass, each check of it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../src/index.ts';
import { TEST_KEY } from './support.ts';

const TOKEN = 'conformance-token-7f3a9c2e51d8';

/** Scenarios that test the suite's fixtures or capabilities this server does not declare. */
const NOT_APPLICABLE = [
  'logging-set-level',
  'tools-call-simple-text',
  'tools-call-image',
  'tools-call-audio',
  'tools-call-embedded-resource',
  'tools-call-mixed-content',
  'tools-call-with-logging',
  'tools-call-error',
  'tools-call-with-progress',
  'tools-call-sampling',
  'tools-call-elicitation',
  'elicitation-sep1034-defaults',
  'elicitation-sep1330-enums',
  'json-schema-2020-12',
  'resources-read-text',
  'resources-read-binary',
  'resources-templates-read',
  'resources-subscribe',
  'resources-unsubscribe',
  'prompts-get-simple',
  'prompts-get-with-args',
  'prompts-get-embedded-resource',
  'prompts-get-with-image',
];

/** What this server does serve, each scenario of which must pass. */
const APPLICABLE = ['server-initialize', 'ping', 'completion-complete', 'tools-list', 'resources-list', 'prompts-list', 'server-sse-multiple-streams', 'dns-rebinding-protection'];

let dir: string;
let running: RunningHttpServer;
let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-conformance-'));
  running = await startHttpServer({ token: TOKEN, workspace: join(dir, 'workspace'), env: { PULLPUSH_SECRET_KEY: TEST_KEY }, maxSessions: 200 });
  const target = new URL(running.url);
  proxy = createServer((incoming, outgoing) => {
    const self = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const headers = { ...incoming.headers, authorization: `Bearer ${TOKEN}` };
    // The proxy stands in for the server: its own host and origin become the server's; any other passes as sent.
    if (headers.host === self) headers.host = target.host;
    if (headers.origin === `http://${self}`) headers.origin = target.origin;
    const upstream = request(new URL(incoming.url ?? '/', target), { method: incoming.method, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${target.pathname}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the MCP conformance suite', () => {
  it('passes every server scenario that applies to this server', { timeout: 300_000 }, async () => {
    const runner = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');
    const baseline = join(dir, 'expected-failures.yml');
    writeFileSync(baseline, `server:\n${NOT_APPLICABLE.map((scenario) => `  - ${scenario}\n`).join('')}`);
    const output = join(dir, 'results');
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, [runner, 'server', '--url', proxyUrl, '--expected-failures', baseline, '-o', output], { timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
      );
    });
    const results = new Map(
      readdirSync(output).map((folder) => {
        const scenario = /^server-(.+)-\d{4}-\d{2}-\d{2}T/.exec(folder)?.[1] as string;
        const checks = JSON.parse(readFileSync(join(output, folder, 'checks.json'), 'utf8')) as Array<{ id: string; status: string; errorMessage?: string }>;
        return [scenario, checks] as const;
      }),
    );
    for (const scenario of APPLICABLE) {
      const checks = results.get(scenario);
      expect(checks, `${scenario} ran`).toBeDefined();
      expect(checks?.filter((check) => check.status !== 'SUCCESS' && check.status !== 'INFO'), scenario).toEqual([]);
    }
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
  });
});
