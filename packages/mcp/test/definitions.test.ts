// Definition and flow tools through the SDK's real Client: revisions as files on disk, JSON Patch edits (all or
// nothing, with the failing operation's index and pointer), diff and rollback round trips, export; flows
// validated against the definitions of the workspace.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { connect } from './support.ts';

type Json = Record<string, unknown>;

const EXAMPLES = join(import.meta.dirname, '../../schema/examples');
const example = (name: string): Json => JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as Json;

interface Saved {
  id: string;
  revision: number;
  savedAt: string;
  ok: boolean;
  errors: Array<{ code: string; pointer: string; message: string; hint?: string }>;
  warnings: Array<{ code: string; pointer: string; severity?: string }>;
}

interface Updated extends Omit<Saved, 'savedAt'> {
  previousRevision: number;
  changed: boolean;
  summary: string;
}

const definitionDir = (dir: string, id: string) => join(dir, 'workspace', 'definitions', id);
const onDisk = (dir: string, id: string, revision: number): Json =>
  JSON.parse(readFileSync(join(definitionDir(dir, id), `v${String(revision).padStart(4, '0')}.json`), 'utf8')) as Json;

describe('create_definition', () => {
  it('stores a valid definition as revision 1, one JSON file, and reports it valid', async () => {
    const { ok, dir } = await connect();
    const stripe = example('stripe');
    const saved = await ok<Saved>('create_definition', { document: stripe });
    expect(saved).toEqual({ id: 'stripe', revision: 1, savedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), ok: true, errors: [], warnings: [] });
    expect(readdirSync(definitionDir(dir, 'stripe'))).toEqual(['v0001.json']);
    expect(onDisk(dir, 'stripe', 1)).toEqual(stripe);
  });

  it('saves a definition with validation errors, so it can be fixed, and returns the errors with pointers', async () => {
    // A server whose embedding application does not allow plain http: the http base URL is an error.
    const { ok, dir } = await connect({ engine: {} });
    const saved = await ok<Saved>('create_definition', { document: shopConnectorDefinition() as unknown as Json });
    expect(saved.ok).toBe(false);
    expect(saved.errors).toEqual([
      {
        code: 'DSL_INSECURE_BASE_URL',
        severity: 'error',
        pointer: '/http/baseUrl',
        message: 'base URL must start with https:// (got "http://127.0.0.1:8080")',
        hint: 'Only the embedding application may allow plain http (for local tests); a definition cannot.',
      },
    ]);
    expect(existsSync(join(definitionDir(dir, 'testkit-shop'), 'v0001.json'))).toBe(true);
  });

  it('reports an http base URL as a warning where the server allows plain http (local test APIs)', async () => {
    const { ok } = await connect();
    const saved = await ok<Saved>('create_definition', { document: shopConnectorDefinition() as unknown as Json });
    expect(saved.ok).toBe(true);
    expect(saved.warnings.map((warning) => [warning.code, warning.severity])).toContainEqual(['DSL_INSECURE_BASE_URL', 'warning']);
  });

  it('returns warnings beside a valid result', async () => {
    const { ok } = await connect();
    const saved = await ok<Saved>('create_definition', { document: example('slack') });
    expect(saved.ok).toBe(true);
    expect(saved.warnings.map((warning) => [warning.code, warning.pointer])).toEqual([
      ['DSL_FULL_REFRESH', '/streams/conversations/incremental'],
      ['DSL_FULL_REFRESH', '/streams/users/incremental'],
    ]);
  });

  it('refuses a document without a usable id, a non-object, and an id that exists', async () => {
    const { fails, ok, dir } = await connect();
    const { id: _id, ...withoutId } = example('github');
    expect(await fails('create_definition', { document: withoutId })).toEqual({
      code: 'MCP_INVALID_DOCUMENT',
      message: 'The document has no "id": it cannot be stored.',
      hint: expect.stringContaining('lower-case letters'),
      issues: [{ pointer: '/id', message: 'missing required "id"', rule: 'required' }],
    });
    const badId = await fails('create_definition', { document: { ...example('github'), id: 'Git Hub' } });
    expect(badId).toMatchObject({ code: 'MCP_INVALID_DOCUMENT', issues: [{ pointer: '/id', rule: 'pattern' }] });
    expect(badId.message).toContain('"Git Hub" is not a slug');

    const notObject = await fails('create_definition', { document: ['not', 'an', 'object'] });
    expect(notObject.code).toBe('MCP_INVALID_ARGUMENTS');
    expect(notObject.issues.map((issue) => issue.pointer)).toEqual(['/document']);
    expect(readdirSync(join(dir, 'workspace', 'definitions'))).toEqual([]);

    await ok('create_definition', { document: example('github') });
    expect(await fails('create_definition', { document: example('github') })).toEqual({
      code: 'MCP_ALREADY_EXISTS',
      message: 'A definition with id "github" exists (revision 1).',
      hint: 'Change it with update_definition (a JSON Patch), or give the new definition another id.',
      issues: [],
    });
  });
});

