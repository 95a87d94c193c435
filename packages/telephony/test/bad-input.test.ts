import { createServer } from 'node:http';
import { ConfigError } from '@voxduplex/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttachPhoneAgentOptions, attachPhoneAgent } from '../src/index';
import type { EmulatedTwilioCall } from '../src/testing/index';
import { type PhoneHarness, phoneHarness } from './harness';

let h: PhoneHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('what a broken or hostile stream gets', () => {
  const garbage: [string, (call: EmulatedTwilioCall) => void][] = [
    ['malformed', (call) => call.sendRaw('not json {')],
    ['unknown_event', (call) => call.sendJson({ event: 'bogus', streamSid: call.streamSid })],
    ['malformed', (call) => call.sendJson({ event: 'media', media: { payload: '@@not base64@@' } })],
    ['malformed', (call) => call.sendJson({ event: 'dtmf', dtmf: { digit: 'Z' } })],
    [
      'out_of_place',
      (call) =>
        call.sendJson({
          event: 'start',
          start: {
            streamSid: 'MZx',
            callSid: 'CAx',
            mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
          },
        }),
    ],
    [
      'wrong_track',
      (call) => call.sendJson({ event: 'media', media: { track: 'outbound', payload: 'AAAA' } }),
    ],
    ['oversized', (call) => call.sendJson({ event: 'media', media: { payload: 'A'.repeat(20_000) } })],
    ['unknown_event', (call) => call.sendRaw('null')],
  ];

  // The log takes five drop lines at once (then one a second): four messages per call.
  it.each([0, 4])(
    'drops malformed, unknown, oversized and out-of-place messages with a log line each, and the call lives (%i)',
    async (first) => {
      h = await phoneHarness({
        utterances: [{ text: 'are you still there', startMs: 1500 }],
        llm: { reply: 'Yes.' },
      });
      const call = await h.dial();
      await call.waitFor(() => h!.sessions.length === 1, 5000, 'session');
      const sent = garbage.slice(first, first + 4);
      for (const [, send] of sent) send(call);
      const problems = () =>
        h!.lines
          .filter((l) => l.message?.startsWith('phone stream message dropped'))
          .map((l) => l.fields.problem);
      await call.waitFor(() => problems().length >= 4, 5000, 'four drops logged');
      expect(problems()).toEqual(sent.map(([problem]) => problem));
      expect(h.phone.stats().rejectedMessages).toBe(4);
      // The call still works: the question after the garbage is answered.
      await call.waitFor(
        () => h!.sessions[0]!.history.some((m) => m.role === 'assistant' && m.content === 'Yes.'),
        10_000,
        'answer',
      );
      expect(h.sessions[0]!.isClosed).toBe(false);
    },
  );

  it('drops a flood above the message rate and logs it in a few lines, not one per message', async () => {
    h = await phoneHarness({ phone: { limits: { maxMessagesPerSecond: 100, messageBurst: 100 } } });
    const call = await h.dial();
    await call.waitFor(() => h!.sessions.length === 1, 5000, 'session');
    const floodStartedAt = performance.now();
    for (let i = 0; i < 2000; i++) call.pressKey('5');
    await call.waitFor(() => h!.phone.stats().rejectedMessages > 1500, 5000, 'the flood dropped');
    const floodLines = h.lines.filter((l) => l.fields.problem === 'rate_limited');
    expect(floodLines.length).toBeGreaterThan(0);
    // Five lines at once, then one a second at most.
    const seconds = (performance.now() - floodStartedAt) / 1000;
    expect(floodLines.length).toBeLessThanOrEqual(5 + Math.ceil(seconds));
    expect(h.sessions[0]!.isClosed).toBe(false);
  });

  it('closes a stream whose audio is not μ-law 8 kHz with the reason, before any session', async () => {
    h = await phoneHarness();
    const call = await h.dial({ mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16_000, channels: 1 } });
    const closed = await call.closed;
    expect(closed.code).toBe(1003);
    expect(closed.reason).toBe('unusable_stream');
    expect(h.createSessionCalls).toBe(0);
    expect(h.phone.stats()).toMatchObject({ refusedCalls: 1, activeCalls: 0 });
    expect(h.lines.some((l) => l.message?.includes('only audio/x-mulaw 8000 Hz mono'))).toBe(true);
  });

  it('refuses a call authenticate rejects before any session or provider cost', async () => {
    h = await phoneHarness({
      phone: {
        allowAnonymous: undefined,
        authenticate: (call) => (call.customParameters.token === 'secret' ? { id: call.callId } : null),
      },
    });
    const refused = await h.dial({ customParameters: { token: 'guess' } });
    expect(await refused.closed).toEqual({ code: 1008, reason: 'unauthorized' });
    expect(h.createSessionCalls).toBe(0);
    expect(h.stt.streams.opened + h.llm.streams.opened + h.tts.streams.opened).toBe(0);
    const admitted = await h.dial({ customParameters: { token: 'secret', from: '+14155550100' } });
    await admitted.waitFor(() => h!.sessions.length === 1, 5000, 'session');
    expect(h.phone.stats()).toMatchObject({ refusedCalls: 1, activeCalls: 1 });
  });

  it('closes a stream that never sends start', async () => {
    h = await phoneHarness({ phone: { limits: { startTimeoutMs: 150 } } });
    const { WebSocket } = await import('ws');
    const socket = new WebSocket(h.url);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    expect(closed).toEqual({ code: 1008, reason: 'no_start' });
    expect(h.phone.stats()).toMatchObject({ refusedCalls: 1, activeCalls: 0 });
  });

  it('throws at start-up when nobody may call, or when both ways in are given', () => {
    const http = createServer();
    const createSession = () => {
      throw new Error('never called');
    };
    expect(() => attachPhoneAgent(http, { createSession } as unknown as AttachPhoneAgentOptions)).toThrow(
      ConfigError,
    );
    expect(() =>
      attachPhoneAgent(http, {
        createSession,
        allowAnonymous: true,
        authenticate: () => null,
      } as unknown as AttachPhoneAgentOptions),
    ).toThrow(/both given/);
    expect(http.listenerCount('upgrade')).toBe(0);
  });
});
