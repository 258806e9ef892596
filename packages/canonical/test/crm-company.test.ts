import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { hubspotLikeCompany, pipedriveLikeOrganization } from './fixtures/crm-company.ts';

const problems = (value: unknown) => validateCanonical('crm.company@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('crm.company@1', () => {
  it('accepts a HubSpot-like company and a sparse Pipedrive-like organization', () => {
    expect(validateCanonical('crm.company@1', hubspotLikeCompany()).issues).toEqual([]);
    expect(validateCanonical('crm.company@1', pipedriveLikeOrganization()).issues).toEqual([]);
  });

  it('rejects float revenue, a fractional employee count and a bad website', () => {
    const variant = {
      ...hubspotLikeCompany(),
      annualRevenue: { amount: 85000000.5, currency: 'USD' },
      employeeCount: 12.5,
      website: 'not a url',
    };
    expect(problems(variant)).toEqual([
      ['/website', 'format'],
      ['/employeeCount', 'type'],
      ['/annualRevenue/amount', 'type'],
    ]);
  });

  it('rejects an unknown currency', () => {
    const variant = { ...hubspotLikeCompany(), annualRevenue: { amount: '85000000', currency: 'ZZZ' } };
    expect(problems(variant)).toEqual([['/annualRevenue/currency', 'format']]);
  });

  it('rejects a negative employee count, an unknown lifecycle stage, a missing field and an unknown field', () => {
    const { domain: _domain, ...company } = hubspotLikeCompany();
    const variant = {
      ...company,
      employeeCount: -1,
      lifecycleStage: { value: 'partner', native: 'partner' },
      linkedinUrl: 'https://linkedin.example/navy-labs',
    };
    expect(problems(variant)).toEqual([
      ['/domain', 'required'],
      ['/linkedinUrl', 'additionalProperties'],
      ['/employeeCount', 'minimum'],
      ['/lifecycleStage/value', 'enum'],
    ]);
  });
});
