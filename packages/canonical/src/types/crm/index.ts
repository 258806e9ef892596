// Built-in canonical types of the crm domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';
import { activityV1 } from './activity.ts';
import { companyV1 } from './company.ts';
import { contactV1 } from './contact.ts';
import { dealV1 } from './deal.ts';
import { taskV1 } from './task.ts';

export { activityV1, type Activity } from './activity.ts';
export { companyV1, type Company } from './company.ts';
export { contactV1, type Contact } from './contact.ts';
export { dealV1, type Deal } from './deal.ts';
export { taskV1, type Task } from './task.ts';

export const crmTypes: readonly CanonicalTypeDefinition[] = [contactV1, companyV1, dealV1, activityV1, taskV1];
