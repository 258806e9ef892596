import Type from 'typebox';
import {
  Address,
  CanonicalRecord,
  MoneyField,
  Nullable,
  NullableEnumerated,
  NullableInteger,
  NullableText,
  RemoteRef,
  Url,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';
import { LIFECYCLE_STAGES } from './contact.ts';

export const companyV1 = defineCanonicalType({
  name: 'crm.company',
  version: 1,
  title: 'Company',
  description: 'An organisation in a CRM (account, organization): a prospect, customer or partner company.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A CRM company.', {
    name: NullableText('Company name.'),
    domain: NullableText('Primary web domain, without scheme (example.com).'),
    website: Url('Website URL.'),
    industry: NullableText('Industry as the source names it.'),
    employeeCount: NullableInteger('Number of employees.', { minimum: 0 }),
    annualRevenue: MoneyField('Annual revenue.'),
    phone: NullableText('Main phone number as written by the source.'),
    address: Nullable(Address, { description: 'Postal address; null when none was given.' }),
    ownerId: RemoteRef('User who owns the company.'),
    lifecycleStage: NullableEnumerated(LIFECYCLE_STAGES, 'Where the company stands in the marketing and sales funnel.'),
    tags: Type.Array(Type.String(), { description: 'Tags or labels of the company in the source.' }),
  }),
});
export type Company = CanonicalRecordOf<typeof companyV1>;
