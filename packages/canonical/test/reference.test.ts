import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { canonicalJsonSchema, listCanonicalTypes, renderCanonicalReference, typeRef } from '../src/index.ts';
import { generatedValidatorFiles } from '../src/standalone.ts';

describe('REFERENCE.md', () => {
  it('is current (regenerate with `npm run generate -w @pullpush/canonical`)', async () => {
    const stored = await readFile(new URL('../REFERENCE.md', import.meta.url), 'utf8');
    expect(stored).toBe(renderCanonicalReference(listCanonicalTypes()));
  });

  it('documents at least 17 types with a table each', () => {
    const reference = renderCanonicalReference(listCanonicalTypes());
    expect(reference.match(/^\| field \| type \| required \| description \|$/gm)?.length).toBeGreaterThanOrEqual(17);
  });
});

describe('generated validators', () => {
  it.each(Object.entries(generatedValidatorFiles()))('%s is current (regenerate with `npm run generate -w @pullpush/canonical`)', async (path, content) => {
    expect(await readFile(new URL(`../${path}`, import.meta.url), 'utf8')).toBe(content);
  });
});

describe('exported JSON Schemas', () => {
  it.each(listCanonicalTypes().map((definition) => [typeRef(definition)]))('%s compiles as a standalone draft 2020-12 schema', (ref) => {
    const schema = canonicalJsonSchema(ref);
    // A consumer's own Ajv, with unknown formats treated as annotations (as the 2020-12 spec allows).
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allowUnionTypes: true });
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema.$id).toBe(`urn:pullpush:canonical:${ref.replace('@', ':')}`);
  });
});
