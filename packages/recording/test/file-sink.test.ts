import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWavSamples } from '@voxduplex/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { fileRecordingSink, wavHeader } from '../src/index';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fileRecordingSink', () => {
  it('writes the WAV as it comes, then patches its sizes and writes the transcript', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vox-recording-'));
    const sink = fileRecordingSink({ dir: join(dir, 'calls'), name: 'call-1' });
    sink.write(wavHeader({ sampleRate: 16000, channels: 2 }));
    const block = new Int16Array([1, -1, 2, -2, 3, -3]);
    sink.write(new Uint8Array(block.buffer));
    sink.write(new Uint8Array(block.buffer));
    const transcript = { version: 1, sessionId: 's', turns: [] } as never;
    await sink.finish({ header: wavHeader({ sampleRate: 16000, channels: 2, dataBytes: 24 }), transcript });

    const wav = await readFile(join(dir, 'calls', 'call-1.wav'));
    expect(wav.readUInt32LE(4)).toBe(36 + 24);
    expect([...readWavSamples(wav)]).toEqual([1, -1, 2, -2, 3, -3, 1, -1, 2, -2, 3, -3]);
    expect(JSON.parse(await readFile(join(dir, 'calls', 'call-1.json'), 'utf8'))).toEqual(transcript);
  });

  it('an open-ended header reads to the end of the file, as a crashed recording must', () => {
    const header = wavHeader({ sampleRate: 16000, channels: 2 });
    const wav = Buffer.concat([header, Buffer.from(new Int16Array([5, 6]).buffer)]);
    expect(wav.readUInt32LE(40)).toBe(0xffffffff);
    expect([...readWavSamples(wav)]).toEqual([5, 6]);
  });
});
