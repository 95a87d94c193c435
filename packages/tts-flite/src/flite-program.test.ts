import { beforeAll, describe, expect, it } from 'vitest';
import { concatSamples, durationSeconds, rmsLevel, wordsPerMinute } from '../test/audio-measures';
import { compileFlite, type FliteAudio, FliteInstance, type FliteRequest } from './flite-program';
import { FLITE_VOICES } from './voices';

let module: WebAssembly.Module;
beforeAll(async () => {
  module = await compileFlite();
});

async function speak(request: Partial<FliteRequest> & { text: string }) {
  const utterances: FliteAudio[] = [];
  const instance = await FliteInstance.instantiate(module);
  const result = instance.synthesize({ voice: 'slt', speakingRate: 1, ...request }, (audio) =>
    utterances.push(audio),
  );
  return { result, utterances, samples: concatSamples(utterances.map((u) => u.samples)) };
}

describe('FliteInstance (Flite WASI in memory)', () => {
  it('lists every voice this package offers', async () => {
    const instance = await FliteInstance.instantiate(module);
    const { exitCode, stdout } = instance.runCommand(['flite', '-lv']);
    expect(exitCode).toBe(0);
    const listed = stdout.replace('Voices available:', '').trim().split(/\s+/);
    expect(listed).toEqual(expect.arrayContaining(Object.keys(FLITE_VOICES)));
  });

  it('speaks each voice at the sample rate this package declares for it', async () => {
    for (const [voice, sampleRate] of Object.entries(FLITE_VOICES)) {
      const { utterances } = await speak({ text: 'Testing one two three.', voice });
      expect({ voice, rates: utterances.map((u) => u.sampleRate) }).toEqual({ voice, rates: [sampleRate] });
    }
  });

  it('speaks a ten-word sentence at a natural pace, audibly', async () => {
    const text = 'The quick brown fox jumps over the lazy sleeping dog.';
    const { result, samples } = await speak({ text });
    expect(result.exitCode).toBe(0);
    const seconds = durationSeconds(samples.length, 16000);
    expect(wordsPerMinute(text, seconds)).toBeGreaterThan(100);
    expect(wordsPerMinute(text, seconds)).toBeLessThan(260);
    expect(rmsLevel(samples)).toBeGreaterThan(300);
  });

  it('hands over audio utterance by utterance, one per sentence', async () => {
    const { utterances } = await speak({ text: 'First sentence here. Then a second one! And a third?' });
    expect(utterances).toHaveLength(3);
    expect(utterances.every((u) => rmsLevel(u.samples) > 300)).toBe(true);
  });

  it('speaks twice as fast at speaking rate 2', async () => {
    const text = 'A sentence long enough to measure how fast it is spoken aloud.';
    const normal = await speak({ text });
    const fast = await speak({ text, speakingRate: 2 });
    const ratio = fast.samples.length / normal.samples.length;
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(0.65);
  });

  it('speaks text that looks like a command-line option instead of obeying it', async () => {
    const { utterances } = await speak({ text: '-voice kal' });
    expect(utterances.map((u) => u.sampleRate)).toEqual([16000]);
    expect(rmsLevel(utterances[0]!.samples)).toBeGreaterThan(300);
  });

  it('gets through text it cannot read (emoji, other scripts, markup, NUL) without failing', async () => {
    for (const text of ['🙂🙂', '你好世界', '<speak>hi</speak>', 'naïve café — déjà vu', '\u0000abc']) {
      const { result } = await speak({ text });
      expect({ text, exitCode: result.exitCode }).toEqual({ text, exitCode: 0 });
    }
  });

  it('runs an instance only once', async () => {
    const instance = await FliteInstance.instantiate(module);
    instance.runCommand(['flite', '-lv']);
    expect(() => instance.runCommand(['flite', '-lv'])).toThrow(/runs once/);
  });
});
