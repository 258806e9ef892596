import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { jiraLikeTicket } from './fixtures/ticketing-ticket.ts';

const issuesOf = (value: unknown) =>
  validateCanonical('ticketing.ticket@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('ticketing.ticket@1', () => {
  it('accepts a Jira-like issue', () => {
    expect(validateCanonical('ticketing.ticket@1', jiraLikeTicket()).issues).toEqual([]);
  });

  it('accepts a ticket without priority, type, category or due date as nulls', () => {
    const ticket = { ...jiraLikeTicket(), priority: null, type: null, statusCategory: null, dueDate: null, labels: [] };
    expect(validateCanonical('ticketing.ticket', ticket).issues).toEqual([]);
  });

  it('rejects unknown enum values, an impossible date, a local timestamp and a bad label with exact pointers', () => {
    const ticket = jiraLikeTicket() as unknown as Record<string, unknown>;
    ticket['status'] = { value: 'in_review', native: 'In Review' };
    ticket['priority'] = { value: 'blocker', native: 'Blocker' };
    ticket['dueDate'] = '2026-13-01';
    ticket['resolvedAt'] = '2026-03-06T10:00:00+01:00';
    ticket['labels'] = ['checkout', 42];
    expect(issuesOf(ticket).sort()).toEqual([
      ['/dueDate', 'format'],
      ['/labels/1', 'type'],
      ['/priority/value', 'enum'],
      ['/resolvedAt', 'pattern'],
      ['/status/value', 'enum'],
    ]);
  });

  it('rejects a missing field and an unknown field', () => {
    const ticket = jiraLikeTicket() as unknown as Record<string, unknown>;
    delete ticket['status'];
    delete ticket['remote'];
    ticket['storyPoints'] = 3;
    expect(issuesOf(ticket).sort()).toEqual([
      ['/remote', 'required'],
      ['/status', 'required'],
      ['/storyPoints', 'additionalProperties'],
    ]);
  });
});
