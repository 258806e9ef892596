// The commands that call no API: help and version, usage errors, validate, schema and canonical — run as the real
// binary, asserting exit codes, stdout/stderr and JSON shapes.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasAnsi, pullpush, SCHEMA_EXAMPLES, shopDefinition, useTempDirs, writeJson } from './support.ts';

const tempDir = useTempDirs();
const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe.concurrent('pullpush: help, version and usage errors', () => {
  const cwd = tempDir();

  it('prints its version and its help', async () => {
    const version = await pullpush(['--version'], { cwd });
    expect(version).toMatchObject({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    const help = await pullpush(['--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pullpush');
    for (const command of ['validate', 'test', 'read', 'sync', 'state', 'schema', 'canonical', 'demo']) expect(help.stdout).toContain(`  ${command}`);
    expect(help.stdout).toContain('Exit codes:');
    expect((await pullpush([], { cwd })).stdout).toContain('Usage: pullpush');
  });

  it('has help with examples for every command', async () => {
    const commands = [['validate'], ['test'], ['read'], ['sync'], ['state'], ['state', 'show'], ['state', 'reset'], ['schema'], ['canonical'], ['canonical', 'list'], ['canonical', 'show'], ['demo']];
    const results = await Promise.all(commands.map((command) => pullpush([...command, '--help'], { cwd })));
    results.forEach((result, index) => {
      expect(result.code, commands[index]?.join(' ')).toBe(0);
      expect(result.stdout).toContain(`Usage: pullpush ${commands[index]?.join(' ')}`);
      expect(result.stdout).toContain('Examples:');
      expect(result.stdout).toContain('$ pullpush');
    });
  });

  it('exits 2 with a hint on usage errors', async () => {
    const [unknownCommand, unknownOption, missingArgument, notANumber, badDestination, stateWithSqlite, noSubcommand] = await Promise.all([
      pullpush(['frobnicate'], { cwd }),
      pullpush(['validate', 'x.json', '--jsno'], { cwd }),
      pullpush(['sync'], { cwd }),
      pullpush(['test', 'x.json', '--max-records', 'many'], { cwd }),
      pullpush(['sync', 'x.json', '--to', 'mysql://db'], { cwd }),
      pullpush(['sync', 'x.json', '--to', 'sqlite:x.db', '--state', 'state.db'], { cwd }),
      pullpush(['state'], { cwd }),
    ]);
    expect(unknownCommand).toMatchObject({ code: 2, stdout: '' });
    expect(unknownCommand.stderr).toContain("pullpush: unknown command 'frobnicate' [CLI_USAGE]");
    expect(unknownCommand.stderr).toContain('hint: Run `pullpush --help` for usage.');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--jsno'");
    expect(unknownOption.stderr).toContain('--json');
    expect(unknownOption.stderr).toContain('pullpush validate --help');
    expect(missingArgument.code).toBe(2);
    expect(missingArgument.stderr).toContain("missing required argument 'definition'");
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain('expected a positive integer');
    expect(badDestination.code).toBe(2);
    expect(badDestination.stderr).toContain('sqlite:<file>, jsonl:<file>, jsonl:- (standard output) or postgres://user@host/database');
    expect(stateWithSqlite.code).toBe(2);
    expect(stateWithSqlite.stderr).toContain('--state is for jsonl destinations');
    expect(noSubcommand.code).toBe(2);
    expect(noSubcommand.stderr).toContain('Usage: pullpush state');
    for (const result of [unknownCommand, unknownOption, missingArgument, notANumber, badDestination, stateWithSqlite]) {
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(hasAnsi(result.stderr)).toBe(false);
    }
  });
});

describe.concurrent('pullpush validate', () => {
  const dir = tempDir();

  it('accepts a valid definition, with its warnings, and exits 0', async () => {
    const result = await pullpush(['validate', join(SCHEMA_EXAMPLES, 'stripe.json')], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/stripe\.json: valid connector definition "stripe"/);
    expect(result.stderr).toBe('');
    const json = await pullpush(['validate', join(SCHEMA_EXAMPLES, 'stripe.json'), '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'definition', id: 'stripe', ok: true, errors: [] });
  });

  it('reports every error with code, pointer, message, hint and suggestion, and exits 1', async () => {
    const definition = shopDefinition();
    const text = JSON.stringify(definition, null, 2)
      .replace('"pagination": {', '"paginaton": {')
      // A second "id" key: JSON.parse would silently keep the last one.
      .replace('"id": "testkit-shop",', '"id": "testkit-shop",\n  "id": "other",');
    const file = join(dir, 'broken.json');
    await writeFile(file, text);
    const result = await pullpush(['validate', file], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DSL_DUPLICATE_KEY');
    expect(result.stdout).toMatch(/duplicate key "id" \(line 4, column 3\)/);
    expect(result.stdout).toContain('DSL_UNKNOWN_KEY');
    expect(result.stdout).toContain('/streams/locations/paginaton');
    expect(result.stdout).toContain('hint: Did you mean "pagination"?');
    expect(result.stdout).toContain('suggestion: pagination');
    expect(result.stdout).toMatch(/invalid connector definition "other": \d+ errors/);
    expect(hasAnsi(result.stdout)).toBe(false);

    const json = await pullpush(['validate', file, '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; errors: Array<Record<string, unknown>>; warnings: unknown[] };
    expect(report.ok).toBe(false);
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'DSL_UNKNOWN_KEY', pointer: '/streams/locations/paginaton', suggestion: 'pagination', severity: 'error' }));
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'DSL_DUPLICATE_KEY', pointer: '/id' }));
  });

  it('reports syntax errors with their line and column', async () => {
    const file = join(dir, 'syntax.json');
    await writeFile(file, '{\n  "dsl": "pullpush/v1",\n  "id": "x",,\n}\n');
    const result = await pullpush(['validate', file, '--json'], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { errors: Array<{ code: string; message: string }> };
    expect(report.errors[0]).toMatchObject({ code: 'DSL_INVALID_JSON', message: expect.stringMatching(/line 3, column 13/) });
  });

  it('validates flows, checking their streams against the source definition', async () => {
    const definition = writeJson(dir, 'shop.json', shopDefinition());
    const flow = writeJson(dir, 'flow.json', {
      dsl: 'pullpush/flow/v1',
      id: 'shop-to-sqlite',
      source: { connector: 'testkit-shop', connection: 'main', streams: ['orders', 'invoices'] },
      destination: { kind: 'sqlite', path: './shop.db' },
    });
    const result = await pullpush(['validate', flow, '--definition', definition, '--json'], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { kind: string; errors: Array<{ code: string; pointer: string }> };
    expect(report.kind).toBe('flow');
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'DSL_FLOW_UNKNOWN_STREAM' }));
    const example = await pullpush(['validate', join(SCHEMA_EXAMPLES, 'flow-stripe-to-sqlite.json')], { cwd: dir });
    expect(example.code).toBe(0);
    expect(example.stdout).toContain('valid flow "stripe-to-sqlite"');
  });

  it('reports a missing file as an error with its code, exit 1', async () => {
    const result = await pullpush(['validate', 'nope.json'], { cwd: dir });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('pullpush: Cannot read the file nope.json: no such file. [CLI_FILE]');
    expect(result.stderr).toContain('hint:');
    const json = await pullpush(['validate', 'nope.json', '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'CLI_FILE', message: expect.any(String), hint: expect.any(String) } });
  });

  it('colours only on request: none when piped or with NO_COLOR, some with FORCE_COLOR', async () => {
    const file = join(SCHEMA_EXAMPLES, 'github.json');
    const broken = writeJson(dir, 'colours.json', { dsl: 'pullpush/v1', id: 'x' });
    const [piped, noColor, forced] = await Promise.all([
      pullpush(['validate', broken], { cwd: dir }),
      pullpush(['validate', broken], { cwd: dir, env: { NO_COLOR: '1' } }),
      pullpush(['validate', broken], { cwd: dir, env: { FORCE_COLOR: '1' } }),
    ]);
    expect(piped.code).toBe(1);
    expect(hasAnsi(piped.stdout + piped.stderr)).toBe(false);
    expect(hasAnsi(noColor.stdout + noColor.stderr)).toBe(false);
    expect(hasAnsi(forced.stdout)).toBe(true);
    expect((await pullpush(['validate', file], { cwd: dir, env: { NO_COLOR: '1' } })).code).toBe(0);
  });
});

describe.concurrent('pullpush schema', () => {
  const cwd = tempDir();

  it('prints the JSON Schema of definitions and of flows', async () => {
    const [definition, flow] = await Promise.all([pullpush(['schema'], { cwd }), pullpush(['schema', '--flow'], { cwd })]);
    expect(definition.code).toBe(0);
    const schema = JSON.parse(definition.stdout) as Record<string, unknown>;
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'urn:pullpush:schema:connector-definition:v1' });
    expect(schema['properties']).toHaveProperty('streams');
    const published = JSON.parse(await readFile(new URL('../../schema/schema/connector-definition.v1.json', import.meta.url), 'utf8')) as unknown;
    expect(schema).toEqual(published);
    expect(JSON.parse(flow.stdout)).toMatchObject({ $id: 'urn:pullpush:schema:flow:v1' });
  });
});

describe.concurrent('pullpush canonical', () => {
  const cwd = tempDir();

  it('lists the canonical types as a table and as JSON', async () => {
    const [table, json] = await Promise.all([pullpush(['canonical', 'list'], { cwd }), pullpush(['canonical', 'list', '--json'], { cwd })]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^type\s+description$/m);
    expect(table.stdout).toMatch(/^commerce\.order@1\s+\S/m);
    const types = JSON.parse(json.stdout) as Array<{ type: string; name: string; version: number; description: string; key: string[] }>;
    expect(types).toContainEqual(expect.objectContaining({ type: 'commerce.order@1', name: 'commerce.order', version: 1, key: expect.any(Array) }));
    expect(types.length).toBeGreaterThan(5);
  });

  it('shows a type with its key fields and JSON Schema', async () => {
    const [text, json, unknown] = await Promise.all([
      pullpush(['canonical', 'show', 'commerce.stocklevel'], { cwd }),
      pullpush(['canonical', 'show', 'commerce.order@1', '--json'], { cwd }),
      pullpush(['canonical', 'show', 'commerce.ordr'], { cwd }),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^commerce\.stocklevel@1 — /);
    expect(text.stdout).toMatch(/^key: .*sku/m);
    expect(text.stdout).toContain('"$id": "urn:pullpush:canonical:commerce.stocklevel:1"');
    const order = JSON.parse(json.stdout) as { type: string; key: string[]; schema: Record<string, unknown> };
    expect(order).toMatchObject({ type: 'commerce.order@1', key: ['remote.connector', 'remote.connection', 'remote.id'] });
    expect(order.schema).toMatchObject({ $id: 'urn:pullpush:canonical:commerce.order:1', type: 'object' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('[CANONICAL_UNKNOWN_TYPE]');
  });
});
