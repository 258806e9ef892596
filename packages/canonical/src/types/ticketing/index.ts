// Built-in canonical types of the ticketing domain.
import type { CanonicalTypeDefinition } from '../../definition.ts';
import { commentV1 } from './comment.ts';
import { ticketV1 } from './ticket.ts';

export { commentV1, type Comment } from './comment.ts';
export { ticketV1, type Ticket } from './ticket.ts';

export const ticketingTypes: readonly CanonicalTypeDefinition[] = [ticketV1, commentV1];
