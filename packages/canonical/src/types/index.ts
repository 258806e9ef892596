// Every built-in canonical type, by domain.
import type { CanonicalTypeDefinition } from '../definition.ts';
import { accountingTypes } from './accounting/index.ts';
import { commerceTypes } from './commerce/index.ts';
import { commonTypes } from './common/index.ts';
import { crmTypes } from './crm/index.ts';
import { hrisTypes } from './hris/index.ts';
import { ticketingTypes } from './ticketing/index.ts';

export const builtinTypes: readonly CanonicalTypeDefinition[] = [
  ...commerceTypes,
  ...crmTypes,
  ...accountingTypes,
  ...ticketingTypes,
  ...hrisTypes,
  ...commonTypes,
];
