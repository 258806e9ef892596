// explain_error through the SDK's real Client: every stable code of every package is explained, advice is
// tailored to the failing report's pointer and message, unknown codes get the closest one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CanonicalErrorCode } from '@pullpush/canonical';
import { DiscoveryErrorCode } from '@pullpush/discovery';
import { EngineErrorCode } from '@pullpush/engine';
import { DslCode } from '@pullpush/schema';
import { SyncErrorCode } from '@pullpush/sync';
import { describe, expect, it } from 'vitest';
import { McpErrorCode } from '../src/index.ts';
import { connect } from './support.ts';

interface Explained {
  code: string;
  package: string;
  title: string;
  meaning: string;
  causes: string[];
  fix: string[];
  example: string;
  related: string[];
  tailored?: { pointer?: string; where?: string; advice: string; patch?: Array<Record<string, unknown>> };
}

const SOURCES = [
  ['@pullpush/schema', DslCode],
  ['@pullpush/engine', EngineErrorCode],
  ['@pullpush/sync', SyncErrorCode],
  ['@pullpush/discovery', DiscoveryErrorCode],
  ['@pullpush/mcp', McpErrorCode],
  ['@pullpush/canonical', CanonicalErrorCode],
] as const;

const ALL_CODES = SOURCES.flatMap(([, codes]) => Object.values(codes) as string[]);

