// Built-in canonical types of the accounting domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';
import { invoiceV1 } from './invoice.ts';
import { paymentV1 } from './payment.ts';

export { invoiceV1, type Invoice } from './invoice.ts';
export { paymentV1, type Payment } from './payment.ts';

export const accountingTypes: readonly CanonicalTypeDefinition[] = [invoiceV1, paymentV1];
