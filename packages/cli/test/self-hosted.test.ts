// A self-hosted API as a user meets it (testkit's Redmine on 127.0.0.1, plain http): the base URL comes from the
// connection config, the same flags work on validate, test, read and sync, and every refusal names the flag that
// allows it — not a library option.
import { redmineAuth, redmineConnectorDefinition } from '@pullpush/testkit';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allOutput, countRows, pullpush, useTempDirs, useTestApis, writeJson } from './support.ts';

const tempDir = useTempDirs();
const serve = useTestApis();
const KEY = 'redmine-cli-key-2d8e61a0';
const ALLOW = ['--allow-private-network', '--allow-insecure-http'];

async function redmine(tickets = 300) {
  const api = await serve({ auth: redmineAuth(KEY), dataset: { tickets } });
  const dir = tempDir();
  const definition = writeJson(dir, 'redmine.json', redmineConnectorDefinition({ pageSize: 250 }));
  const config = writeJson(dir, 'redmine.config.json', { baseUrl: `${api.url}/redmine`, apiKey: KEY });
  return { api, dir, definition, config };
}

describe.concurrent('a self-hosted Redmine', () => {
  it('syncs every issue and the raw projects, with the base URL from the connection config', async () => {
    const { api, dir, definition, config } = await redmine();
    const result = await pullpush(['sync', definition, '--config', config, ...ALLOW], { cwd: dir });
    expect(result.code, allOutput(result)).toBe(0);
    expect(result.stdout).toMatch(/^issues\s+ticketing\.ticket@1\s+3\s+300\s+300\s/m);
    expect(result.stdout).toMatch(/^projects\s+\(raw\)\s/m);
    expect(result.stdout).toContain('issues: The API sent 100 records per page where 250 were asked for');
    const db = join(dir, 'pullpush.db');
    expect(countRows(db, 'ticketing_ticket')).toBe(300);
    expect(countRows(db, 'raw_testkit_redmine__projects')).toBe(api.data.projects.length);
    expect(allOutput(result)).not.toContain(KEY);
  });

  it('a wrong key fails the connection check and writes nothing', async () => {
    const { api, dir, definition } = await redmine(50);
    const config = writeJson(dir, 'bad.config.json', { baseUrl: `${api.url}/redmine`, apiKey: 'wrong-key-5555' });
    const result = await pullpush(['sync', definition, '--config', config, ...ALLOW], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('connection check failed, nothing was written');
    expect(result.stdout).toContain('Sync failed');
    expect(result.stdout).not.toMatch(/^issues\s/m);
    // Issues are public data, but not one was requested, let alone stored.
    expect(api.requests.map((request) => request.path)).toEqual(['/redmine/my/account.json']);
    expect(countRows(join(dir, 'pullpush.db'), 'sqlite_schema')).toBeGreaterThan(0);
  });

  it('names --allow-private-network when a loopback API is refused, and --allow-insecure-http for plain http', async () => {
    const { dir, definition, config } = await redmine(20);
    const privateRefused = await pullpush(['test', definition, '--config', config, '--allow-insecure-http'], { cwd: dir });
    expect(privateRefused.code).toBe(1);
    expect(allOutput(privateRefused)).toContain('--allow-private-network');
    expect(allOutput(privateRefused)).not.toContain('allowPrivateNetwork');
    const httpRefused = await pullpush(['read', definition, 'issues', '--config', config, '--allow-private-network', '--limit', '1'], { cwd: dir });
    expect(httpRefused.code).toBe(1);
    expect(httpRefused.stderr).toContain('[ENGINE_INSECURE_URL]');
    expect(httpRefused.stderr).toContain('--allow-insecure-http');
    expect(httpRefused.stderr).not.toContain('allowInsecureHttp');
  });

  it('validate takes the same flags: an http base URL is an error without --allow-insecure-http, a warning with it', async () => {
    const dir = tempDir();
    const local = writeJson(dir, 'local.json', { ...redmineConnectorDefinition(), http: { baseUrl: 'http://127.0.0.1:8080/redmine' } });
    const strict = await pullpush(['validate', local], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('DSL_INSECURE_BASE_URL');
    const allowed = await pullpush(['validate', local, '--allow-insecure-http', '--allow-private-network', '--base-url', 'http://127.0.0.1:8080/redmine'], { cwd: dir });
    expect(allowed.code, allOutput(allowed)).toBe(0);
    expect(allowed.stdout).toMatch(/warning\s+DSL_INSECURE_BASE_URL/);
  });
});
