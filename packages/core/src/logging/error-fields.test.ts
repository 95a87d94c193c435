import { describe, expect, it } from 'vitest';
import { ProviderAuthError, ProviderUnavailableError } from '../errors/families';
import { voxErrorLogLine } from './error-fields';

describe('voxErrorLogLine', () => {
  it('logs a retryable failure at warn and a permanent one at error, with code, source and causes', () => {
    const outage = new ProviderUnavailableError('upstream 503', {
      source: 'llm:x',
      cause: new Error('socket hang up'),
    });
    expect(voxErrorLogLine(outage)).toEqual({
      level: 'warn',
      fields: {
        code: 'provider_unavailable',
        source: 'llm:x',
        retryable: true,
        cause: 'Error: socket hang up',
      },
      text: 'provider_unavailable from llm:x: upstream 503',
    });
    expect(voxErrorLogLine(new ProviderAuthError('401', { source: 'tts:y' })).level).toBe('error');
  });
});
