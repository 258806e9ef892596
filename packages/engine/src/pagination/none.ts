// pagination kind "none": one response holds every record.
import type { Paginator } from './walk.ts';

export const noPagination: Paginator = {
  start: (first) => ({ first, next: async () => null, observations: [] }),
};
