// Validation of a 50-stream connector definition: the median time of validateDefinition after the first
// (compiling) call, and definitions per second, against Ajv's structural check alone in the same run.
//   npm run bench:schema [-- --seconds 1 --rounds 5]
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ConnectorDefinition, validateDefinition } from '@pullpush/schema';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { measure, printTable } from './measure.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '1' }, rounds: { type: 'string', default: '5' }, json: { type: 'boolean' } },
});

// The Stripe example, its customers stream copied until the definition has fifty streams. Each copy's
// expressions get a distinct comment, so none is a repeat of another (as in a real 50-stream definition).
const stripe = JSON.parse(await readFile(new URL('../../packages/schema/examples/stripe.json', import.meta.url), 'utf8'));
const streams: Record<string, unknown> = { ...stripe.streams };
const customers = JSON.stringify(stripe.streams.customers);
for (let i = 1; Object.keys(streams).length < 50; i += 1) {
  streams[`customers_${i}`] = JSON.parse(customers.replaceAll('"expr":"', `"expr":"/* copy ${i} */ `));
}
const definition = { ...stripe, streams };

const first = performance.now();
const result = validateDefinition(definition);
const firstMs = performance.now() - first;
if (!result.ok) throw new Error(`the benchmark definition must be valid: ${JSON.stringify(result.errors[0])}`);

const ajv = new Ajv2020({ allErrors: true, strict: false, discriminator: true, validateFormats: false });
const structural = ajv.compile(ConnectorDefinition);

const options = { seconds: Number(values.seconds), rounds: Number(values.rounds) };
const results = [
  measure('ajv structural only (50 streams)', () => structural(definition), options),
  measure('validateDefinition (50 streams)', () => validateDefinition(definition).ok, options),
];
const full = results[1]?.opsPerSecond ?? NaN;
if (!values.json) {
  console.log(`first call (compiles the schema): ${firstMs.toFixed(1)} ms`);
  console.log(`median validateDefinition after the first call: ${(1000 / full).toFixed(2)} ms (goal < 5 ms)`);
}
printTable(results, [['validateDefinition (50 streams)', 'ajv structural only (50 streams)']], values.json ?? false);
