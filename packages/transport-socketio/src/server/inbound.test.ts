import { describe, expect, it } from 'vitest';
import { encodeMicFrame } from '../protocol/mic-frame';
import { parseClientMessage } from './inbound';

const MAX = 1000;

describe('parseClientMessage', () => {
  it('accepts every protocol message in its documented shape', () => {
    expect(parseClientMessage('start', [{ sampleRate: 16000 }], MAX)).toEqual({
      type: 'start',
      sampleRate: 16000,
    });
    expect(parseClientMessage('stop', [], MAX)).toEqual({ type: 'stop' });
    expect(parseClientMessage('interrupt', [{}], MAX)).toEqual({ type: 'interrupt' });
    expect(parseClientMessage('text', [{ text: '  hello ' }], MAX)).toEqual({ type: 'text', text: 'hello' });
    expect(parseClientMessage('playback-ack', [{ speechId: 's1', playedMs: 120 }], MAX)).toEqual({
      type: 'playback-ack',
      speechId: 's1',
      playedMs: 120,
    });
    expect(parseClientMessage('playback-started', [{ speechId: 's1' }], MAX)).toEqual({
      type: 'playback-started',
      speechId: 's1',
    });
    const audio = parseClientMessage('audio', [encodeMicFrame(new Int16Array(320), 7, 16000)], MAX);
    expect(audio).toMatchObject({ type: 'audio', frame: { seq: 7, sampleRate: 16000 } });
  });

  it('accepts JSON text payloads and names malformed JSON', () => {
    expect(parseClientMessage('text', ['{"text":"hi"}'], MAX)).toEqual({ type: 'text', text: 'hi' });
    expect(parseClientMessage('text', ['{"text":'], MAX)).toMatchObject({
      reason: 'malformed_json',
      error: { code: 'protocol_invalid' },
    });
  });

  it('names the problem of each bad message with a typed error', () => {
    const cases: [string, unknown[], string, string][] = [
      ['hello', [{}], 'unknown_event', 'protocol_invalid'],
      ['start', [{ sampleRate: -1 }], 'invalid_message', 'protocol_invalid'],
      ['text', [{ text: '' }], 'invalid_message', 'protocol_invalid'],
      ['text', [{ text: 'x'.repeat(4001) }], 'invalid_message', 'protocol_invalid'],
      ['playback-ack', [{ speechId: 's1', playedMs: Number.NaN }], 'invalid_message', 'protocol_invalid'],
      ['playback-ack', [{ playedMs: 1 }], 'invalid_message', 'protocol_invalid'],
      ['audio', [[1, 2, 3]], 'not_binary', 'audio_format'],
      ['audio', ['AAAA'], 'not_binary', 'audio_format'],
      ['audio', [new Uint8Array(13)], 'bad_frame', 'audio_format'],
      ['audio', [encodeMicFrame(new Int16Array(600), 0, 16000)], 'frame_too_large', 'audio_format'],
    ];
    for (const [event, args, reason, code] of cases)
      expect(
        parseClientMessage(event, args, MAX),
        `${event} ${JSON.stringify(args).slice(0, 40)}`,
      ).toMatchObject({
        reason,
        error: { code },
      });
  });
});