describe('list_definitions and get_definition', () => {
  it('lists summaries and returns a revision with the revisions kept', async () => {
    const { ok, fails } = await connect();
    expect(await ok('list_definitions')).toEqual({ definitions: [] });
    await ok('create_definition', { document: example('stripe') });
    await ok('create_definition', { document: example('jira') });
    await ok('update_definition', { definition: 'jira', patch: [{ op: 'replace', path: '/version', value: '1.1.0' }] });
    expect(await ok('list_definitions')).toEqual({
      definitions: [
        { id: 'jira', name: 'Jira Cloud', version: '1.1.0', revision: 2, revisions: 2, streams: ['issues', 'comments'], updatedAt: expect.any(String) },
        { id: 'stripe', name: 'Stripe', version: '1.0.0', revision: 1, revisions: 1, streams: ['customers', 'invoices'], updatedAt: expect.any(String) },
      ],
    });
    const latest = await ok<{ revision: number; revisions: number[]; document: Json }>('get_definition', { definition: 'jira' });
    expect(latest).toEqual({ id: 'jira', revision: 2, revisions: [1, 2], savedAt: expect.any(String), document: { ...example('jira'), version: '1.1.0' } });
    const first = await ok<{ document: Json }>('get_definition', { definition: 'jira', revision: 1 });
    expect(first.document).toEqual(example('jira'));

    expect(await fails('get_definition', { definition: 'jiraa' })).toMatchObject({ code: 'MCP_NOT_FOUND', message: 'No definition "jiraa" in the workspace.', hint: 'Definitions: jira, stripe.' });
    expect(await fails('get_definition', { definition: 'jira', revision: 7 })).toMatchObject({ code: 'MCP_NOT_FOUND', message: 'Definition jira has no revision 7.', hint: 'Revisions: 1, 2.' });
  });
});

