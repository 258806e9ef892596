// The registry server on its own: its OpenAPI description, account rules, tokens kept only as hashes, and the
// registry key it keeps across restarts. Publishing and installing are tested through the client
// (@pullpush/registry-client), end to end with a real report in tools/test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../src/index.ts';

let dir: string;
let registry: RunningRegistry;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-registry-server-'));
  registry = await startRegistry({ db: join(dir, 'registry.db') });
});
afterEach(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${registry.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

describe('the registry server', () => {
  it('serves the OpenAPI description of its API', async () => {
    const description = (await (await fetch(`${registry.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(description.openapi).toBe('3.1.0');
    expect(Object.keys(description.paths)).toEqual(expect.arrayContaining(['/-/accounts', '/-/search', '/packages/{scope}/{name}', '/packages/{scope}/{name}/{version}', '/packages/{scope}/{name}/dist-tags/{tag}']));
  });

  it('creates accounts with valid names only, once each; tokens are stored as hashes', async () => {
    const created = await post('/-/accounts', { name: 'acme' });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    expect((await post('/-/accounts', { name: 'acme' })).status).toBe(403);
    for (const name of ['Acme', '../x', '', 'a'.repeat(40)]) expect((await (await post('/-/accounts', { name })).json()) as object).toMatchObject({ error: { code: 'REGISTRY_INVALID_NAME' } });
    expect(readFileSync(join(dir, 'registry.db')).includes(token)).toBe(false);
    expect((await post('/-/tokens', { scope: 'read' }, token)).status).toBe(201);
    expect((await post('/-/tokens', { scope: 'read' }, 'pp_pub_forged')).status).toBe(401);
    expect((await post('/-/keys', { publicKey: 'not a key' }, token)).status).toBe(400);
  });

  it('keeps its signing key across restarts', async () => {
    const before = await (await fetch(`${registry.url}/-/registry-keys`)).json();
    await registry.close();
    registry = await startRegistry({ db: join(dir, 'registry.db') });
    expect(await (await fetch(`${registry.url}/-/registry-keys`)).json()).toEqual(before);
  });

  it('answers unknown packages and versions 404 with a code', async () => {
    expect(await (await fetch(`${registry.url}/packages/@acme/none`)).json()).toMatchObject({ error: { code: 'REGISTRY_NOT_FOUND' } });
  });
});
