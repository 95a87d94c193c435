import { ProviderAuthError } from '@voxduplex/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectSocketPair, type SocketPair } from '../../test/socket-pair';
import type { ErrorMessage } from '../protocol/wire-error';
import type { ClientMessage } from './inbound';
import { InboundDispatcher, type InboundSession, MAX_KNOWN_SPEECHES } from './inbound-dispatcher';

/** A session that records what reaches it. */
function recordingSession() {
  const calls: string[] = [];
  const session: InboundSession & { calls: string[] } = {
    calls,
    pushAudio: (frame) => calls.push(`audio ${frame.samples.length}@${frame.sampleRate}`),
    sendText: (text) => calls.push(`text ${text}`),
    interrupt: () => calls.push('interrupt'),
    playbackAck: ({ speechId, playedMs }) => calls.push(`ack ${speechId} ${playedMs}`),
    playbackStarted: (speechId) => calls.push(`started ${speechId}`),
    playbackFinished: (speechId) => calls.push(`finished ${speechId}`),
  };
  return session;
}

const frame = (sampleRate: number, seq = 0): ClientMessage => ({
  type: 'audio',
  frame: { seq, sampleRate, channels: 1, samples: new Int16Array(sampleRate / 50) },
});

let pair: SocketPair;
let rejected: number;
beforeEach(async () => {
  pair = await connectSocketPair();
  rejected = 0;
});
afterEach(() => pair.close());

function dispatcher(session: InboundSession = recordingSession()) {
  return new InboundDispatcher(session, { inputSampleRate: 16_000, onRejected: () => rejected++ });
}

/** The `error`s the client has received, once `count` events arrived (only errors are sent here). */
async function errorsReceived(count: number): Promise<ErrorMessage[]> {
  const received = await pair.untilReceived(count);
  expect(received.map((r) => r.event)).toEqual(Array(count).fill('error'));
  return received.map((r) => r.args[0] as ErrorMessage);
}

describe('InboundDispatcher', () => {
  it('refuses audio before start with not_started, and after stop; the session never hears it', async () => {
    const session = recordingSession();
    const inbound = dispatcher(session);
    inbound.handle(pair.server, frame(16_000, 0));
    inbound.handle(pair.server, { type: 'start', sampleRate: 16_000 });
    inbound.handle(pair.server, frame(16_000, 1));
    inbound.handle(pair.server, { type: 'stop' });
    inbound.handle(pair.server, frame(16_000, 2));
    expect(session.calls).toEqual(['audio 320@16000']);
    expect(await errorsReceived(2)).toMatchObject([
      { reason: 'not_started', code: 'protocol_invalid', event: 'audio' },
      { reason: 'not_started', code: 'protocol_invalid', event: 'audio' },
    ]);
    expect(rejected).toBe(2);
  });

  it('refuses a start or a frame at another sample rate with wrong_sample_rate, naming the rate it expects', async () => {
    const session = recordingSession();
    const inbound = dispatcher(session);
    inbound.handle(pair.server, { type: 'start', sampleRate: 48_000 });
    expect(inbound.isStarted).toBe(false);
    inbound.handle(pair.server, { type: 'start', sampleRate: 16_000 });
    inbound.handle(pair.server, frame(8_000));
    expect(session.calls).toEqual([]);
    expect(await errorsReceived(2)).toMatchObject([
      { reason: 'wrong_sample_rate', code: 'audio_format', event: 'start', message: /expects 16000 Hz/ },
      { reason: 'wrong_sample_rate', code: 'audio_format', event: 'audio', message: /frame at 8000 Hz/ },
    ]);
  });

  it('playback acks for an unknown speechId are refused with unknown_speech', async () => {
    const session = recordingSession();
    const inbound = dispatcher(session);
    inbound.handle(pair.server, { type: 'playback-ack', speechId: 'never-sent', playedMs: 100 });
    inbound.handle(pair.server, { type: 'playback-finished', speechId: 'never-sent' });
    expect(session.calls).toEqual([]);
    expect(await errorsReceived(2)).toMatchObject([
      { reason: 'unknown_speech', event: 'playback-ack', speechId: 'never-sent' },
      { reason: 'unknown_speech', event: 'playback-finished', speechId: 'never-sent' },
    ]);
  });

  it('playback reports about a speech the session announced reach the session', () => {
    const session = recordingSession();
    const inbound = dispatcher(session);
    inbound.rememberSpeech('s1');
    inbound.handle(pair.server, { type: 'playback-started', speechId: 's1' });
    inbound.handle(pair.server, { type: 'playback-ack', speechId: 's1', playedMs: 240 });
    inbound.handle(pair.server, { type: 'playback-finished', speechId: 's1' });
    expect(session.calls).toEqual(['started s1', 'ack s1 240', 'finished s1']);
    expect(rejected).toBe(0);
  });

  it(`remembers the latest ${MAX_KNOWN_SPEECHES} speeches: an older one is unknown again`, async () => {
    const session = recordingSession();
    const inbound = dispatcher(session);
    for (let i = 0; i <= MAX_KNOWN_SPEECHES; i++) inbound.rememberSpeech(`s${i}`);
    inbound.handle(pair.server, { type: 'playback-finished', speechId: `s${MAX_KNOWN_SPEECHES}` });
    inbound.handle(pair.server, { type: 'playback-finished', speechId: 's0' });
    expect(session.calls).toEqual([`finished s${MAX_KNOWN_SPEECHES}`]);
    expect(await errorsReceived(1)).toMatchObject([{ reason: 'unknown_speech', speechId: 's0' }]);
  });

  it('passes text and interrupts through', () => {
    const session = recordingSession();
    const inbound = dispatcher(session);
    inbound.handle(pair.server, { type: 'text', text: 'hello' });
    inbound.handle(pair.server, { type: 'interrupt' });
    expect(session.calls).toEqual(['text hello', 'interrupt']);
  });

  it('an exception of the session becomes a session_error with its code, never its text', async () => {
    const session = recordingSession();
    session.sendText = () => {
      throw new ProviderAuthError('key sk-secret-123 refused', { source: 'llm:test' });
    };
    dispatcher(session).handle(pair.server, { type: 'text', text: 'hello' });
    const [error] = await errorsReceived(1);
    expect(error).toMatchObject({ reason: 'session_error', code: 'provider_auth', event: 'text' });
    expect(JSON.stringify(error)).not.toContain('sk-secret-123');
  });
});