describe('update_definition', () => {
  it('applies a JSON Patch to the latest revision and saves a new revision file, the old one untouched', async () => {
    const { ok, dir } = await connect();
    await ok('create_definition', { document: example('github') });
    const updated = await ok<Updated>('update_definition', {
      definition: 'github',
      patch: [
        { op: 'test', path: '/version', value: '1.0.0' },
        { op: 'replace', path: '/version', value: '1.1.0' },
        { op: 'add', path: '/http/timeoutMs', value: 60000 },
      ],
    });
    expect(updated).toEqual({
      id: 'github',
      revision: 2,
      previousRevision: 1,
      changed: true,
      summary: '2 changes: replaced /version, added /http/timeoutMs.',
      ok: true,
      errors: [],
      warnings: [],
    });
    expect(readdirSync(definitionDir(dir, 'github'))).toEqual(['v0001.json', 'v0002.json']);
    expect(onDisk(dir, 'github', 1)).toEqual(example('github'));
    expect(onDisk(dir, 'github', 2)).toMatchObject({ version: '1.1.0', http: { timeoutMs: 60000 } });
  });

  it('saves a patch that breaks validation and returns the errors, so the next patch can fix them', async () => {
    const { ok } = await connect();
    await ok('create_definition', { document: example('github') });
    const broken = await ok<Updated>('update_definition', { definition: 'github', patch: [{ op: 'move', from: '/streams/issues/pagination', path: '/streams/issues/paginaton' }] });
    expect(broken).toMatchObject({ revision: 2, changed: true, ok: false, summary: '2 changes: removed /streams/issues/pagination, added /streams/issues/paginaton.' });
    expect(broken.errors.find((error) => error.code === 'DSL_UNKNOWN_KEY')).toMatchObject({ pointer: '/streams/issues/paginaton', hint: expect.stringContaining('Did you mean "pagination"?') });
    const fixed = await ok<Updated>('update_definition', { definition: 'github', patch: [{ op: 'move', from: '/streams/issues/paginaton', path: '/streams/issues/pagination' }] });
    expect(fixed).toMatchObject({ revision: 3, ok: true, errors: [] });
  });

  it('refuses the whole patch when a test operation fails, naming the operation, and saves nothing', async () => {
    const { ok, fails, dir } = await connect();
    await ok('create_definition', { document: example('github') });
    const error = await fails('update_definition', {
      definition: 'github',
      patch: [
        { op: 'replace', path: '/name', value: 'GitHub (changed)' },
        { op: 'test', path: '/version', value: '2.0.0' },
      ],
    });
    expect(error).toEqual({
      code: 'MCP_INVALID_PATCH',
      message: 'Patch operation 1 (test /version) failed: test failed: the value at /version is "1.0.0", not "2.0.0". Nothing was saved.',
      hint: 'The definition changed since it was read: get_definition, then build the patch again.',
      issues: [{ pointer: '/patch/1/value', message: 'test failed: the value at /version is "1.0.0", not "2.0.0"', rule: 'test' }],
    });
    expect(readdirSync(definitionDir(dir, 'github'))).toEqual(['v0001.json']);
    expect((await ok<{ document: Json }>('get_definition', { definition: 'github' })).document['name']).toBe('GitHub');
  });

  it('refuses operations on missing locations with the pointer of the operation', async () => {
    const { ok, fails } = await connect();
    await ok('create_definition', { document: example('github') });
    const replace = await fails('update_definition', { definition: 'github', patch: [{ op: 'replace', path: '/streams/pulls/description', value: 'x' }] });
    expect(replace).toMatchObject({
      code: 'MCP_INVALID_PATCH',
      message: 'Patch operation 0 (replace /streams/pulls/description) failed: nothing at /streams/pulls/description. Nothing was saved.',
      hint: expect.stringContaining('add a new key with "add"'),
      issues: [{ pointer: '/patch/0/path', message: 'nothing at /streams/pulls/description', rule: 'replace' }],
    });
    const add = await fails('update_definition', { definition: 'github', patch: [{ op: 'add', path: '/nothing/here', value: 1 }] });
    expect(add).toMatchObject({ issues: [{ pointer: '/patch/0/path', message: 'nothing at /nothing/here (its parent does not exist)' }], hint: expect.stringContaining('Add the parent object first') });
    const remove = await fails('update_definition', { definition: 'github', patch: [{ op: 'test', path: '/id', value: 'github' }, { op: 'remove', path: '/streams/pulls' }] });
    expect(remove.issues).toEqual([{ pointer: '/patch/1/path', message: 'nothing at /streams/pulls', rule: 'remove' }]);
    const move = await fails('update_definition', { definition: 'github', patch: [{ op: 'move', from: '/nope', path: '/description' }] });
    expect(move.issues).toEqual([{ pointer: '/patch/0/from', message: 'nothing at /nope', rule: 'move' }]);
  });

  it('refuses malformed operations and pointers', async () => {
    const { ok, fails } = await connect();
    await ok('create_definition', { document: example('github') });
    expect((await fails('update_definition', { definition: 'github', patch: [{ op: 'add', path: '/description' }] })).issues).toEqual([
      { pointer: '/patch/0', message: '"add" needs a "value"', rule: 'add' },
    ]);
    expect((await fails('update_definition', { definition: 'github', patch: [{ op: 'copy', path: '/description' }] })).issues).toEqual([
      { pointer: '/patch/0', message: '"copy" needs a "from" pointer', rule: 'copy' },
    ]);
    expect((await fails('update_definition', { definition: 'github', patch: [{ op: 'replace', path: 'version', value: '2.0.0' }] })).issues).toEqual([
      { pointer: '/patch/0/path', message: '"version" is not a JSON pointer', rule: 'replace' },
    ]);
    expect((await fails('update_definition', { definition: 'github', patch: [{ op: 'replace', path: '', value: {} }] })).issues[0]?.message).toBe('the whole document cannot be replaced by a patch');
    expect((await fails('update_definition', { definition: 'github', patch: [{ op: 'add', path: '/__proto__/polluted', value: true }] })).issues[0]?.message).toBe('the key "__proto__" cannot be patched');
    const schema = await fails('update_definition', { definition: 'github', patch: [{ op: 'rename', path: '/x' }] });
    expect(schema.code).toBe('MCP_INVALID_ARGUMENTS');
    expect(schema.issues.map((issue) => issue.pointer)).toContain('/patch/0/op');
    expect((await fails('update_definition', { definition: 'github', patch: [] })).code).toBe('MCP_INVALID_ARGUMENTS');
    expect(await fails('update_definition', { definition: 'gitlab', patch: [{ op: 'remove', path: '/check' }] })).toMatchObject({ code: 'MCP_NOT_FOUND' });
  });

  it('refuses a patch that changes the id', async () => {
    const { ok, fails, dir } = await connect();
    await ok('create_definition', { document: example('github') });
    expect(await fails('update_definition', { definition: 'github', patch: [{ op: 'replace', path: '/id', value: 'gitlab' }] })).toEqual({
      code: 'MCP_INVALID_PATCH',
      message: 'The patch changes the definition\'s id from "github" to "gitlab". Nothing was saved.',
      hint: expect.stringContaining('export_definition'),
      issues: [{ pointer: '/id', message: 'must stay "github"', rule: 'id' }],
    });
    expect((await fails('update_definition', { definition: 'github', patch: [{ op: 'remove', path: '/id' }] })).message).toContain('to undefined');
    expect(readdirSync(definitionDir(dir, 'github'))).toEqual(['v0001.json']);
  });

  it('saves nothing for a patch that changes nothing', async () => {
    const { ok, dir } = await connect();
    await ok('create_definition', { document: example('github') });
    const same = await ok<Updated>('update_definition', { definition: 'github', patch: [{ op: 'replace', path: '/version', value: '1.0.0' }] });
    expect(same).toMatchObject({ revision: 1, previousRevision: 1, changed: false, summary: 'No changes.', ok: true });
    expect(readdirSync(definitionDir(dir, 'github'))).toEqual(['v0001.json']);
  });
});

