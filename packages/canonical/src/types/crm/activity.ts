import Type from 'typebox';
import {
  CanonicalRecord,
  Email,
  Enumerated,
  Nullable,
  NullableEnumerated,
  NullableInteger,
  NullableText,
  RemoteRef,
  Timestamp,
  Url,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

const DIRECTIONS = ['inbound', 'outbound'] as const;
const EmailAddress = (description: string) => Type.String({ format: 'email', description });

const CallDetails = Type.Object(
  {
    direction: Enumerated(DIRECTIONS, 'Who placed the call.'),
    durationSeconds: NullableInteger('Length of the call in seconds.', { minimum: 0 }),
    outcome: NullableEnumerated(['connected', 'no_answer', 'busy', 'voicemail', 'failed'], 'How the call ended.'),
    recording: Url('Link to the call recording.'),
  },
  { additionalProperties: false, description: 'Details of a call.' },
);

const MeetingAttendee = Type.Object(
  {
    email: Email('Email address of the attendee.'),
    name: NullableText('Name of the attendee.'),
    response: Enumerated(['accepted', 'declined', 'tentative', 'needs_action'], 'The attendee\'s answer to the invitation.'),
  },
  { additionalProperties: false, description: 'A person invited to the meeting.' },
);

const MeetingDetails = Type.Object(
  {
    startsAt: Timestamp('When the meeting starts.'),
    endsAt: Timestamp('When the meeting ends.'),
    location: NullableText('Place or video-call link as written by the source.'),
    attendees: Type.Array(MeetingAttendee, { description: 'People invited, in source order.' }),
  },
  { additionalProperties: false, description: 'Details of a meeting.' },
);

const EmailDetails = Type.Object(
  {
    direction: Enumerated(DIRECTIONS, 'Whether the email was received or sent.'),
    from: Email('Sender address.'),
    to: Type.Array(EmailAddress('A recipient address.'), { description: 'Recipient addresses.' }),
    cc: Type.Array(EmailAddress('A copied address.'), { description: 'Copied addresses.' }),
    subject: NullableText('Subject line of the email.'),
  },
  { additionalProperties: false, description: 'Details of a logged email.' },
);

export const activityV1 = defineCanonicalType({
  name: 'crm.activity',
  version: 1,
  title: 'Activity',
  description: 'An engagement logged in a CRM (call, meeting, email or note), with the records it relates to.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A CRM activity.', {
    kind: Enumerated(['call', 'meeting', 'email', 'note'], 'What kind of activity this is.'),
    subject: NullableText('Title or subject of the activity.'),
    body: NullableText('Body, notes or transcript summary, as text or the source\'s markup.'),
    occurredAt: Timestamp('When the activity happened (start of a call or meeting, sending of an email).'),
    ownerId: RemoteRef('User who logged or owns the activity.'),
    contactIds: Type.Array(Type.String({ minLength: 1 }), { description: 'Remote ids of the related contacts.' }),
    companyId: RemoteRef('Related company.'),
    dealId: RemoteRef('Related deal.'),
    call: Nullable(CallDetails, { description: 'Call details; null unless the activity is a call.' }),
    meeting: Nullable(MeetingDetails, { description: 'Meeting details; null unless the activity is a meeting.' }),
    email: Nullable(EmailDetails, { description: 'Email details; null unless the activity is an email.' }),
  }),
});
export type Activity = CanonicalRecordOf<typeof activityV1>;
