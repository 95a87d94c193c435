import { describe, expect, it } from 'vitest';
import { binaryFrame, parseFrame, textFrame } from './framing';

describe('Azure Speech framing', () => {
  it('round-trips a text frame with headers and JSON body', () => {
    const frame = textFrame('speech.phrase', 'ABC', { Text: 'hi' });
    const message = parseFrame(Buffer.from(frame), false);
    expect(message).toMatchObject({ path: 'speech.phrase', requestId: 'ABC', text: '{"Text":"hi"}' });
    expect(message.headers['content-type']).toMatch(/application\/json/);
  });

  it('round-trips a binary frame with its 2-byte header length and extra headers', () => {
    const frame = binaryFrame('audio', 'ABC', new Uint8Array([1, 2, 3]), { 'X-StreamId': 'S1' });
    expect(frame.readUInt16BE(0)).toBe(frame.indexOf(1, 2) - 2);
    const message = parseFrame(frame, true);
    expect(message).toMatchObject({ path: 'audio', requestId: 'ABC' });
    expect(message.headers['x-streamid']).toBe('S1');
    expect([...message.binary!]).toEqual([1, 2, 3]);
  });

  it('refuses a binary frame shorter than its header length', () => {
    expect(() => parseFrame(Buffer.from([0, 50, 65]), true)).toThrow(/shorter/);
  });
});
