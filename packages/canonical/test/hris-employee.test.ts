import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { bambooLikeEmployee } from './fixtures/hris-employee.ts';

const issuesOf = (value: unknown) =>
  validateCanonical('hris.employee@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('hris.employee@1', () => {
  it('accepts a BambooHR-like employee', () => {
    expect(validateCanonical('hris.employee@1', bambooLikeEmployee()).issues).toEqual([]);
  });

  it('accepts an employee whose pay and address the source does not share', () => {
    const employee = { ...bambooLikeEmployee(), compensation: null, workAddress: null, gender: null, dateOfBirth: null };
    expect(validateCanonical('hris.employee', employee).issues).toEqual([]);
  });

  it('rejects float pay, a bad currency, an impossible date and a bad email with exact pointers', () => {
    const employee = bambooLikeEmployee() as unknown as Record<string, unknown>;
    employee['compensation'] = {
      payRate: { amount: 145000, currency: 'DOLLAR' },
      payPeriod: { value: 'year', native: 'Year' },
      payFrequency: null,
    };
    employee['startDate'] = '2026-13-01';
    employee['workEmail'] = 'grace at acme';
    employee['workAddress'] = { ...(employee['workAddress'] as object), country: 'USA' };
    expect(issuesOf(employee).sort()).toEqual([
      ['/compensation/payRate/amount', 'type'],
      ['/compensation/payRate/currency', 'pattern'],
      ['/startDate', 'format'],
      ['/workAddress/country', 'pattern'],
      ['/workEmail', 'format'],
    ]);
  });

  it('rejects unknown enum values, a missing field and an unknown field', () => {
    const employee = bambooLikeEmployee() as unknown as Record<string, unknown>;
    employee['employmentStatus'] = { value: 'retired', native: 'Retired' };
    employee['compensation'] = { payRate: null, payPeriod: { value: 'fortnight', native: null }, payFrequency: null };
    delete employee['managerId'];
    employee['shirtSize'] = 'M';
    expect(issuesOf(employee).sort()).toEqual([
      ['/compensation/payPeriod/value', 'enum'],
      ['/employmentStatus/value', 'enum'],
      ['/managerId', 'required'],
      ['/shirtSize', 'additionalProperties'],
    ]);
  });
});
