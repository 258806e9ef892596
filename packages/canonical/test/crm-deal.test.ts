import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { hubspotLikeDeal, pipedriveLikeWonDeal } from './fixtures/crm-deal.ts';

const problems = (value: unknown) => validateCanonical('crm.deal@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('crm.deal@1', () => {
  it('accepts a HubSpot-like open deal and a Pipedrive-like won deal', () => {
    expect(validateCanonical('crm.deal@1', hubspotLikeDeal()).issues).toEqual([]);
    expect(validateCanonical('crm.deal@1', pipedriveLikeWonDeal()).issues).toEqual([]);
  });

  it('rejects a float amount, a probability above 1, a bad close date and an unknown stage kind', () => {
    const deal = hubspotLikeDeal();
    const variant = {
      ...deal,
      amount: { amount: 48500.5, currency: 'USD' },
      probability: 90,
      expectedCloseDate: '31/03/2026',
      stage: { ...deal.stage, kind: { value: 'stalled', native: 'stalled' } },
    };
    expect(problems(variant)).toEqual([
      ['/amount/amount', 'type'],
      ['/stage/kind/value', 'enum'],
      ['/probability', 'maximum'],
      ['/expectedCloseDate', 'format'],
    ]);
  });

  it('rejects an amount in exponent notation, a missing pipeline name, an empty contact id and an unknown field', () => {
    const deal = hubspotLikeDeal();
    const variant = {
      ...deal,
      amount: { amount: '4.85e4', currency: 'USD' },
      pipeline: { id: deal.pipeline.id },
      contactIds: ['51', ''],
      forecastCategory: 'commit',
    };
    expect(problems(variant)).toEqual([
      ['/forecastCategory', 'additionalProperties'],
      ['/amount/amount', 'pattern'],
      ['/pipeline/name', 'required'],
      ['/contactIds/1', 'minLength'],
    ]);
  });
});
