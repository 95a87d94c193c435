import type { AudioFrame } from '@voxduplex/core';
import { sineTone, virtualConversation } from '@voxduplex/core/testing';
import { tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { removeDc } from '../src/recipes/remove-dc';

const RATE = 16000;
const FRAME_MS = 20;
const FRAME_SAMPLES = (RATE * FRAME_MS) / 1000;
const DC = 6000;
const PEAK = Math.round(0.25 * 32767);

/** 1 s of a 440 Hz tone riding on a DC offset, in 20 ms frames, as a cheap microphone gives it. */
function offsetTone(): Int16Array[] {
  return Array.from({ length: 50 }, (_, i) =>
    sineTone(FRAME_MS, RATE, { frequencyHz: 440, amplitude: 0.25, phaseSamples: i * FRAME_SAMPLES }).map(
      (sample) => sample + DC,
    ),
  );
}

const mean = (samples: Int16Array) => samples.reduce((sum, s) => sum + s, 0) / samples.length;
const peak = (samples: Int16Array) => samples.reduce((max, s) => Math.max(max, Math.abs(s)), 0);
const joined = (frames: readonly Int16Array[]) => Int16Array.from(frames.flatMap((f) => Array.from(f)));

/** Gives the frames to a session's microphone (in virtual time) and returns what its recognizer heard. */
async function heardBy(frames: readonly Int16Array[], withRecipe: boolean) {
  const heard: AudioFrame[] = [];
  const c = virtualConversation({
    micMs: frames.length * FRAME_MS,
    micSamples: (startMs) => frames[startMs / FRAME_MS]!,
    // The recognizer, keeping every frame it is given: what the audioIn stage let through.
    wrapStt: (stt) => ({
      specificationVersion: 'v1',
      name: stt.name,
      sampleRate: stt.sampleRate,
      transcribe: (audio$) => stt.transcribe(audio$.pipe(tap((frame) => heard.push(frame)))),
    }),
    config: withRecipe ? { pipeline: { audioIn: removeDc() } } : {},
  });
  await c.runAsync();
  expect(c.ofType('error')).toEqual([]);
  return heard;
}

describe('recipe 4: a DC-removal filter as the audioIn stage', () => {
  it('the recognizer hears the tone without the offset, at its full level', async () => {
    const frames = offsetTone();
    const heard = await heardBy(frames, true);
    expect(heard).toHaveLength(frames.length);
    expect(heard.every((frame) => frame.sampleRate === RATE && frame.channels === 1)).toBe(true);
    // After 100 ms the filter has settled: no offset left, the tone's level kept within 3 %.
    const settled = joined(heard.slice(5).map((frame) => frame.samples));
    expect(Math.abs(mean(settled))).toBeLessThan(30);
    expect(peak(settled)).toBeGreaterThan(PEAK * 0.97);
    expect(peak(settled)).toBeLessThan(PEAK * 1.03);
  });

  it('without the recipe the recognizer hears the offset', async () => {
    const heard = await heardBy(offsetTone(), false);
    expect(mean(joined(heard.map((frame) => frame.samples)))).toBeCloseTo(DC, -1);
  });

  it('carries its state across frames: no click at frame borders, the input left as it was', async () => {
    const frames = offsetTone();
    const copies = frames.map((samples) => samples.slice());
    const heard = joined((await heardBy(frames, true)).map((frame) => frame.samples));
    // The tone's largest step between samples is 2π·440/16000 of its peak (≈ 1415): a filter that
    // restarted at each frame would jump by up to the whole peak there.
    const steepest = (2 * Math.PI * 440 * PEAK) / RATE;
    const largestStep = heard.reduce(
      (max, s, i) => (i === 0 ? 0 : Math.max(max, Math.abs(s - heard[i - 1]!))),
      0,
    );
    expect(largestStep).toBeLessThan(steepest + 20);
    expect(frames).toEqual(copies);
  });
});