describe('revisions: list, diff, rollback, export', () => {
  it('lists revisions, diffs them as a JSON Patch that replays, and rolls back as a new revision', async () => {
    const { ok, dir } = await connect();
    const original = example('stripe');
    await ok('create_definition', { document: original });
    await ok('update_definition', { definition: 'stripe', patch: [{ op: 'replace', path: '/version', value: '1.1.0' }] });
    await ok('update_definition', { definition: 'stripe', patch: [{ op: 'replace', path: '/version', value: '1.2.0' }, { op: 'remove', path: '/documentationUrl' }] });

    expect(await ok('list_definition_versions', { definition: 'stripe' })).toEqual({
      id: 'stripe',
      latest: 3,
      versions: [
        { revision: 1, savedAt: expect.any(String), version: '1.0.0', name: 'Stripe' },
        { revision: 2, savedAt: expect.any(String), version: '1.1.0', name: 'Stripe' },
        { revision: 3, savedAt: expect.any(String), version: '1.2.0', name: 'Stripe' },
      ],
    });

    const diff = await ok<{ patch: Json[] }>('diff_definition_versions', { definition: 'stripe', from: 1 });
    expect(diff).toEqual({
      id: 'stripe',
      from: 1,
      to: 3,
      patch: [
        { op: 'remove', path: '/documentationUrl' },
        { op: 'replace', path: '/version', value: '1.2.0' },
      ],
      changed: ['/documentationUrl', '/version'],
      summary: '2 changes: removed /documentationUrl, replaced /version.',
    });
    const back = await ok<{ patch: Json[] }>('diff_definition_versions', { definition: 'stripe', from: 3, to: 1 });
    expect(back.patch).toEqual([
      { op: 'add', path: '/documentationUrl', value: 'https://stripe.com/docs/api' },
      { op: 'replace', path: '/version', value: '1.0.0' },
    ]);

    // Replaying the reverse diff on the latest revision gives revision 1 back.
    const replayed = await ok<Updated>('update_definition', { definition: 'stripe', patch: back.patch });
    expect(replayed).toMatchObject({ revision: 4, changed: true, ok: true });
    expect(onDisk(dir, 'stripe', 4)).toEqual(original);
    expect(await ok('diff_definition_versions', { definition: 'stripe', from: 1, to: 4 })).toMatchObject({ patch: [], changed: [], summary: 'No changes.' });

    // Roll back to revision 2: a new revision 5, history kept.
    expect(await ok('rollback_definition', { definition: 'stripe', revision: 2 })).toEqual({
      id: 'stripe',
      revision: 5,
      restoredFrom: 2,
      changed: true,
      summary: '1 change: replaced /version.',
      ok: true,
      errors: [],
      warnings: [],
    });
    expect(readdirSync(definitionDir(dir, 'stripe'))).toEqual(['v0001.json', 'v0002.json', 'v0003.json', 'v0004.json', 'v0005.json']);
    expect(onDisk(dir, 'stripe', 5)).toEqual(onDisk(dir, 'stripe', 2));
    // Rolling back to a document equal to the latest saves nothing; rolling back the rollback works.
    expect(await ok('rollback_definition', { definition: 'stripe', revision: 2 })).toMatchObject({ revision: 5, changed: false, summary: 'No changes.' });
    expect(await ok('rollback_definition', { definition: 'stripe', revision: 4 })).toMatchObject({ revision: 6, changed: true });
    expect(onDisk(dir, 'stripe', 6)).toEqual(original);
  });

  it('refuses unknown revisions in diff and rollback', async () => {
    const { ok, fails } = await connect();
    await ok('create_definition', { document: example('github') });
    expect(await fails('diff_definition_versions', { definition: 'github', from: 1, to: 3 })).toMatchObject({ code: 'MCP_NOT_FOUND', hint: 'Revisions: 1.' });
    expect(await fails('rollback_definition', { definition: 'github', revision: 2 })).toMatchObject({ code: 'MCP_NOT_FOUND', message: 'Definition github has no revision 2.' });
    expect((await fails('rollback_definition', { definition: 'github', revision: 0 })).code).toBe('MCP_INVALID_ARGUMENTS');
  });

  it('exports a revision as pretty JSON text with the suggested file name', async () => {
    const { ok } = await connect();
    await ok('create_definition', { document: example('jira') });
    await ok('update_definition', { definition: 'jira', patch: [{ op: 'replace', path: '/version', value: '2.0.0' }] });
    const latest = await ok<{ text: string }>('export_definition', { definition: 'jira' });
    expect(latest).toEqual({
      id: 'jira',
      revision: 2,
      fileName: 'jira.pullpush.json',
      mediaType: 'application/json',
      text: `${JSON.stringify({ ...example('jira'), version: '2.0.0' }, null, 2)}\n`,
    });
    const first = await ok<{ text: string; revision: number }>('export_definition', { definition: 'jira', revision: 1 });
    expect(first.revision).toBe(1);
    expect(JSON.parse(first.text)).toEqual(example('jira'));
  });
});

