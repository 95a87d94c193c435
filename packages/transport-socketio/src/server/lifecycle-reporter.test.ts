import { ProviderAuthError, ProviderQuotaError } from '@voxduplex/core';
import { recordingLogger } from '@voxduplex/core/testing';
import { describe, expect, it } from 'vitest';
import { LifecycleReporter } from './lifecycle-reporter';

describe('LifecycleReporter', () => {
  it('logs a permanent session error at error and a retryable one at warn, by code and source', () => {
    const { logger, lines } = recordingLogger();
    const reporter = new LifecycleReporter(logger, {}, '/voice');
    reporter.sessionError(
      's1',
      'alice',
      new ProviderAuthError('key refused', { source: 'stt:google' }),
      't1',
    );
    reporter.sessionError('s1', 'alice', new ProviderQuotaError('over quota', { source: 'llm:openai' }));
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'voice session error: provider_auth from stt:google: key refused',
        fields: {
          namespace: '/voice',
          sessionId: 's1',
          identityId: 'alice',
          turnId: 't1',
          code: 'provider_auth',
          source: 'stt:google',
          retryable: false,
        },
      },
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ code: 'provider_quota' }) }),
    ]);
  });

  it('never lets a throwing hook out: it is logged at error instead', () => {
    const { logger, lines } = recordingLogger();
    const reporter = new LifecycleReporter(
      logger,
      {
        sessionEnded: () => {
          throw new Error('audit log down');
        },
      },
      '/voice',
    );
    expect(() => reporter.sessionEnded('s1', 'alice', 'closed')).not.toThrow();
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['info', 'voice session ended'],
      ['error', "voice agent hook 'sessionEnded' threw"],
    ]);
  });
});
