// Writes REFERENCE.md from the canonical type definitions; `test/reference.test.ts` fails when it is stale.
import { writeFile } from 'node:fs/promises';
import { listCanonicalTypes, renderCanonicalReference } from '../src/index.ts';

const target = new URL('../REFERENCE.md', import.meta.url);
await writeFile(target, renderCanonicalReference(listCanonicalTypes()));
console.log(`wrote ${target.pathname}`);
