import { Encoder, type Packet, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { encodeCompactAudio } from '../protocol/compact-audio';
import { decodeMicFrame } from '../protocol/mic-frame';
import { VoiceDecoder } from './voice-parser';

function decodeAll(messages: readonly (string | Uint8Array)[]): Packet[] {
  const decoder = new VoiceDecoder();
  const packets: Packet[] = [];
  decoder.on('decoded', (packet: Packet) => packets.push(packet));
  for (const message of messages) decoder.add(message);
  return packets;
}

describe('VoiceDecoder', () => {
  it('turns a compact audio message into the audio event of its namespace', () => {
    const samples = Int16Array.from([1, -2, 3]);
    const packets = decodeAll([
      encodeCompactAudio('/voice', samples, 9, 16000),
      encodeCompactAudio('/other', samples, 10, 16000),
    ]);
    expect(packets.map((p) => [p.type, p.nsp, p.data[0]])).toEqual([
      [PacketType.EVENT, '/voice', 'audio'],
      [PacketType.EVENT, '/other', 'audio'],
    ]);
    const decoded = decodeMicFrame(packets[0]!.data[1]);
    expect('frame' in decoded && [decoded.frame.seq, Array.from(decoded.frame.samples)]).toEqual([
      9,
      [1, -2, 3],
    ]);
  });

  it('decodes what the stock encoder writes, binary events included', () => {
    const encoder = new Encoder();
    const pcm = Buffer.from([1, 0, 12, 0, 0, 0]);
    const messages = [
      ...encoder.encode({ type: PacketType.EVENT, nsp: '/voice', data: ['text', { text: 'hi' }] }),
      ...encoder.encode({ type: PacketType.EVENT, nsp: '/voice', data: ['audio', pcm] }),
    ] as (string | Uint8Array)[];
    const packets = decodeAll(messages);
    expect(packets.map((p) => p.data[0])).toEqual(['text', 'audio']);
    expect(Buffer.from(packets[1]!.data[1] as Uint8Array)).toEqual(pcm);
  });

  it('rejects a stray binary message that is not compact audio, as the stock decoder does', () => {
    expect(() => decodeAll([new Uint8Array([1, 1, 0, 0])])).toThrow(/not reconstructing/);
    expect(() => decodeAll([new Uint8Array([0xa0, 200, 0x2f])])).toThrow(/not reconstructing/);
  });
});
