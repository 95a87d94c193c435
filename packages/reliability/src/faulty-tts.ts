import { ProviderUnavailableError, type TtsChunk, type TtsProvider } from '@voxduplex/core';
import { FakeTts, ResourceCounter } from '@voxduplex/core/testing';
import { concat, NEVER, type Observable, switchMap, take, throwError, timer } from 'rxjs';
import { type FaultTally, faultIn } from './faults';
import { tracked } from './tracked';

export interface FaultyTtsOptions {
  /** Its `name` (errors name it `tts:<name>`). Default `'faulty'`. */
  readonly name?: string;
  /**
   * A stand-by that ignores `tts-*` fault words, failing only while {@link FaultyTts.isDown}:
   * the backup of a fallback chain. Default false.
   */
  readonly ignoresFaultWords?: boolean;
  /** Output sample rate. Default 16 000 (use 8 000 to halve a soak's traffic). */
  readonly sampleRate?: number;
  /** Time to first audio of a healthy request, ms. Default 30. */
  readonly ttfbMs?: number;
  /** Audio per character of text, ms. Default 15 (a reply of the faulty LLM is ~1.5 s). */
  readonly msPerChar?: number;
  /** Time to make 1 ms of audio: 0.1 is ten times faster than real time. Default 0.1. */
  readonly realtimeFactor?: number;
  /** Pause of a `stall` fault before the first chunk, ms. Default 1500. */
  readonly stallMs?: number;
  readonly tally?: FaultTally;
}

/**
 * A TTS speaking a tone whose length follows the text, failing as a `tts-*` fault word in the
 * text asks (`fail-first`, `fail-mid`, `stall`, `hang`, `slow` — slower than real time).
 * While {@link isDown} every request fails before its first chunk. `requests` counts open
 * requests.
 */
export class FaultyTts implements TtsProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly sampleRate: number;
  readonly requests = new ResourceCounter();
  /** Every request fails while true (a TTS outage). */
  isDown = false;
  readonly #healthy: FakeTts;
  readonly #slow: FakeTts;
  readonly #options: FaultyTtsOptions;

  constructor(options: FaultyTtsOptions = {}) {
    this.#options = options;
    this.name = options.name ?? 'faulty';
    this.sampleRate = options.sampleRate ?? 16_000;
    const base = {
      sampleRate: this.sampleRate,
      ttfbMs: options.ttfbMs ?? 30,
      msPerChar: options.msPerChar ?? 15,
      chunkMs: 100,
    };
    this.#healthy = new FakeTts({ ...base, realtimeFactor: options.realtimeFactor ?? 0.1 });
    this.#slow = new FakeTts({ ...base, realtimeFactor: 2 });
  }

  /** Open streams of the inner fakes (must agree with `requests`). */
  get innerOpen(): number {
    return this.#healthy.streams.open + this.#slow.streams.open;
  }

  synthesize(text: string): Observable<TtsChunk> {
    return tracked(this.requests, () => this.#plan(text));
  }

  #plan(text: string): Observable<TtsChunk> {
    // The inner fakes record every text; a soak would read that as a leak.
    this.#healthy.texts.length = 0;
    this.#slow.texts.length = 0;
    const tally = this.#options.tally;
    const failure = (what: string) =>
      throwError(() => new ProviderUnavailableError(what, { source: `tts:${this.name}` }));
    if (this.isDown) {
      tally?.add('tts', 'outage');
      return failure('speech synthesis unavailable');
    }
    const fault = this.#options.ignoresFaultWords ? undefined : faultIn(text, 'tts');
    if (fault) tally?.add('tts', fault);
    switch (fault) {
      case undefined:
        return this.#healthy.synthesize(text);
      case 'fail-first':
        return failure('injected fail-first');
      case 'fail-mid':
        return concat(this.#healthy.synthesize(text).pipe(take(1)), failure('injected fail-mid'));
      case 'stall':
        return timer(this.#options.stallMs ?? 1500).pipe(switchMap(() => this.#healthy.synthesize(text)));
      case 'hang':
        return NEVER;
      case 'slow':
        return this.#slow.synthesize(text);
    }
  }
}
