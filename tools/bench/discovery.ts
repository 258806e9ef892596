// Discovery of the largest API description in ../shared/apis: wall time and peak RSS of reading, upgrading,
// dereferencing and discovering it, each run in a fresh process, against parsing the same file alone (JSON.parse
// or the yaml package) in the same run. Goals (issue 14): under 3 s and under 500 MB RSS.
//   npm run bench:discovery [-- --runs 3]
import { discover } from '@pullpush/discovery';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { median } from './measure.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, child: { type: 'string' }, file: { type: 'string' } } });

if (values.child) {
  // One measurement in this fresh process: { ms, rssMb }.
  const file = values.file as string;
  const started = performance.now();
  if (values.child === 'discover') {
    const model = await discover({ file });
    if (model.listOperations.length === 0) throw new Error('nothing discovered');
  } else {
    const text = readFileSync(file, 'utf8');
    const parsed: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 10_000 });
    if (!parsed) throw new Error('empty');
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const apis = join(new URL('../../', import.meta.url).pathname, '..', 'shared', 'apis');
if (!existsSync(apis)) {
  console.error(`${apis} is missing: no description to measure.`);
  process.exit(1);
}
const files = readdirSync(apis, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => ['openapi.json', 'openapi.yaml'].map((name) => join(apis, entry.name, name)).filter(existsSync));
const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0] as string;
const runs = Number(values.runs);

function run(kind: string): { ms: number; rssMb: number } {
  const output = execFileSync(process.execPath, ['--conditions=@pullpush/source', new URL(import.meta.url).pathname, '--child', kind, '--file', largest], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1) as string) as { ms: number; rssMb: number };
}

const parse = Array.from({ length: runs }, () => run('parse'));
const discovered = Array.from({ length: runs }, () => run('discover'));
const summary = (samples: Array<{ ms: number; rssMb: number }>) => ({ ms: Math.round(median(samples.map((sample) => sample.ms))), rssMb: Math.round(Math.max(...samples.map((sample) => sample.rssMb))) });
const baseline = summary(parse);
const result = summary(discovered);
console.log(`largest description: ${largest} (${(statSync(largest).size / 1e6).toFixed(2)} MB), medians of ${runs} fresh processes`);
console.log(`  parse alone:  ${baseline.ms} ms, peak RSS ${baseline.rssMb} MB`);
console.log(`  discover:     ${result.ms} ms, peak RSS ${result.rssMb} MB  (${(result.ms / baseline.ms).toFixed(2)}× the parse; goals: < 3000 ms, < 500 MB)`);
