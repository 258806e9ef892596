import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { jiraLikeComment } from './fixtures/ticketing-comment.ts';

const issuesOf = (value: unknown) =>
  validateCanonical('ticketing.comment@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('ticketing.comment@1', () => {
  it('accepts a Jira-like comment', () => {
    expect(validateCanonical('ticketing.comment@1', jiraLikeComment()).issues).toEqual([]);
  });

  it('always belongs to a ticket: ticketId is required, not null and not empty', () => {
    const comment = jiraLikeComment() as unknown as Record<string, unknown>;
    expect(issuesOf({ ...comment, ticketId: null })).toEqual([['/ticketId', 'type']]);
    expect(issuesOf({ ...comment, ticketId: '' })).toEqual([['/ticketId', 'minLength']]);
    delete comment['ticketId'];
    expect(issuesOf(comment)).toEqual([['/ticketId', 'required']]);
  });

  it('rejects an unknown body format, a non-boolean visibility and an unknown field with exact pointers', () => {
    const comment = jiraLikeComment() as unknown as Record<string, unknown>;
    comment['bodyFormat'] = { value: 'wiki', native: 'wiki' };
    comment['isPublic'] = 'internal';
    comment['jsdPublic'] = false;
    expect(issuesOf(comment).sort()).toEqual([
      ['/bodyFormat/value', 'enum'],
      ['/isPublic', 'type'],
      ['/jsdPublic', 'additionalProperties'],
    ]);
  });
});
