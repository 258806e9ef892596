// Writes the generated files from the TypeBox source: schema/*.json (the published JSON Schemas) and
// generated/dsl-validators.* (the DSL's validators as standalone code). Tests fail when they are stale.
import { mkdir, writeFile } from 'node:fs/promises';
import { generatedSchemaFiles } from '../src/json-schema.ts';
import { generatedValidatorFiles } from '../src/validate/standalone.ts';

for (const [path, content] of Object.entries({ ...generatedSchemaFiles(), ...generatedValidatorFiles() })) {
  const target = new URL(`../${path}`, import.meta.url);
  await mkdir(new URL('.', target), { recursive: true });
  await writeFile(target, content);
  console.log(`wrote ${target.pathname}`);
}
