import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { hubspotLikeContact, salesforceLikeLead } from './fixtures/crm-contact.ts';

const problems = (value: unknown) => validateCanonical('crm.contact@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('crm.contact@1', () => {
  it('accepts a HubSpot-like contact and a Salesforce-like lead', () => {
    expect(validateCanonical('crm.contact@1', hubspotLikeContact()).issues).toEqual([]);
    expect(validateCanonical('crm.contact@1', salesforceLikeLead()).issues).toEqual([]);
  });

  it('rejects an email without @, an unknown phone kind and an unknown lifecycle stage', () => {
    const contact = hubspotLikeContact();
    const [work, personal] = contact.emails;
    const [phone, mobile] = contact.phones;
    const variant = {
      ...contact,
      emails: [{ ...work, address: 'grace.hopper.navy-labs.example' }, personal],
      phones: [phone, { ...mobile, kind: { value: 'pager', native: 'pager' } }],
      lifecycleStage: { value: 'prospect', native: 'prospect' },
    };
    expect(problems(variant)).toEqual([
      ['/emails/0/address', 'format'],
      ['/phones/1/kind/value', 'enum'],
      ['/lifecycleStage/value', 'enum'],
    ]);
  });

  it('rejects a missing field, an unknown field and a local timestamp', () => {
    const { ownerId: _ownerId, ...contact } = hubspotLikeContact();
    const variant = { ...contact, nickname: 'Amazing Grace', lastActivityAt: '2026-03-11T16:30:00+01:00' };
    expect(problems(variant)).toEqual([
      ['/ownerId', 'required'],
      ['/nickname', 'additionalProperties'],
      ['/lastActivityAt', 'pattern'],
    ]);
  });

  it('rejects an email entry without primary flag and a non-string tag', () => {
    const contact = hubspotLikeContact();
    const withoutPrimary = { address: 'amazing.grace@mail.example', kind: { value: 'personal', native: null } };
    const variant = { ...contact, emails: [contact.emails[0], withoutPrimary], tags: [...contact.tags, 42] };
    expect(problems(variant)).toEqual([
      ['/emails/1/primary', 'required'],
      ['/tags/1', 'type'],
    ]);
  });
});
