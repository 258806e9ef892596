// Writes the generated files from the canonical type definitions: REFERENCE.md and generated/type-validators.cjs
// (the built-in types' validators as Ajv standalone code). Tests fail when they are stale.
import { mkdir, writeFile } from 'node:fs/promises';
import { listCanonicalTypes, renderCanonicalReference } from '../src/index.ts';
import { generatedValidatorFiles } from '../src/standalone.ts';

for (const [path, content] of Object.entries({ 'REFERENCE.md': renderCanonicalReference(listCanonicalTypes()), ...generatedValidatorFiles() })) {
  const target = new URL(`../${path}`, import.meta.url);
  await mkdir(new URL('.', target), { recursive: true });
  await writeFile(target, content);
  console.log(`wrote ${target.pathname}`);
}
