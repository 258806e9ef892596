import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { definitionJsonSchema, flowJsonSchema, generatedSchemaFiles, migrateDefinition, type DslMigration } from '../src/index.ts';
import { generatedValidatorFiles } from '../src/validate/standalone.ts';
import { shopDefinition } from './fixtures.ts';

describe('published JSON Schemas', () => {
  it.each(Object.entries({ ...generatedSchemaFiles(), ...generatedValidatorFiles() }))('%s equals the TypeBox source (regenerate with `npm run generate -w @pullpush/schema`)', async (path, content) => {
    expect(await readFile(new URL(`../${path}`, import.meta.url), 'utf8')).toBe(content);
  });

  it('validates a definition in a plain Ajv, as an editor or another tool would', () => {
    const ajv = new Ajv2020({ strict: false, discriminator: true, validateFormats: false });
    const validate = ajv.compile(definitionJsonSchema());
    expect(validate(shopDefinition())).toBe(true);
    expect(validate({ ...shopDefinition(), streams: {} })).toBe(false);
  });

  it('are valid JSON Schema 2020-12 (the validator compiles them without checking that on every start)', () => {
    const ajv = new Ajv2020({ strict: false });
    for (const schema of [definitionJsonSchema(), flowJsonSchema()]) expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
  });
});

describe('migrateDefinition', () => {
  it('returns a copy of a v1 document', () => {
    const doc = shopDefinition();
    const migrated = migrateDefinition(doc);
    expect(migrated).toEqual(doc);
    expect(migrated).not.toBe(doc);
  });

  it('applies a chain of migrations step by step', () => {
    const migrations: DslMigration[] = [
      { from: 'pullpush/v0', to: 'pullpush/v0.5', migrate: ({ title, ...doc }) => ({ ...doc, name: title }) },
      { from: 'pullpush/v0.5', to: 'pullpush/v1', migrate: (doc) => ({ ...doc, version: '1.0.0' }) },
    ];
    const { name, version: _version, ...rest } = shopDefinition();
    const old = { ...rest, dsl: 'pullpush/v0', title: name };
    expect(migrateDefinition(old, migrations)).toEqual(shopDefinition());
    expect(old['dsl']).toBe('pullpush/v0');
  });

  it('refuses a version it cannot reach, with a coded error', () => {
    expect(() => migrateDefinition({ ...shopDefinition(), dsl: 'pullpush/v9' })).toThrow(
      expect.objectContaining({ code: 'DSL_UNSUPPORTED_VERSION', issues: [expect.objectContaining({ pointer: '/dsl' })] }),
    );
    const loop: DslMigration[] = [
      { from: 'a', to: 'b', migrate: (doc) => doc },
      { from: 'b', to: 'a', migrate: (doc) => doc },
    ];
    expect(() => migrateDefinition({ dsl: 'a' }, loop)).toThrow(/Cannot migrate/);
  });
});
