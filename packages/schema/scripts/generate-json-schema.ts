// Writes schema/*.json from the TypeBox source; test/json-schema.test.ts fails when they are stale.
import { mkdir, writeFile } from 'node:fs/promises';
import { generatedSchemaFiles } from '../src/json-schema.ts';

for (const [path, content] of Object.entries(generatedSchemaFiles())) {
  const target = new URL(`../${path}`, import.meta.url);
  await mkdir(new URL('.', target), { recursive: true });
  await writeFile(target, content);
  console.log(`wrote ${target.pathname}`);
}
