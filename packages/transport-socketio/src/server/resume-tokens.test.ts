import { describe, expect, it } from 'vitest';
import { ResumeTokens } from './resume-tokens';

describe('ResumeTokens', () => {
  it('redeems a token once, for its own identity', () => {
    const tokens = new ResumeTokens();
    const token = tokens.issue('s1', 'alice');
    expect(tokens.redeem(token, 'alice')).toEqual({ sessionId: 's1' });
    expect(tokens.redeem(token, 'alice')).toEqual({ refusal: 'unknown' });
  });

  it('refuses another identity and keeps the token for its owner', () => {
    const tokens = new ResumeTokens();
    const token = tokens.issue('s1', 'alice');
    expect(tokens.redeem(token, 'mallory')).toEqual({ refusal: 'wrong_identity' });
    expect(tokens.redeem(token, 'alice')).toEqual({ sessionId: 's1' });
  });

  it('revokes the previous token when a new one is issued, and on revoke', () => {
    const tokens = new ResumeTokens();
    const first = tokens.issue('s1', 'alice');
    const second = tokens.issue('s1', 'alice');
    expect(first).not.toBe(second);
    expect(tokens.redeem(first, 'alice')).toEqual({ refusal: 'unknown' });
    tokens.revoke('s1');
    expect(tokens.redeem(second, 'alice')).toEqual({ refusal: 'unknown' });
    expect(tokens.size).toBe(0);
  });
});
