import type { LlmProvider, SttProvider, TtsProvider } from '@voxduplex/core';
import {
  FakeLlm,
  type FakeLlmOptions,
  FakeStt,
  type FakeSttOptions,
  FakeTts,
  type FakeTtsOptions,
} from '@voxduplex/core/testing';

/** How many times each provider entry point was called: each call is one billable request. */
export interface ProviderCalls {
  transcribe: number;
  generate: number;
  synthesize: number;
}

/** Options of the three fakes behind a {@link CountedProviders}. */
export interface CountedProvidersOptions {
  readonly stt?: FakeSttOptions;
  readonly llm?: FakeLlmOptions;
  readonly tts?: FakeTtsOptions;
}

/**
 * One fake STT, LLM and TTS, wrapped so that every `transcribe` / `generate` / `synthesize`
 * call is counted at the call itself (before any subscription): the cost a refused client must
 * never cause. `fakes` keeps the unwrapped fakes for their stream counters.
 */
export class CountedProviders {
  readonly calls: ProviderCalls = { transcribe: 0, generate: 0, synthesize: 0 };
  readonly fakes: { readonly stt: FakeStt; readonly llm: FakeLlm; readonly tts: FakeTts };
  readonly stt: SttProvider;
  readonly llm: LlmProvider;
  readonly tts: TtsProvider;

  constructor(options: CountedProvidersOptions = {}) {
    this.fakes = {
      stt: new FakeStt(options.stt),
      llm: new FakeLlm(options.llm),
      tts: new FakeTts(options.tts),
    };
    this.stt = countCalls(this.fakes.stt, 'transcribe', () => this.calls.transcribe++);
    this.llm = countCalls(this.fakes.llm, 'generate', () => this.calls.generate++);
    this.tts = countCalls(this.fakes.tts, 'synthesize', () => this.calls.synthesize++);
  }

  /** Every call to any of the three. */
  get totalCalls(): number {
    return this.calls.transcribe + this.calls.generate + this.calls.synthesize;
  }

  /** Recognition, generation and synthesis streams still open (0 after a clean teardown). */
  get openStreams(): number {
    const { stt, llm, tts } = this.fakes;
    return stt.streams.open + llm.streams.open + tts.streams.open;
  }
}

/**
 * A view of `target` whose `method` bumps a counter on each call. Methods run with the target
 * as `this`, because the fakes keep their state in private fields a proxy cannot reach.
 */
export function countCalls<T extends object>(target: T, method: keyof T & string, onCall: () => void): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      if (property !== method) return value.bind(object);
      return (...args: unknown[]) => {
        onCall();
        return value.apply(object, args);
      };
    },
  });
}
