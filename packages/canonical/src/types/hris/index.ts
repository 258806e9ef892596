// Built-in canonical types of the hris domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';

export const hrisTypes: readonly CanonicalTypeDefinition[] = [];
