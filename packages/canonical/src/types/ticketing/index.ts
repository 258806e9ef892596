// Built-in canonical types of the ticketing domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';

export const ticketingTypes: readonly CanonicalTypeDefinition[] = [];