describe('explain_error', () => {
  it('explains every code of every package: meaning, causes, fix and an example', async () => {
    const { ok, fails } = await connect();
    const missing: string[] = [];
    for (const [pkg, codes] of SOURCES) {
      for (const code of Object.values(codes) as string[]) {
        const result = await ok<Explained>('explain_error', { code }).catch(async () => {
          missing.push(`${code}: ${(await fails('explain_error', { code })).message}`);
          return undefined;
        });
        if (!result) continue;
        expect(result.code).toBe(code);
        expect(result.package, code).toBe(pkg);
        expect(result.title.length, code).toBeGreaterThan(3);
        expect(result.meaning.length, code).toBeGreaterThan(30);
        expect(result.causes.length, code).toBeGreaterThan(0);
        expect(result.fix.length, code).toBeGreaterThan(0);
        expect(result.example.length, code).toBeGreaterThan(5);
        for (const related of result.related) expect(ALL_CODES, `${code} relates to ${related}`).toContain(related);
      }
    }
    expect(missing, 'codes without an explanation').toEqual([]);
  });

  it('returns the explanation of a code as structured content', async () => {
    const { ok } = await connect();
    expect(await ok('explain_error', { code: 'ENGINE_PAGINATION_LOOP' })).toEqual({
      code: 'ENGINE_PAGINATION_LOOP',
      package: '@pullpush/engine',
      title: 'Pagination loop',
      meaning: 'The API returned the same cursor, next URL or page twice, so the engine stopped instead of reading the same pages forever.',
      causes: [
        'The cursor path reads a value that does not change (the first record\'s id instead of the last, data[0].id for data[-1].id).',
        'The parameter name is wrong, so the API ignores it and returns the first page again.',
        'A stop condition missing: the API keeps returning its last cursor on the final page.',
      ],
      fix: [
        'Compare the cursor path and parameter with the API documentation and one real response (test_connector shows the pages).',
        'Add stopWhen (e.g. "$not(has_more)") when the API signals the end in the body.',
      ],
      example: '"cursor": { "from": "body", "path": "data[0].id" } → "cursor": { "from": "body", "path": "data[-1].id" }, "stopWhen": "$not(has_more)"',
      related: ['DSL_PAGINATION_INCOHERENT', 'ENGINE_PAGE_LIMIT'],
    });
  });

  it('accepts codes in any case and with dashes', async () => {
    const { ok } = await connect();
    expect((await ok<Explained>('explain_error', { code: ' sync-database ' })).code).toBe('SYNC_DATABASE');
    expect((await ok<Explained>('explain_error', { code: 'mcp_invalid_patch' })).package).toBe('@pullpush/mcp');
  });

  it('tailors the advice to a validation problem and gives a patch that fixes it', async () => {
    const { ok } = await connect();
    const github = JSON.parse(readFileSync(join(import.meta.dirname, '../../schema/examples/github.json'), 'utf8')) as Record<string, unknown>;
    await ok('create_definition', { document: github });
    const broken = await ok<{ ok: boolean; errors: Array<{ code: string; pointer: string; message: string; hint?: string }> }>('update_definition', {
      definition: 'github',
      patch: [{ op: 'move', from: '/streams/issues/pagination', path: '/streams/issues/paginaton' }],
    });
    const problem = broken.errors.find((error) => error.code === 'DSL_UNKNOWN_KEY');
    expect(problem).toBeDefined();
    const explained = await ok<Explained>('explain_error', { code: problem?.code, pointer: problem?.pointer, message: `${problem?.message}. ${problem?.hint}` });
    expect(explained.tailored).toEqual({
      pointer: '/streams/issues/paginaton',
      where: 'stream "issues" › paginaton',
      advice: expect.stringMatching(/^At \/streams\/issues\/paginaton \(stream "issues" › paginaton\): unknown key "paginaton"\. Did you mean "pagination"\?.* Rename the key/),
      patch: [{ op: 'move', from: '/streams/issues/paginaton', path: '/streams/issues/pagination' }],
    });
    const fixed = await ok<{ ok: boolean }>('update_definition', { definition: 'github', patch: explained.tailored?.patch });
    expect(fixed.ok).toBe(true);
  });

  it('tailors without a patch where none is safe, and from a message alone', async () => {
    const { ok } = await connect();
    const insecure = await ok<Explained>('explain_error', { code: 'DSL_INSECURE_BASE_URL', pointer: '/http/baseUrl', message: 'base URL must start with https:// (got "http://api.example.com")' });
    expect(insecure.tailored?.patch).toEqual([{ op: 'replace', path: '/http/baseUrl', value: 'https://api.example.com' }]);
    expect((await ok<Explained>('explain_error', { code: 'DSL_RESERVED_FIELD', pointer: '/streams/orders/mapping/fields/id' })).tailored).toEqual({
      pointer: '/streams/orders/mapping/fields/id',
      where: 'stream "orders" › mapping › field "id"',
      advice: expect.stringContaining('At /streams/orders/mapping/fields/id'),
      patch: [{ op: 'remove', path: '/streams/orders/mapping/fields/id' }],
    });
    const engine = await ok<Explained>('explain_error', { code: 'ENGINE_HTTP_STATUS', message: 'GET https://api.example.com/v1/items answered 401 (stream items)' });
    expect(engine.tailored).toEqual({ advice: 'GET https://api.example.com/v1/items answered 401 (stream items). 401/403: check the connection\'s secret and the key\'s permissions; rotate_secret if needed.' });
    const root = await ok<Explained>('explain_error', { code: 'DSL_NOT_A_DOCUMENT', pointer: '' });
    expect(root.tailored).toMatchObject({ pointer: '', where: 'the whole document' });
    expect(root.tailored?.patch).toBeUndefined();
  });

  it('answers an unknown code with MCP_NOT_FOUND and the closest code', async () => {
    const { fails } = await connect();
    expect(await fails('explain_error', { code: 'DSL_UNKOWN_KEY' })).toEqual({ code: 'MCP_NOT_FOUND', message: 'No error code "DSL_UNKOWN_KEY".', hint: 'Did you mean "DSL_UNKNOWN_KEY"?', issues: [] });
    expect((await fails('explain_error', { code: 'PAGINATION_LOOP' })).hint).toBe('Did you mean "ENGINE_PAGINATION_LOOP"?');
    expect((await fails('explain_error', { code: 'SOMETHING_ELSE_ENTIRELY_WRONG' })).hint).toContain('Codes start with DSL_');
    expect((await fails('explain_error', { code: '' })).code).toBe('MCP_INVALID_ARGUMENTS');
  });
});
