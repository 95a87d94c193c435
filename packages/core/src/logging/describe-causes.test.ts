import { describe, expect, it } from 'vitest';
import { describeCauses } from './describe-causes';

describe('describeCauses', () => {
  it('names each cause by name and message, never its other fields', () => {
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), {
      config: { headers: { Authorization: 'Bearer sk-secret' } },
    });
    const described = describeCauses(new TypeError('fetch failed', { cause: root }));
    expect(described).toBe('TypeError: fetch failed ← Error: connect ECONNREFUSED 127.0.0.1:443');
    expect(describeCauses({ headers: { Authorization: 'Bearer sk-secret' } })).toBe('[object Object]');
  });
});
