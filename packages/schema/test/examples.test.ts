// Every example document in packages/schema/examples must validate without errors: connector definitions with
// validateDefinition, flows with validateFlow.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateDefinition, validateFlow } from '../src/index.ts';

const examplesDir = new URL('../examples/', import.meta.url);
const files = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.json'))
  .sort();

function load(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')) as Record<string, unknown>;
}

describe('examples', () => {
  it('has examples to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s is a connector definition or a flow', (file) => {
    expect(['pullpush/v1', 'pullpush/flow/v1']).toContain(load(file)['dsl']);
  });

  it.each(files)('%s validates without errors', (file) => {
    const doc = load(file);
    const result = doc['dsl'] === 'pullpush/flow/v1' ? validateFlow(doc) : validateDefinition(doc);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
