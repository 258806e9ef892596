// Built-in canonical types of the common domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';

export const commonTypes: readonly CanonicalTypeDefinition[] = [];
