import { AudioFormatError } from '@voxduplex/core';
import { wavHeader } from '@voxduplex/testing-google';
import { describe, expect, test } from 'vitest';
import { PcmAssembler, pcmFromWav } from './pcm';

describe('PcmAssembler', () => {
  test('keeps a sample split across two pieces whole', () => {
    const assembler = new PcmAssembler();
    expect([...assembler.push(new Uint8Array([1, 0, 2]))]).toEqual([1]);
    expect([...assembler.push(new Uint8Array([0, 0xff, 0xff]))]).toEqual([2, -1]);
  });
});

describe('pcmFromWav', () => {
  test('returns the data chunk and the sample rate of a WAV file', () => {
    const pcm = Buffer.from([1, 0, 2, 0]);
    const { pcm: out, sampleRate } = pcmFromWav(Buffer.concat([wavHeader(4, 22050), pcm]));
    expect([...out]).toEqual([1, 0, 2, 0]);
    expect(sampleRate).toBe(22050);
  });

  test('takes bytes without a RIFF header as raw PCM', () => {
    expect([...pcmFromWav(new Uint8Array([5, 0])).pcm]).toEqual([5, 0]);
  });

  test('a WAV without a data chunk or with 8-bit samples is an AudioFormatError', () => {
    expect(() => pcmFromWav(wavHeader(0, 16000).subarray(0, 36))).toThrow(AudioFormatError);
    const eightBit = wavHeader(0, 16000);
    eightBit.writeUInt16LE(8, 34);
    expect(() => pcmFromWav(eightBit)).toThrow(AudioFormatError);
  });
});
