import { concat, of, throwError, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ProviderUnavailableError } from '../../errors/families';
import type { VoxError } from '../../errors/vox-error';
import { FakeTts } from '../../testing/fake-tts';
import type { TtsChunk, TtsProvider } from '../tts';
import { fallbackTts } from './fallback-tts';

function chainOf(failWith: (text: string) => VoxError | undefined) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const a = new FakeTts({
    name: 'cloud',
    sampleRate: 24000,
    ttfbMs: 100,
    chunkMs: 100,
    msPerChar: 50,
    scheduler,
    failWith,
  });
  const b = new FakeTts({
    name: 'local',
    sampleRate: 16000,
    ttfbMs: 100,
    chunkMs: 100,
    msPerChar: 50,
    scheduler,
  });
  const tts = fallbackTts([a, b], { scheduler, probe: { initialDelayMs: 60_000 } });
  const speak = (text: string) => {
    const chunks: TtsChunk[] = [];
    let failure: VoxError | undefined;
    tts
      .synthesize(text)
      .subscribe({ next: (chunk) => chunks.push(chunk), error: (e: VoxError) => (failure = e) });
    scheduler.maxFrames = scheduler.now() + 5000;
    scheduler.flush();
    return { rates: [...new Set(chunks.map((c) => c.sampleRate))], chunks: chunks.length, failure };
  };
  return { a, b, tts, speak };
}

describe('fallbackTts', () => {
  it('falls back per sentence: a sentence the first provider cannot start is spoken by the next, at its own sample rate', () => {
    const c = chainOf((text) =>
      text.startsWith('Second') ? new ProviderUnavailableError('503', { source: 'tts:cloud' }) : undefined,
    );
    expect(c.speak('First sentence.')).toMatchObject({ rates: [24000], failure: undefined });
    expect(c.speak('Second sentence.')).toMatchObject({ rates: [16000], failure: undefined });
    expect(c.a.texts).toEqual(['First sentence.', 'Second sentence.']);
    expect(c.b.texts).toEqual(['Second sentence.']);
    // The cloud voice is out of service until its probe answers: the next sentence starts locally.
    expect(c.speak('Third sentence.')).toMatchObject({ rates: [16000] });
    expect(c.tts.sampleRate).toBe(24000);
  });

  it('ends a sentence with the typed error when its synthesis fails after the first chunk, and does not repeat it elsewhere', () => {
    const local = new FakeTts({ name: 'local' });
    const cloud: TtsProvider = {
      specificationVersion: 'v1',
      name: 'cloud',
      sampleRate: 16000,
      synthesize: () =>
        concat(
          of({ samples: new Int16Array(1600), sampleRate: 16000 }),
          throwError(() => new ProviderUnavailableError('stream dropped', { source: 'tts:cloud' })),
        ),
    };
    const tts = fallbackTts([cloud, local], { probe: { initialDelayMs: 60_000 } });
    const chunks: TtsChunk[] = [];
    let failure: VoxError | undefined;
    tts.synthesize('Half of this sentence.').subscribe({
      next: (chunk) => chunks.push(chunk),
      error: (error: VoxError) => (failure = error),
    });
    expect(chunks).toHaveLength(1);
    expect(failure).toMatchObject({ code: 'provider_unavailable', source: 'tts:cloud' });
    expect(local.texts).toEqual([]);
    // The next sentence starts on the provider still in service.
    expect(tts.stats().members.map((m) => m.isHealthy)).toEqual([false, true]);
    void tts.close();
  });
});
