// Built-in canonical types of the crm domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';

export const crmTypes: readonly CanonicalTypeDefinition[] = [];
