// The README's definition and flow must validate as shown.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EXPRESSION_CONTEXTS, validateDefinition, validateFlow } from '../src/index.ts';

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1] ?? 'null') as Record<string, unknown>);

describe('README examples', () => {
  it('show one definition and one flow', () => {
    expect(blocks.map((block) => block['dsl'])).toEqual(['pullpush/v1', 'pullpush/flow/v1']);
  });

  it('the definition validates without errors or warnings', () => {
    expect(validateDefinition(blocks[0])).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('the flow validates against the definition', () => {
    const result = validateFlow(blocks[1], { definitions: { 'acme-shop': blocks[0] } });
    expect(result.errors).toEqual([]);
  });

  it('prints the documented message for a misspelled key', () => {
    const doc = structuredClone(blocks[0]) as { streams: { customers: Record<string, unknown> } };
    doc.streams.customers['paginaton'] = doc.streams.customers['pagination'];
    delete doc.streams.customers['pagination'];
    const [error] = validateDefinition(doc).errors;
    expect(`${error?.code} ${error?.pointer}: ${error?.message}`).toBe('DSL_UNKNOWN_KEY /streams/customers/paginaton: unknown key "paginaton"');
    expect(error?.hint).toMatch(/^Did you mean "pagination"\?/);
  });
});

describe('README context table', () => {
  it('lists every context with exactly the variables the schema declares', () => {
    const rows = new Map([...readme.matchAll(/^\| `(\w+)` \| [^|]+ \| ([^|]+) \|$/gm)].map((match) => [match[1], [...(match[2] ?? '').matchAll(/`\$(\w+)`/g)].map((v) => v[1])]));
    for (const [name, declaration] of Object.entries(EXPRESSION_CONTEXTS)) expect(rows.get(name), name).toEqual([...declaration.variables]);
  });
});
