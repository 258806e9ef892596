import Type from 'typebox';
import {
  CanonicalRecord,
  Enumerated,
  NullableEnumerated,
  NullableText,
  RemoteRef,
  Timestamp,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

export const taskV1 = defineCanonicalType({
  name: 'crm.task',
  version: 1,
  title: 'Task',
  description: 'A to-do in a CRM (follow up, call back), with its status, priority, due date and related records.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A CRM task.', {
    title: NullableText('Title of the task.'),
    body: NullableText('Description or notes of the task.'),
    status: Enumerated(['open', 'in_progress', 'completed', 'cancelled'], 'Where the task stands.'),
    priority: NullableEnumerated(['low', 'normal', 'high', 'urgent'], 'How urgent the task is.'),
    dueAt: Timestamp('When the task is due.'),
    completedAt: Timestamp('When the task was completed.'),
    ownerId: RemoteRef('User the task is assigned to.'),
    contactIds: Type.Array(Type.String({ minLength: 1 }), { description: 'Remote ids of the related contacts.' }),
    companyId: RemoteRef('Related company.'),
    dealId: RemoteRef('Related deal.'),
  }),
});
export type Task = CanonicalRecordOf<typeof taskV1>;
