import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { hubspotLikeCall, hubspotLikeEmail, hubspotLikeMeeting, hubspotLikeNote } from './fixtures/crm-activity.ts';

const problems = (value: unknown) => validateCanonical('crm.activity@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('crm.activity@1', () => {
  it.each([
    ['call', hubspotLikeCall],
    ['meeting', hubspotLikeMeeting],
    ['email', hubspotLikeEmail],
    ['note', hubspotLikeNote],
  ])('accepts a HubSpot-like %s', (_kind, fixture) => {
    expect(validateCanonical('crm.activity@1', fixture()).issues).toEqual([]);
  });

  it('accepts a call with only a direction and a duration', () => {
    const activity = {
      ...hubspotLikeCall(),
      call: { direction: { value: 'inbound', native: 'INBOUND' }, durationSeconds: 0, outcome: null, recording: null },
    };
    expect(validateCanonical('crm.activity@1', activity).issues).toEqual([]);
  });

  it('rejects a negative call duration, an unknown outcome and an unknown field in the call', () => {
    const activity = hubspotLikeCall();
    const variant = {
      ...activity,
      call: { ...activity.call, durationSeconds: -5, outcome: { value: 'hung_up', native: 'hung_up' }, dialer: 'aircall' },
    };
    expect(problems(variant)).toEqual([
      ['/call/dialer', 'additionalProperties'],
      ['/call/durationSeconds', 'minimum'],
      ['/call/outcome/value', 'enum'],
    ]);
  });

  it('rejects a bad attendee email, an unknown response and a local meeting time', () => {
    const activity = hubspotLikeMeeting();
    const [accepted, pending] = activity.meeting?.attendees ?? [];
    const variant = {
      ...activity,
      meeting: {
        ...activity.meeting,
        endsAt: '2026-03-18 15:45:00',
        attendees: [
          { ...accepted, response: { value: 'maybe', native: 'maybe' } },
          { ...pending, email: 'legal at navy-labs' },
        ],
      },
    };
    expect(problems(variant)).toEqual([
      ['/meeting/endsAt', 'pattern'],
      ['/meeting/attendees/0/response/value', 'enum'],
      ['/meeting/attendees/1/email', 'format'],
    ]);
  });

  it('rejects a bad recipient, a missing cc list, an unknown kind and a missing occurredAt', () => {
    const { occurredAt: _occurredAt, ...activity } = hubspotLikeEmail();
    const { cc: _cc, ...email } = activity.email ?? { cc: [] };
    const variant = {
      ...activity,
      kind: { value: 'sms', native: 'SMS' },
      email: { ...email, to: ['grace.hopper@navy-labs.example', 'Grace Hopper'] },
    };
    expect(problems(variant)).toEqual([
      ['/occurredAt', 'required'],
      ['/kind/value', 'enum'],
      ['/email/cc', 'required'],
      ['/email/to/1', 'format'],
    ]);
  });
});
