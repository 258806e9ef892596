// Built-in canonical types of the commerce domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';
import { orderV1 } from './order.ts';

export { orderV1, type Order } from './order.ts';

export const commerceTypes: readonly CanonicalTypeDefinition[] = [orderV1];
