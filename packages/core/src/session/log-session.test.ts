import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ProviderQuotaError } from '../errors/families';
import { FakeLlm } from '../testing/fake-llm';
import { FakeStt } from '../testing/fake-stt';
import { FakeTts } from '../testing/fake-tts';
import { recordingLogger } from '../testing/recording-logger';
import { createVoiceSession } from './create-voice-session';
import { logSession } from './log-session';

describe('logSession', () => {
  it('writes each step with the session, turn and speech ids, and no conversation text', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    let calls = 0;
    const llm = new FakeLlm({
      scheduler,
      reply: () =>
        calls++ === 0
          ? 'The secret plan is ready.'
          : [{ error: new ProviderQuotaError('slow down', { source: 'llm:fake' }) }],
    });
    const session = createVoiceSession({
      stt: new FakeStt({ scheduler }),
      llm,
      tts: new FakeTts({ scheduler }),
      scheduler,
    });
    const { logger, lines } = recordingLogger();
    logSession(session, logger);
    session.sendText('tell me the secret plan');
    scheduler.flush();
    session.sendText('again');
    scheduler.flush();
    session.close('done');

    const messages = lines.map((line) => line.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'user turn',
        'agent speech started',
        'agent speech ended',
        'turn metrics',
        'session closed',
      ]),
    );
    for (const line of lines) expect(line.fields.sessionId).toBe(session.id);
    const ended = lines.find((line) => line.message === 'agent speech ended')!;
    expect(ended.fields).toMatchObject({
      interrupted: false,
      turnId: expect.any(String),
      speechId: expect.any(String),
    });
    const failure = lines.find((line) => line.message?.startsWith('session error'))!;
    expect(failure).toMatchObject({
      level: 'warn',
      fields: { code: 'provider_quota', source: 'llm:fake', turnId: expect.any(String) },
    });
    expect(JSON.stringify(lines)).not.toMatch(/secret plan/);
  });
});
