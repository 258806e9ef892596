// Connection config from a file and the environment, and destinations from their names: typed coercion,
// clear coded errors that never quote a secret, and fast-check properties for both parsers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PullPushError } from '@pullpush/canonical';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentName, loadConnectionConfig, parseDestination } from '../src/index.ts';

const definition = {
  config: {
    type: 'object',
    properties: {
      apiKey: { type: 'string', secret: true },
      pageSize: { type: 'integer' },
      ratio: { type: 'number' },
      sandbox: { type: 'boolean' },
      regions: { type: 'array', items: { type: 'string' } },
      client_secret: { type: 'string', secret: true },
    },
  },
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(text: string): string {
  const path = join(dir, 'config.json');
  writeFileSync(path, text);
  return path;
}

describe('loadConnectionConfig', () => {
  it('reads a file, lets the environment override it and types environment values by the schema', () => {
    const loaded = loadConnectionConfig({
      definition,
      file: file(JSON.stringify({ apiKey: 'from-file', pageSize: 10, extra: 'kept' })),
      env: { PULLPUSH_API_KEY: 'from-env', PULLPUSH_PAGE_SIZE: '50', PULLPUSH_RATIO: '0.5', PULLPUSH_SANDBOX: 'true', PULLPUSH_REGIONS: '["eu","us"]', PULLPUSH_CLIENT_SECRET: 's3' },
    });
    expect(loaded.config).toEqual({ apiKey: 'from-env', pageSize: 50, ratio: 0.5, sandbox: true, regions: ['eu', 'us'], client_secret: 's3', extra: 'kept' });
    expect(loaded.sources['apiKey']).toEqual({ from: 'env', variable: 'PULLPUSH_API_KEY' });
    expect(loaded.sources['extra']).toEqual({ from: 'file' });
    expect(JSON.stringify(loaded.sources)).not.toContain('from-env');
  });

  it('works from the environment alone, with another prefix', () => {
    expect(loadConnectionConfig({ definition, env: { SHOP_API_KEY: 'k' }, prefix: 'SHOP_' }).config).toEqual({ apiKey: 'k' });
    expect(loadConnectionConfig({ definition, env: {} }).config).toEqual({});
  });

  it('refuses an environment value that does not read as the declared type, naming the variable only', () => {
    const error = (() => {
      try {
        loadConnectionConfig({ definition, env: { PULLPUSH_PAGE_SIZE: 'lots-secret-ish' } });
      } catch (caught) {
        return caught as PullPushError;
      }
      throw new Error('expected an error');
    })();
    expect(error.code).toBe('SYNC_INVALID_CONFIG');
    expect(error.message).toContain('PULLPUSH_PAGE_SIZE');
    expect(error.message).not.toContain('lots-secret-ish');
  });

  it('names a missing or broken file without quoting its content', () => {
    expect(() => loadConnectionConfig({ definition, file: join(dir, 'missing.json'), env: {} })).toThrow(expect.objectContaining({ code: 'SYNC_CONFIG_FILE', message: expect.stringContaining('missing.json') }));
    const broken = file('{"apiKey": sk_live_canary123}');
    let message = '';
    try {
      loadConnectionConfig({ definition, file: broken, env: {} });
    } catch (error) {
      message = (error as Error).message;
      expect((error as PullPushError).code).toBe('SYNC_CONFIG_FILE');
    }
    expect(message).toContain('not valid JSON');
    expect(message).not.toContain('canary');
    expect(() => loadConnectionConfig({ definition, file: file('[1]'), env: {} })).toThrow(expect.objectContaining({ code: 'SYNC_CONFIG_FILE' }));
  });

  it('environment names: camelCase and snake_case keys become upper snake case', () => {
    expect(environmentName('apiKey')).toBe('PULLPUSH_API_KEY');
    expect(environmentName('client_secret')).toBe('PULLPUSH_CLIENT_SECRET');
    expect(environmentName('oauth2Token')).toBe('PULLPUSH_OAUTH2_TOKEN');
    fc.assert(
      fc.property(fc.string(), (key) => {
        expect(environmentName(key)).toMatch(/^PULLPUSH_[A-Z0-9_]*$/);
      }),
    );
  });

  it('never throws anything but a coded error, whatever the file and the environment hold', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.constantFrom('PULLPUSH_API_KEY', 'PULLPUSH_PAGE_SIZE', 'PULLPUSH_SANDBOX', 'PULLPUSH_REGIONS', 'PULLPUSH_RATIO'), fc.string()), (text, env) => {
        const path = file(text);
        try {
          const { config } = loadConnectionConfig({ definition, file: path, env });
          expect(typeof config).toBe('object');
        } catch (error) {
          expect(error).toBeInstanceOf(PullPushError);
          expect(['SYNC_CONFIG_FILE', 'SYNC_INVALID_CONFIG']).toContain((error as PullPushError).code);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseDestination', () => {
  it('reads sqlite: and jsonl: names', () => {
    expect(parseDestination('sqlite:./pullpush.db')).toEqual({ kind: 'sqlite', path: './pullpush.db' });
    expect(parseDestination('jsonl:-')).toEqual({ kind: 'jsonl', path: '-' });
    expect(parseDestination('jsonl:C:\\out\\events.jsonl')).toEqual({ kind: 'jsonl', path: 'C:\\out\\events.jsonl' });
  });

  it('reads PostgreSQL URLs, taking the schema parameter out of what the driver sees', () => {
    expect(parseDestination('postgres://sync:pw@db:5432/analytics')).toEqual({ kind: 'postgres', url: 'postgres://sync:pw@db:5432/analytics' });
    expect(parseDestination(' postgresql://db/analytics?schema=shop&sslmode=require ')).toEqual({ kind: 'postgres', url: 'postgresql://db/analytics?sslmode=require', schema: 'shop' });
    for (const text of ['postgres://', 'postgres://[bad']) {
      expect(() => parseDestination(text)).toThrow(expect.objectContaining({ code: 'SYNC_INVALID_DESTINATION', hint: expect.stringContaining('postgres://user:password@host:5432/database') }));
    }
  });

  it('refuses anything else with a coded error and a hint', () => {
    for (const text of ['', 'sqlite:', 'postgres:x', './file.db', 'SQLITE:x']) {
      expect(() => parseDestination(text)).toThrow(expect.objectContaining({ code: 'SYNC_INVALID_DESTINATION', hint: expect.stringContaining('sqlite:') }));
    }
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const parsed = parseDestination(text);
          if (parsed.kind === 'postgres') expect(text.trim()).toMatch(/^postgres(ql)?:\/\//);
          else expect(`${parsed.kind}:${parsed.path}`).toBe(text.trim());
        } catch (error) {
          expect((error as PullPushError).code).toBe('SYNC_INVALID_DESTINATION');
        }
      }),
    );
  });
});
