import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWav, writeWav } from './wav';

const samples = Int16Array.from({ length: 4000 }, (_, i) => Math.round(8000 * Math.sin(i / 7)));

describe('readWav', () => {
  it('gives back the samples written, from a plain byte array', () => {
    expect(readWav(writeWav(samples)).samples).toEqual(samples);
  });

  it('gives back the samples of a file read into a Node Buffer, not its header', () => {
    const path = join(tmpdir(), `voxduplex-wav-test-${process.pid}.wav`);
    try {
      writeFileSync(path, writeWav(samples));
      expect(readWav(readFileSync(path)).samples).toEqual(samples);
    } finally {
      rmSync(path, { force: true });
    }
    // A small Buffer lives inside Node's shared pool, at an offset.
    const pooled = Buffer.from(writeWav(samples.subarray(0, 100)));
    expect(readWav(pooled).samples).toEqual(samples.subarray(0, 100));
  });
});
