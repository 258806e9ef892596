// Built-in canonical types of the accounting domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';

export const accountingTypes: readonly CanonicalTypeDefinition[] = [];