describe('delete_definition', () => {
  it('deletes every revision and names the flows that still refer to it', async () => {
    const { ok, fails, dir } = await connect();
    await ok('create_definition', { document: example('stripe') });
    await ok('update_definition', { definition: 'stripe', patch: [{ op: 'replace', path: '/version', value: '1.0.1' }] });
    await ok('create_flow', { flow: example('flow-stripe-to-sqlite') });
    expect(await ok('delete_definition', { definition: 'stripe' })).toEqual({ id: 'stripe', deleted: true, revisions: 2, flows: ['stripe-to-sqlite'] });
    expect(existsSync(definitionDir(dir, 'stripe'))).toBe(false);
    expect((await fails('get_definition', { definition: 'stripe' })).code).toBe('MCP_NOT_FOUND');
    expect(await fails('delete_definition', { definition: 'stripe' })).toMatchObject({ code: 'MCP_NOT_FOUND', hint: 'Definitions: none yet (create_definition).' });
  });

  it('is annotated as destructive; reads are read-only and idempotent', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const annotations = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    expect(annotations['delete_definition']).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(annotations['delete_flow']).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    for (const name of ['list_definitions', 'get_definition', 'list_definition_versions', 'diff_definition_versions', 'export_definition', 'list_flows', 'get_flow']) {
      expect(annotations[name], name).toMatchObject({ readOnlyHint: true, idempotentHint: true, destructiveHint: false });
    }
    for (const name of ['create_definition', 'update_definition', 'rollback_definition', 'create_flow']) {
      expect(annotations[name], name).toMatchObject({ readOnlyHint: false, destructiveHint: false, openWorldHint: false });
    }
  });
});

