import Type from 'typebox';
import {
  Address,
  CanonicalRecord,
  DateOnly,
  Email,
  Enumerated,
  MoneyField,
  Nullable,
  NullableEnumerated,
  NullableText,
  RemoteRef,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

const Compensation = Type.Object(
  {
    payRate: MoneyField('Pay per pay period, gross.'),
    payPeriod: NullableEnumerated(['hour', 'day', 'week', 'month', 'year'], 'Period the pay rate is for.'),
    payFrequency: NullableEnumerated(['weekly', 'biweekly', 'semimonthly', 'monthly'], 'How often the employee is paid.'),
  },
  { additionalProperties: false, description: 'Current compensation of the employee.' },
);

export const employeeV1 = defineCanonicalType({
  name: 'hris.employee',
  version: 1,
  title: 'Employee',
  description: 'A person employed or engaged by the company, with their job, manager, employment and pay.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('An employee.', {
    employeeNumber: NullableText('Employee number given by the employer (E-0042).'),
    firstName: NullableText('Given name.'),
    lastName: NullableText('Family name.'),
    displayName: NullableText('Name as shown in the source (preferred name and family name).'),
    workEmail: Email('Work email address.'),
    personalEmail: Email('Personal email address.'),
    phone: NullableText('Work or mobile phone number as written by the source.'),
    jobTitle: NullableText('Job title.'),
    department: NullableText('Department or team name.'),
    managerId: RemoteRef('Employee the employee reports to.'),
    employmentStatus: Enumerated(['active', 'pending', 'on_leave', 'terminated'], 'Where the employment stands.'),
    employmentType: NullableEnumerated(
      ['full_time', 'part_time', 'contractor', 'intern', 'temporary'],
      'Kind of employment.',
    ),
    startDate: DateOnly('First day of employment.'),
    terminationDate: DateOnly('Last day of employment.'),
    dateOfBirth: DateOnly('Date of birth.'),
    gender: NullableEnumerated(['female', 'male', 'non_binary', 'undisclosed'], 'Gender as recorded by the source.'),
    location: NullableText('Work location or office name (London HQ, Remote).'),
    workAddress: Nullable(Address, { description: 'Address of the work location; null when none is known.' }),
    compensation: Nullable(Compensation, { description: 'Current compensation; null when the source does not share it.' }),
  }),
});
export type Employee = CanonicalRecordOf<typeof employeeV1>;
