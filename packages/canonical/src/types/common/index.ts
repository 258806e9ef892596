// Built-in canonical types of the common domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';
import { userV1 } from './user.ts';

export { userV1, type User } from './user.ts';

export const commonTypes: readonly CanonicalTypeDefinition[] = [userV1];