describe('flows', () => {
  it('creates a flow checked against the workspace definitions, with warnings for what is still missing', async () => {
    const { ok, dir } = await connect();
    await ok('create_definition', { document: example('stripe') });
    const flow = example('flow-stripe-to-sqlite');
    expect(await ok('create_flow', { flow })).toEqual({
      id: 'stripe-to-sqlite',
      replaced: false,
      warnings: [
        {
          code: 'MCP_NOT_FOUND',
          severity: 'warning',
          pointer: '/source/connection',
          message: 'no connection "acme" in the workspace yet',
          hint: 'Create it with create_connection before running the flow.',
        },
      ],
    });
    expect(JSON.parse(readFileSync(join(dir, 'workspace', 'flows', 'stripe-to-sqlite.json'), 'utf8'))).toEqual(flow);
    expect(await ok('get_flow', { flow: 'stripe-to-sqlite' })).toEqual({ id: 'stripe-to-sqlite', flow });
    expect(await ok('list_flows')).toEqual({
      flows: [
        {
          id: 'stripe-to-sqlite',
          name: 'Stripe customers into a local SQLite file',
          connector: 'stripe',
          connection: 'acme',
          streams: ['customers'],
          destination: 'sqlite',
          schedule: 'every 15m',
          mode: 'live',
        },
      ],
    });
  });

  it('refuses a flow whose streams, connector or schedule are wrong, with every problem as an issue', async () => {
    const { ok, fails, dir } = await connect();
    const flow = example('flow-stripe-to-sqlite');
    const noDefinition = await fails('create_flow', { flow });
    expect(noDefinition).toMatchObject({
      code: 'MCP_INVALID_DOCUMENT',
      message: 'The flow is not valid (1 problem); nothing was saved.',
      hint: 'Create the connector definition first (create_definition).',
      issues: [{ pointer: '/source/connector', message: 'no connector definition "stripe" in the workspace', rule: 'MCP_NOT_FOUND' }],
    });
    await ok('create_definition', { document: example('stripe') });
    const wrong = await fails('create_flow', { flow: { ...flow, source: { connector: 'stripe', connection: 'acme', streams: ['customer'] }, schedule: { every: '15m', cron: '*/15 * * * *' } } });
    expect(wrong.code).toBe('MCP_INVALID_DOCUMENT');
    expect(wrong.issues).toEqual([
      { pointer: '/schedule', message: 'set exactly one of schedule.every and schedule.cron', rule: 'DSL_FLOW_SCHEDULE' },
      { pointer: '/source/streams/0', message: 'connector "stripe" has no stream "customer" (did you mean "customers"?)', rule: 'DSL_FLOW_UNKNOWN_STREAM' },
    ]);
    const structural = await fails('create_flow', { flow: { ...flow, dsl: 'pullpush/v1', id: 'Bad Id' } });
    expect((structural.issues as Array<{ pointer: string; rule?: string }>).map((issue) => [issue.pointer, issue.rule])).toEqual(expect.arrayContaining([['/dsl', 'DSL_UNSUPPORTED_VERSION'], ['/id', 'DSL_INVALID_VALUE']]));
    expect(readdirSync(join(dir, 'workspace', 'flows'))).toEqual([]);
  });

  it('refuses an existing flow id unless replace is set, then deletes it', async () => {
    const { ok, fails, dir } = await connect();
    await ok('create_definition', { document: example('stripe') });
    const flow = example('flow-stripe-to-sqlite');
    await ok('create_flow', { flow });
    expect(await fails('create_flow', { flow })).toEqual({
      code: 'MCP_ALREADY_EXISTS',
      message: 'A flow with id "stripe-to-sqlite" exists.',
      hint: 'Pass "replace": true to overwrite it, or give the flow another id.',
      issues: [],
    });
    const changed = { ...flow, mode: 'paused', schedule: { cron: '0 * * * *' } };
    expect(await ok('create_flow', { flow: changed, replace: true })).toMatchObject({ id: 'stripe-to-sqlite', replaced: true });
    expect(await ok('list_flows')).toMatchObject({ flows: [{ id: 'stripe-to-sqlite', mode: 'paused', schedule: 'cron 0 * * * *' }] });
    expect(await ok('delete_flow', { flow: 'stripe-to-sqlite' })).toEqual({ id: 'stripe-to-sqlite', deleted: true });
    expect(existsSync(join(dir, 'workspace', 'flows', 'stripe-to-sqlite.json'))).toBe(false);
    expect(await fails('get_flow', { flow: 'stripe-to-sqlite' })).toMatchObject({ code: 'MCP_NOT_FOUND', hint: 'Flows: none yet (create_flow).' });
    expect((await fails('delete_flow', { flow: 'stripe-to-sqlite' })).code).toBe('MCP_NOT_FOUND');
    expect(await ok('list_flows')).toEqual({ flows: [] });
  });
});
