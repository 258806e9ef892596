import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { hubspotLikeTask, salesforceLikeCompletedTask } from './fixtures/crm-task.ts';

const problems = (value: unknown) => validateCanonical('crm.task@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('crm.task@1', () => {
  it('accepts a HubSpot-like open task and a Salesforce-like completed task', () => {
    expect(validateCanonical('crm.task@1', hubspotLikeTask()).issues).toEqual([]);
    expect(validateCanonical('crm.task@1', salesforceLikeCompletedTask()).issues).toEqual([]);
  });

  it('rejects an unknown status and priority, a status without native and a date-only due date', () => {
    const variant = {
      ...hubspotLikeTask(),
      status: { value: 'waiting' },
      priority: { value: 'medium', native: 'MEDIUM' },
      dueAt: '2026-03-16',
    };
    expect(problems(variant)).toEqual([
      ['/status/native', 'required'],
      ['/status/value', 'enum'],
      ['/priority/value', 'enum'],
      ['/dueAt', 'pattern'],
    ]);
  });

  it('rejects a missing field, an unknown field and a numeric related id', () => {
    const { completedAt: _completedAt, ...task } = hubspotLikeTask();
    const variant = { ...task, reminders: ['2026-03-15T09:00:00Z'], dealId: 18340021 };
    expect(problems(variant)).toEqual([
      ['/completedAt', 'required'],
      ['/reminders', 'additionalProperties'],
      ['/dealId', 'type'],
    ]);
  });
});
