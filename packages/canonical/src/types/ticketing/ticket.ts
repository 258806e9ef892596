import Type from 'typebox';
import {
  CanonicalRecord,
  DateOnly,
  Enumerated,
  NullableEnumerated,
  NullableText,
  RemoteRef,
  Timestamp,
  Url,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

export const ticketV1 = defineCanonicalType({
  name: 'ticketing.ticket',
  version: 1,
  title: 'Ticket',
  description: 'An issue or support ticket: what it is about, where it stands, who works on it and when it is due.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('An issue or support ticket.', {
    number: NullableText('Key or number shown to people (PROJ-123, #4521).'),
    title: NullableText('Title or summary of the ticket.'),
    description: NullableText('Body of the ticket as text, markdown or HTML, as the source gives it.'),
    status: Enumerated(['open', 'in_progress', 'pending', 'resolved', 'closed'], 'Where the ticket stands.'),
    statusCategory: NullableEnumerated(
      ['todo', 'in_progress', 'done'],
      'Status category of the source (Jira: To Do, In Progress, Done).',
    ),
    priority: NullableEnumerated(['lowest', 'low', 'medium', 'high', 'highest', 'urgent'], 'Priority of the ticket.'),
    type: NullableEnumerated(
      ['bug', 'task', 'story', 'epic', 'subtask', 'incident', 'question', 'problem'],
      'Kind of ticket.',
    ),
    projectId: RemoteRef('Project, board or queue the ticket belongs to.'),
    projectKey: NullableText('Key of that project (PROJ).'),
    assigneeId: RemoteRef('User the ticket is assigned to.'),
    reporterId: RemoteRef('User who reported or requested the ticket.'),
    parentId: RemoteRef('Parent ticket (epic, parent issue).'),
    labels: Type.Array(Type.String(), { description: 'Labels or tags of the ticket in the source.' }),
    dueDate: DateOnly('Date the ticket is due.'),
    resolvedAt: Timestamp('When the ticket was resolved.'),
    url: Url('Link to the ticket in the source for people.'),
  }),
});
export type Ticket = CanonicalRecordOf<typeof ticketV1>;
