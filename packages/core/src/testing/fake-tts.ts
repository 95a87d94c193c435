import { asyncScheduler, Observable, type SchedulerLike, Subscription } from 'rxjs';
import type { VoxError } from '../errors/vox-error';
import type { WordTiming } from '../frames/agent';
import type { TtsChunk, TtsProvider } from '../providers/tts';
import { ResourceCounter } from './resource-counter';
import { sineTone } from './tone';

export interface FakeTtsOptions {
  /** The provider's `name` (in errors and fallback chains). Default `'fake'`. */
  readonly name?: string;
  /** Delay before the first chunk, scheduler time. */
  readonly ttfbMs?: number;
  readonly sampleRate?: number;
  /** Audio length per character of text (≈ 60 ms is a natural speaking pace). */
  readonly msPerChar?: number;
  /** Audio per chunk. */
  readonly chunkMs?: number;
  /** Time to make 1 ms of audio after the first chunk; 0 makes the rest at once. */
  readonly realtimeFactor?: number;
  /** Report word timings with each chunk. */
  readonly wordTimings?: boolean;
  /** Fail the synthesis of texts this returns an error for. */
  readonly failWith?: (text: string) => VoxError | undefined;
  readonly scheduler?: SchedulerLike;
}

/**
 * A scriptable streaming TTS that speaks a sine tone whose length follows the text. Records the
 * texts asked for (`texts`) and counts open syntheses; unsubscribing cancels the pending chunks.
 */
export class FakeTts implements TtsProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly sampleRate: number;
  readonly streams = new ResourceCounter();
  readonly texts: string[] = [];
  readonly #options: FakeTtsOptions;

  constructor(options: FakeTtsOptions = {}) {
    this.name = options.name ?? 'fake';
    this.#options = options;
    this.sampleRate = options.sampleRate ?? 16000;
  }

  synthesize(text: string): Observable<TtsChunk> {
    return new Observable<TtsChunk>((subscriber) => {
      this.texts.push(text);
      const done = this.streams.track();
      let hasEnded = false;
      const timers = new Subscription();
      const scheduler = this.#options.scheduler ?? asyncScheduler;
      const failure = this.#options.failWith?.(text);
      const chunkMs = this.#options.chunkMs ?? 100;
      const totalMs = Math.max(chunkMs, text.length * (this.#options.msPerChar ?? 60));
      const chunkCount = Math.ceil(totalMs / chunkMs);
      const words = this.#wordTimings(text, totalMs);
      const emit = (index: number) => {
        if (failure) {
          hasEnded = true;
          subscriber.error(failure);
          return;
        }
        const startMs = index * chunkMs;
        const durationMs = Math.min(chunkMs, totalMs - startMs);
        const samples = sineTone(durationMs, this.sampleRate, {
          phaseSamples: Math.round((startMs / 1000) * this.sampleRate),
        });
        const chunkWords = words?.filter((w) => w.startMs >= startMs && w.startMs < startMs + durationMs);
        subscriber.next({
          samples,
          sampleRate: this.sampleRate,
          ...(chunkWords ? { words: chunkWords } : {}),
        });
        if (index + 1 >= chunkCount) {
          hasEnded = true;
          subscriber.complete();
          return;
        }
        const gapMs = chunkMs * (this.#options.realtimeFactor ?? 0);
        if (gapMs > 0) timers.add(scheduler.schedule(() => emit(index + 1), gapMs));
        else emit(index + 1);
      };
      const ttfbMs = this.#options.ttfbMs ?? 0;
      if (ttfbMs > 0) timers.add(scheduler.schedule(() => emit(0), ttfbMs));
      else emit(0);
      return () => {
        done(hasEnded ? 'completed' : 'cancelled');
        timers.unsubscribe();
      };
    });
  }

  #wordTimings(text: string, totalMs: number): WordTiming[] | undefined {
    if (!this.#options.wordTimings) return undefined;
    const timings: WordTiming[] = [];
    for (const match of text.matchAll(/\S+/g)) {
      const startMs = (match.index / text.length) * totalMs;
      timings.push({ word: match[0], startMs, durationMs: (match[0].length / text.length) * totalMs });
    }
    return timings;
  }
}
