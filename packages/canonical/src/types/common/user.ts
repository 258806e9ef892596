import {
  CanonicalRecord,
  Email,
  Enumerated,
  NullableBoolean,
  NullableText,
  Timestamp,
  Url,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

export const userV1 = defineCanonicalType({
  name: 'common.user',
  version: 1,
  title: 'User',
  description: 'A user of the source system (agent, staff member, employee account) that records are owned by or assigned to.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A user of the source system.', {
    name: NullableText('Display name.'),
    email: Email('Email address of the user.'),
    username: NullableText('Login or handle, when the source has one besides the email.'),
    role: NullableText('Role as the source names it (Sales Manager, agent).'),
    status: Enumerated(['active', 'inactive', 'invited', 'suspended'], 'Whether the account can be used.'),
    isAdmin: NullableBoolean('True when the user administers the source account.'),
    timezone: NullableText('IANA time zone of the user (Europe/Paris).'),
    avatarUrl: Url('Link to the user\'s avatar image.'),
    lastLoginAt: Timestamp('When the user last signed in.'),
  }),
});
export type User = CanonicalRecordOf<typeof userV1>;
