import Type from 'typebox';
import {
  Address,
  CanonicalRecord,
  Email,
  Enumerated,
  MoneyField,
  Nullable,
  NullableBoolean,
  NullableInteger,
  NullableText,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

export const customerV1 = defineCanonicalType({
  name: 'commerce.customer',
  version: 1,
  title: 'Customer',
  description: 'A customer of a shop: contact details, addresses, marketing consent and purchase history.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A shop customer.', {
    firstName: NullableText('Given name.'),
    lastName: NullableText('Family name.'),
    email: Email('Email address of the customer.'),
    phone: NullableText('Phone number as written by the source.'),
    addresses: Type.Array(Address, { description: 'Addresses the customer saved, in source order.' }),
    defaultAddress: Nullable(Address, { description: 'Default address; null when the customer has none.' }),
    acceptsMarketing: NullableBoolean('True when the customer agreed to receive marketing email.'),
    state: Enumerated(['enabled', 'disabled', 'invited', 'declined'], 'State of the customer account.'),
    totalSpent: MoneyField('Total the customer has spent across orders.'),
    ordersCount: NullableInteger('Number of orders the customer placed.', { minimum: 0 }),
    tags: Type.Array(Type.String(), { description: 'Tags of the customer in the source.' }),
    note: NullableText('Staff note about the customer.'),
    locale: NullableText('Preferred language as a BCP 47 tag (en-GB).'),
    taxExempt: NullableBoolean('True when the customer is exempt from tax.'),
  }),
});
export type Customer = CanonicalRecordOf<typeof customerV1>;
