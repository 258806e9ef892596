// The discovery acceptance table over the real API descriptions in ../shared/apis: for each API the list operations
// found, the streams drafted, the auth drafted, how many of the operations SOURCE.md names got the pagination it
// describes, and the verdict of the draft's read-only test against the description's own mock API.
//   npm run discovery:corpus [-- --json]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { discover, draftConnector, verifyDraft } from '@pullpush/discovery';

interface ApiFacts {
  folder: string;
  file: string;
  auth: string[];
  operations: Record<string, string[]>;
}

const { values } = parseArgs({ options: { json: { type: 'boolean' } } });
const root = new URL('../../', import.meta.url).pathname;
const apis = join(root, '..', 'shared', 'apis');
if (!existsSync(apis)) {
  console.error(`${apis} is missing: there is nothing to report on.`);
  process.exit(1);
}
const facts = (JSON.parse(readFileSync(join(root, 'tools', 'discovery-corpus', 'facts.json'), 'utf8')) as { apis: ApiFacts[] }).apis;

const rows = [];
let agreeing = 0;
let checked = 0;
let passed = 0;
for (const api of facts) {
  const started = performance.now();
  const model = await discover({ file: join(apis, api.folder, api.file) });
  const discoverMs = Math.round(performance.now() - started);
  const draft = draftConnector(model);
  const report = await verifyDraft(model, draft);
  const named = Object.entries(api.operations);
  const agree = named.filter(([path, kinds]) => kinds.includes(model.listOperations.find((operation) => operation.path === path)?.pagination.spec.kind ?? '')).length;
  const kinds = [...new Set(Object.values(draft.definition.streams).map((stream) => stream.pagination?.kind ?? 'none'))];
  const paged = report.streams.filter((stream) => draft.definition.streams[stream.stream]?.pagination?.kind !== 'none');
  const pass = report.verdict === 'pass' && paged.every((stream) => stream.pages >= 2) && report.streams.every((stream) => stream.failedRecords === 0);
  agreeing += agree;
  checked += named.length;
  if (pass) passed += 1;
  rows.push({
    api: api.folder,
    operations: `${model.operations.list} of ${model.operations.get} GET`,
    streams: Object.keys(draft.definition.streams).length,
    canonical: Object.values(draft.definition.streams).filter((stream) => stream.canonical).length,
    auth: `${draft.definition.auth.kind}${api.auth.includes(draft.definition.auth.kind) ? '' : ' (SOURCE.md: ' + api.auth.join('/') + ')'}`,
    pagination: `${agree}/${named.length} agree; drafted ${kinds.join(', ')}`,
    verdict: pass ? 'pass' : `${report.verdict}${report.auth.error ? ` (${report.auth.error.code})` : ''}`,
    discoverMs,
  });
}

if (values.json) {
  console.log(JSON.stringify({ rows, agreeing, checked, passed, apis: facts.length }, null, 2));
} else {
  const headers = ['API', 'operations found', 'streams drafted', 'canonical', 'auth', 'pagination', 'verdict', 'discover ms'];
  const table = rows.map((row) => [row.api, row.operations, String(row.streams), String(row.canonical), row.auth, row.pagination, row.verdict, String(row.discoverMs)]);
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`| ${headers.map(() => '---').join(' | ')} |`);
  for (const row of table) console.log(`| ${row.join(' | ')} |`);
  console.log(`\nPagination agrees with SOURCE.md for ${agreeing} of ${checked} operations (${Math.round((agreeing / checked) * 100)}%); ${passed} of ${facts.length} drafts pass against their mock.`);
}
