// Built-in canonical types of the hris domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';
import { employeeV1 } from './employee.ts';

export { employeeV1, type Employee } from './employee.ts';

export const hrisTypes: readonly CanonicalTypeDefinition[] = [employeeV1];
