// The replayed assistant session (tools/mcp-session): from nothing to a passing test and a finished sync of
// testkit's shop, within 25k tokens of what the model reads, the credential never in anything the client received.
import { describe, expect, it } from 'vitest';
import { replaySession } from '../mcp-session/replay.ts';

describe('the assistant session, replayed', () => {
  it('builds and syncs a connector within 25k tokens, the secret given by reference and never seen', { timeout: 180_000 }, async () => {
    const result = await replaySession();
    expect(result.steps.filter((step) => !step.ok)).toEqual([]);
    expect(result.testVerdict).toBe('pass');
    expect(result.syncStatus).toBe('succeeded');
    expect(result.tokens).toBeLessThanOrEqual(25_000);
    expect(result.tokenSeen).toBe(false);
  });
});
