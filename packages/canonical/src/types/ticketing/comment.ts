import {
  CanonicalRecord,
  Enumerated,
  NullableBoolean,
  NullableText,
  RemoteRef,
  Text,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

export const commentV1 = defineCanonicalType({
  name: 'ticketing.comment',
  version: 1,
  title: 'Comment',
  description: 'A comment on a ticket: a public reply or an internal note.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A comment on a ticket.', {
    ticketId: Text('Ticket the comment belongs to; remote id in the same source.', { minLength: 1 }),
    authorId: RemoteRef('User who wrote the comment.'),
    body: NullableText('Body of the comment, in the format given by bodyFormat.'),
    bodyFormat: Enumerated(['plain', 'markdown', 'html', 'adf'], 'Format of the body (adf: Atlassian Document Format as JSON text).'),
    isPublic: NullableBoolean('True for a reply visible to the requester, false for an internal note.'),
  }),
});
export type Comment = CanonicalRecordOf<typeof commentV1>;
