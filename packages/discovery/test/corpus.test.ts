// Discovery and drafting on the real API descriptions in ../shared/apis (skipped when the folder is absent):
// auth and pagination agree with each SOURCE.md, and every draft validates with zero errors.
import { validateDefinition } from '@pullpush/schema';
import { describe, expect, it } from 'vitest';
import { testConnector } from '@pullpush/engine';
import { discover, draftConnector, mockConfig, startMockApi, verifyDraft, type ApiModel } from '../src/index.ts';
import { CORPUS, corpusFile, hasCorpus } from './corpus-facts.ts';

const models = new Map<string, ApiModel>();
async function modelOf(folder: string): Promise<ApiModel> {
  const facts = CORPUS.find((entry) => entry.folder === folder);
  if (!facts) throw new Error(`no facts for ${folder}`);
  const known = models.get(folder);
  if (known) return known;
  const model = await discover({ file: corpusFile(facts) });
  models.set(folder, model);
  return model;
}

describe.skipIf(!hasCorpus)('the real API descriptions in ../shared/apis', () => {
  if (!hasCorpus) console.warn('../shared/apis is missing: the corpus tests of discovery are skipped.');

  for (const facts of CORPUS) {
    describe(facts.folder, () => {
      it('finds list operations and the auth SOURCE.md names', { timeout: 60_000 }, async () => {
        const model = await modelOf(facts.folder);
        expect(model.listOperations.length).toBeGreaterThan(0);
        const draft = draftConnector(model);
        expect(facts.auth).toContain(draft.definition.auth.kind);
      });

      it('drafts the best streams and every list operation, each validating with zero errors, byte-identical twice', { timeout: 60_000 }, async () => {
        const model = await modelOf(facts.folder);
        const best = draftConnector(model);
        expect(validateDefinition(best.definition).errors).toEqual([]);
        expect(Object.keys(best.definition.streams).length).toBeGreaterThanOrEqual(Math.min(5, model.listOperations.length));
        const everything = draftConnector(model, { streams: [...new Set(model.listOperations.map((operation) => `GET ${operation.path}`))] });
        expect(validateDefinition(everything.definition).errors).toEqual([]);
        const again = draftConnector(await discover({ file: corpusFile(facts) }));
        expect(JSON.stringify(again)).toBe(JSON.stringify(best));
      });
    });
  }

  it('detects the pagination SOURCE.md describes for at least 90% of the operations it names', { timeout: 120_000 }, async () => {
    const misses: string[] = [];
    let checked = 0;
    for (const facts of CORPUS) {
      const model = await modelOf(facts.folder);
      for (const [path, kinds] of Object.entries(facts.operations)) {
        checked += 1;
        const operation = model.listOperations.find((candidate) => candidate.path === path);
        if (!operation || !kinds.includes(operation.pagination.spec.kind)) misses.push(`${facts.folder} GET ${path}: ${operation?.pagination.spec.kind ?? 'not found'}, expected ${kinds.join(' or ')}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);
    expect(misses.length / checked, misses.join('\n')).toBeLessThanOrEqual(0.1);
  });

  it('reads the Postman collection of Intercom with its variables resolved', { timeout: 60_000 }, async () => {
    const model = await discover({ file: corpusFile({ folder: 'intercom', file: 'postman_collection.json' }) });
    expect(model.format).toBe('postman-2.1');
    expect(model.servers[0]?.url).toBe('https://api.intercom.io');
    expect(model.authSchemes.map((scheme) => scheme.kind)).toContain('bearer');
    expect(model.skipped.some((entry) => entry.reason.includes('Postman collections hold no response schemas'))).toBe(true);
  });
});

describe.skipIf(!hasCorpus)('drafts against the mock API of their own description', () => {
  it('the mock refuses nothing a draft sends: the only refusals are the unauthenticated probes of the test run', { timeout: 300_000 }, async () => {
    for (const facts of CORPUS) {
      const model = await modelOf(facts.folder);
      const draft = draftConnector(model);
      const mock = await startMockApi(model);
      try {
        await testConnector(draft.definition, mockConfig(draft), { baseUrl: mock.url, allowPrivateNetwork: 'loopback', allowInsecureHttp: true });
        expect(mock.requests.filter((request) => request.status >= 400 && request.status !== 401), facts.folder).toEqual([]);
      } finally {
        await mock.close();
      }
    }
  });

  it('at least 9 of the 11 drafts pass the read-only test with no hand edits: two pages or more per paginated stream, no record failures', { timeout: 300_000 }, async () => {
    const verdicts: string[] = [];
    let passed = 0;
    for (const facts of CORPUS) {
      const model = await modelOf(facts.folder);
      const draft = draftConnector(model);
      const report = await verifyDraft(model, draft);
      const paged = report.streams.filter((stream) => draft.definition.streams[stream.stream]?.pagination?.kind !== 'none');
      const ok = report.verdict === 'pass' && paged.every((stream) => stream.pages >= 2) && report.streams.every((stream) => stream.failedRecords === 0 && stream.records > 0);
      if (ok) passed += 1;
      verdicts.push(`${facts.folder}: ${report.verdict}${report.auth.error ? ` (${report.auth.error.code})` : ''}; ${report.streams.map((stream) => `${stream.stream} ${stream.pages}p`).join(', ')}`);
    }
    expect(passed, verdicts.join('\n')).toBeGreaterThanOrEqual(9);
  });
});
