// Built-in canonical types of the commerce domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';
import { customerV1 } from './customer.ts';
import { fulfillmentV1 } from './fulfillment.ts';
import { locationV1 } from './location.ts';
import { orderV1 } from './order.ts';
import { productV1 } from './product.ts';
import { stockLevelV1 } from './stock-level.ts';

export { customerV1, type Customer } from './customer.ts';
export { fulfillmentV1, type Fulfillment } from './fulfillment.ts';
export { locationV1, type Location } from './location.ts';
export { orderV1, type Order } from './order.ts';
export { productV1, type Product } from './product.ts';
export { stockLevelV1, type StockLevel } from './stock-level.ts';

export const commerceTypes: readonly CanonicalTypeDefinition[] = [
  orderV1,
  productV1,
  customerV1,
  stockLevelV1,
  locationV1,
  fulfillmentV1,
];
