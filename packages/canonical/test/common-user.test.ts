import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { hubspotLikeUser, zendeskLikeAgent } from './fixtures/common-user.ts';

const problems = (value: unknown) => validateCanonical('common.user@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('common.user@1', () => {
  it('accepts a HubSpot-like owner and a Zendesk-like agent', () => {
    expect(validateCanonical('common.user@1', hubspotLikeUser()).issues).toEqual([]);
    expect(validateCanonical('common.user@1', zendeskLikeAgent()).issues).toEqual([]);
  });

  it('rejects an email without @, an unknown status, a string boolean and a bad avatar link', () => {
    const variant = {
      ...zendeskLikeAgent(),
      email: 'priya.acme.example',
      status: { value: 'deactivated', native: 'deactivated' },
      isAdmin: 'yes',
      avatarUrl: 'avatar.png',
    };
    expect(problems(variant)).toEqual([
      ['/email', 'format'],
      ['/status/value', 'enum'],
      ['/isAdmin', 'type'],
      ['/avatarUrl', 'format'],
    ]);
  });

  it('rejects a missing field, an unknown field and a tombstone flag that is not a boolean', () => {
    const { lastLoginAt: _lastLoginAt, ...user } = hubspotLikeUser();
    const variant = { ...user, teams: ['EMEA'], deleted: 'false' };
    expect(problems(variant)).toEqual([
      ['/lastLoginAt', 'required'],
      ['/teams', 'additionalProperties'],
      ['/deleted', 'type'],
    ]);
  });
});
