import Type from 'typebox';
import {
  Address,
  CanonicalRecord,
  Enumerated,
  Nullable,
  NullableEnumerated,
  NullableText,
  RemoteRef,
  Text,
  Timestamp,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

/** Lifecycle stages shared by contacts and companies (HubSpot's list; other CRMs map onto it). */
export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketing_qualified',
  'sales_qualified',
  'opportunity',
  'customer',
  'evangelist',
] as const;

const ContactEmail = Type.Object(
  {
    address: Text('The email address.', { format: 'email' }),
    kind: Enumerated(['work', 'personal'], 'What the address is used for.'),
    primary: Type.Boolean({ description: 'True for the contact\'s primary address.' }),
  },
  { additionalProperties: false, description: 'An email address of the contact.' },
);

const ContactPhone = Type.Object(
  {
    number: Text('Phone number as written by the source.', { minLength: 1 }),
    kind: Enumerated(['mobile', 'work', 'home', 'fax'], 'What kind of line the number is.'),
  },
  { additionalProperties: false, description: 'A phone number of the contact.' },
);

export const contactV1 = defineCanonicalType({
  name: 'crm.contact',
  version: 1,
  title: 'Contact',
  description: 'A person in a CRM: a lead, a prospect or a customer contact, with their emails, phones and company.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A CRM contact.', {
    firstName: NullableText('Given name.'),
    lastName: NullableText('Family name.'),
    fullName: NullableText('Full name as the source shows it.'),
    emails: Type.Array(ContactEmail, { description: 'Email addresses, primary first when the source says which.' }),
    phones: Type.Array(ContactPhone, { description: 'Phone numbers, in source order.' }),
    companyId: RemoteRef('Company the contact works for.'),
    jobTitle: NullableText('Job title.'),
    lifecycleStage: NullableEnumerated(LIFECYCLE_STAGES, 'Where the contact stands in the marketing and sales funnel.'),
    ownerId: RemoteRef('User who owns the contact.'),
    address: Nullable(Address, { description: 'Postal address; null when none was given.' }),
    lastActivityAt: Timestamp('When the last activity (call, email, meeting) with the contact happened.'),
    tags: Type.Array(Type.String(), { description: 'Tags or labels of the contact in the source.' }),
  }),
});
export type Contact = CanonicalRecordOf<typeof contactV1>;
