import { describe, expect, it } from 'vitest';
import { parseDocumentText, validateDefinitionText, validateFlowText } from '../src/index.ts';
import { shopDefinition } from './fixtures.ts';

describe('validateDefinitionText', () => {
  it('accepts a valid definition', () => {
    expect(validateDefinitionText(JSON.stringify(shopDefinition(), null, 2)).errors).toEqual([]);
  });

  it('reports two streams of the same name, which JSON.parse would silently merge', () => {
    const text = JSON.stringify(shopDefinition(), null, 2).replace('"stock": {', '"customers": {');
    const { errors } = validateDefinitionText(text);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'DSL_DUPLICATE_KEY', pointer: '/streams/customers', message: expect.stringMatching(/line \d+, column \d+/) }),
    ]);
  });

  it('reports syntax errors with line and column, and no value', () => {
    const parsed = parseDocumentText('{\n  "dsl": "pullpush/v1",\n  "id": ,\n}');
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems[0]).toMatchObject({ code: 'DSL_INVALID_JSON', message: expect.stringContaining('line 3') });
    expect(validateDefinitionText('{ // comment\n}').errors[0]?.code).toBe('DSL_INVALID_JSON');
    expect(validateFlowText('[').ok).toBe(false);
  });
});
