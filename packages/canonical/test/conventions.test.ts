import { describe, expect, it } from 'vitest';
import { checkConventions, listCanonicalTypes, typeRef } from '../src/index.ts';

describe('built-in canonical types', () => {
  it.each(listCanonicalTypes().map((definition) => [typeRef(definition), definition] as const))(
    '%s follows the canonical conventions',
    (_ref, definition) => {
      expect(checkConventions(definition)).toEqual([]);
    },
  );
});
