import { describe, expect, it } from 'vitest';
import { parseTelnyxMessage, serializeTelnyxCommand } from './telnyx-serializer';

/** The `start` frame of Telnyx's reference, as documented. */
const START = {
  event: 'start',
  sequence_number: '1',
  stream_id: '32DE0DEA-53CB-4B21-89A4-9E1819C043BC',
  start: {
    user_id: '3E6F995F-85F7-4705-9741-53B116D28237',
    call_control_id: 'v2:T02llQxIyaRkhfRKxgAP8nY511EhFLizdvdUKJiSw8d6A9BborherQ',
    call_session_id: 'ff55a038-6f5d-11ef-9692-02420aeffb1f',
    from: '+13122010094',
    to: '+13122123456',
    tags: ['TAG1', 'TAG2'],
    client_state: 'aGF2ZSBhIG5pY2UgZGF5ID1d',
    custom_parameters: { customer_id: 'customer_123' },
    media_format: { encoding: 'PCMU', sample_rate: 8000, channels: 1 },
  },
};

const parse = (message: unknown) => parseTelnyxMessage(JSON.stringify(message));

describe('the Telnyx serializer', () => {
  it('reads the documented start frame: stream, call, numbers, client state, parameters, format', () => {
    expect(parse(START)).toEqual({
      type: 'start',
      call: {
        streamId: '32DE0DEA-53CB-4B21-89A4-9E1819C043BC',
        callId: 'v2:T02llQxIyaRkhfRKxgAP8nY511EhFLizdvdUKJiSw8d6A9BborherQ',
        accountId: '3E6F995F-85F7-4705-9741-53B116D28237',
        format: { encoding: 'mulaw', sampleRate: 8000 },
        customParameters: { customer_id: 'customer_123' },
        from: '+13122010094',
        to: '+13122123456',
        clientState: 'aGF2ZSBhIG5pY2UgZGF5ID1d',
      },
    });
    const l16 = {
      ...START,
      start: { ...START.start, media_format: { encoding: 'L16', sample_rate: 16000, channels: 1 } },
    };
    expect(parse(l16)).toMatchObject({ call: { format: { encoding: 'l16', sampleRate: 16_000 } } });
  });

  it('refuses a stream in a format it does not speak, as fatal', () => {
    for (const media_format of [
      { encoding: 'PCMA', sample_rate: 8000, channels: 1 },
      { encoding: 'PCMU', sample_rate: 16000, channels: 1 },
      { encoding: 'L16', sample_rate: 16000, channels: 2 },
    ])
      expect(parse({ ...START, start: { ...START.start, media_format } })).toMatchObject({
        problem: 'unusable_format',
        isFatal: true,
      });
  });

  it('reads media with its chunk number, dtmf, mark, stop and error frames', () => {
    expect(
      parse({
        event: 'media',
        sequence_number: '4',
        media: { track: 'inbound', chunk: '2', timestamp: '5', payload: '/w==' },
        stream_id: 's',
      }),
    ).toEqual({ type: 'media', payload: Uint8Array.of(0xff), chunk: 2 });
    expect(parse({ event: 'media', media: { track: 'outbound', payload: '' } })).toMatchObject({
      problem: 'wrong_track',
    });
    expect(
      parse({ event: 'dtmf', stream_id: 's', occurred_at: '2024-01-01T00:00:00Z', dtmf: { digit: '#' } }),
    ).toEqual({
      type: 'dtmf',
      digit: '#',
    });
    expect(parse({ event: 'mark', sequence_number: '9', stream_id: 's', mark: { name: 'vx-1' } })).toEqual({
      type: 'mark',
      name: 'vx-1',
    });
    expect(
      parse({ event: 'stop', sequence_number: '5', stop: { call_control_id: 'c' }, stream_id: 's' }),
    ).toEqual({
      type: 'stop',
    });
    expect(
      parse({
        event: 'error',
        payload: { code: 100002, title: 'unknown_error', detail: 'An unknown error occurred' },
      }),
    ).toEqual({ type: 'error', code: '100002', message: 'unknown_error: An unknown error occurred' });
  });

  it('refuses what is not a Telnyx frame, without throwing', () => {
    expect(parseTelnyxMessage('{')).toMatchObject({ problem: 'malformed', isFatal: false });
    expect(parse({ event: 'connected', version: '1.0.0' })).toEqual({ type: 'connected' });
    expect(parse({ event: 'clear' })).toMatchObject({ problem: 'unknown_event' });
    expect(parse({ event: 'media', media: { payload: '!!' } })).toMatchObject({ problem: 'malformed' });
    expect(parse({ event: 'dtmf', dtmf: { digit: 'Z' } })).toMatchObject({ problem: 'malformed' });
    expect(parse({ event: 'start', start: {} })).toMatchObject({ problem: 'malformed' });
  });

  it('writes media, mark and clear as Telnyx documents them', () => {
    expect(
      JSON.parse(serializeTelnyxCommand('s', { type: 'media', payload: Uint8Array.of(0xff, 0x7f) })),
    ).toEqual({
      event: 'media',
      media: { payload: '/38=' },
    });
    expect(JSON.parse(serializeTelnyxCommand('s', { type: 'mark', name: 'vx-3' }))).toEqual({
      event: 'mark',
      mark: { name: 'vx-3' },
    });
    expect(JSON.parse(serializeTelnyxCommand('s', { type: 'clear' }))).toEqual({ event: 'clear' });
  });
});
