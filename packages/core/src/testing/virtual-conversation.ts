import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import type { LlmProvider } from '../providers/llm';
import type { SttProvider } from '../providers/stt';
import type { TtsProvider } from '../providers/tts';
import type { VoiceSessionConfig } from '../session/config';
import { createVoiceSession } from '../session/create-voice-session';
import type { SessionEvent } from '../session/events';
import type { SessionPhase } from '../session/state';
import type { VoiceSession } from '../session/voice-session';
import { FakeLlm, type FakeLlmOptions } from './fake-llm';
import { FakeStt, type FakeSttOptions } from './fake-stt';
import { FakeTts, type FakeTtsOptions } from './fake-tts';
import { FakeVad } from './fake-vad';
import { streamMicrophone } from './microphone';
import { runVirtualTime } from './run-virtual-time';
import type { ScriptedUtterance } from './script';

/** Options of {@link virtualConversation}; all optional. */
export interface VirtualConversationOptions {
  /** What the fake user says, on the audio timeline: the fake recognizer (and VAD) hear it. */
  readonly utterances?: readonly ScriptedUtterance[];
  /** The fake recognizer's options. Default: its final 100 ms after the speech ends. */
  readonly stt?: Omit<FakeSttOptions, 'scheduler' | 'utterances'>;
  /**
   * The fake LLM's options. Default: 300 ms to its first token, 40 tokens/s, replying
   * `'Sure. It is sunny and warm today.'`.
   */
  readonly llm?: Omit<FakeLlmOptions, 'scheduler'>;
  /** The fake TTS's options. Default: 150 ms to its first chunk, 50 ms of audio per character. */
  readonly tts?: Omit<FakeTtsOptions, 'scheduler'>;
  /** Give the session a {@link FakeVad} that hears the same utterances. Default `false`. */
  readonly withVad?: boolean;
  /**
   * What the session gets instead of the fake recognizer: a decorator around it (tracing,
   * recording what it heard), a fallback chain it is a member of, or another provider. Runs once,
   * with the conversation's scheduler for anything that keeps time.
   */
  readonly wrapStt?: (stt: FakeStt, scheduler: VirtualTimeScheduler) => SttProvider;
  /** As {@link VirtualConversationOptions.wrapStt}, for the LLM. */
  readonly wrapLlm?: (llm: FakeLlm, scheduler: VirtualTimeScheduler) => LlmProvider;
  /** As {@link VirtualConversationOptions.wrapStt}, for the TTS. */
  readonly wrapTts?: (tts: FakeTts, scheduler: VirtualTimeScheduler) => TtsProvider;
  /** Session options (`pipeline`, `interruption`, `tools`…); they win over the providers above. */
  readonly config?: Partial<VoiceSessionConfig>;
  /** How long the microphone streams, ms of audio; `0` for none (push frames with `at`). Default 10 s. */
  readonly micMs?: number;
  /**
   * The microphone's 16 kHz mono samples for the 20 ms frame starting at `startMs` (320 samples).
   * Default silence: the fake recognizer hears the utterances whatever the samples are.
   */
  readonly micSamples?: (startMs: number) => Int16Array;
}

/** A session event as {@link virtualConversation} recorded it, with the virtual time it came at. */
export type RecordedSessionEvent<K extends SessionEvent['type'] = SessionEvent['type']> = Extract<
  SessionEvent,
  { type: K }
> & { readonly at: number };

/** A whole conversation in virtual time, made by {@link virtualConversation}. */
export interface VirtualConversation {
  /** The one clock of the session, its providers and the microphone. */
  readonly scheduler: VirtualTimeScheduler;
  readonly session: VoiceSession;
  /** The fakes, also when a `wrap…` option put something around them (their `streams` count). */
  readonly stt: FakeStt;
  readonly llm: FakeLlm;
  readonly tts: FakeTts;
  /** The detector given with `withVad`. */
  readonly vad: FakeVad | undefined;
  /** Every session event so far, in order, with its virtual time `at` (ms). */
  readonly events: readonly RecordedSessionEvent[];
  /** Runs `action` at virtual time `ms` (absolute; at once if that time has passed). */
  at(ms: number, action: () => void): void;
  /** Runs virtual time until nothing is left to do. Synchronous: promises settle only after it. */
  run(): void;
  /**
   * Like {@link run}, but lets promises settle between virtual-time steps: use it when a stage,
   * a tool or a custom reply awaits something (an async generator, a `fetch` you faked).
   */
  runAsync(): Promise<void>;
  /** A promise of `value` after `ms` of virtual time, rejected with the reason if `signal` aborts. */
  later<T>(ms: number, value: T, signal?: AbortSignal): Promise<T>;
  /** The recorded events of one type, typed. */
  ofType<K extends SessionEvent['type']>(type: K): RecordedSessionEvent<K>[];
  /** The session's phases in the order it went through them. */
  phases(): SessionPhase[];
  /** What the agent said, as the history stores it (translated, filtered, cut where heard). */
  assistantTexts(): string[];
}

/**
 * A whole voice conversation in virtual time, to test a session or your own pipeline stages
 * without waiting on the wall clock: a {@link FakeStt}, {@link FakeLlm} and {@link FakeTts} (and,
 * with `withVad`, a {@link FakeVad}) on one `VirtualTimeScheduler`, a session on them, and a
 * microphone whose 20 ms frames arrive when their last sample was captured, while the fake
 * recognizer "hears" the scripted `utterances`. Every session event is recorded with its time.
 *
 * Nothing runs until {@link VirtualConversation.run} (or `runAsync`): attach observers to
 * `session` and schedule actions with `at` first. The microphone queues one frame at a time,
 * so long calls stay cheap.
 *
 * @example
 * ```ts
 * import type { Sentence } from '@voxduplex/core';
 * import { virtualConversation } from '@voxduplex/core/testing';
 * import { map } from 'rxjs';
 *
 * const call = virtualConversation({
 *   utterances: [{ text: 'how is the coffee', startMs: 500 }],
 *   llm: { reply: 'Darn good. Try it.' },
 *   // the stage under test
 *   config: { pipeline: { sentences: map((s: Sentence) => ({ ...s, text: s.text.replace('Darn', 'Very') })) } },
 *   micMs: 5000,
 * });
 * call.run(); // 5 s of call, at once
 * call.tts.texts; // ['Very good.', 'Try it.']
 * call.ofType('user-turn')[0]?.at; // 2000: virtual ms at which the user's turn ended
 * call.session.close();
 * ```
 */
export function virtualConversation(options: VirtualConversationOptions = {}): VirtualConversation {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const utterances = options.utterances ?? [];
  const stt = new FakeStt({ finalDelayMs: 100, ...options.stt, utterances, scheduler });
  const llm = new FakeLlm({
    ttftMs: 300,
    tokensPerSecond: 40,
    reply: 'Sure. It is sunny and warm today.',
    ...options.llm,
    scheduler,
  });
  const tts = new FakeTts({
    ttfbMs: 150,
    msPerChar: 50,
    chunkMs: 100,
    realtimeFactor: 0.1,
    ...options.tts,
    scheduler,
  });
  const vad = options.withVad ? new FakeVad({ utterances, msPerWord: options.stt?.msPerWord }) : undefined;
  const session = createVoiceSession({
    stt: options.wrapStt ? options.wrapStt(stt, scheduler) : stt,
    llm: options.wrapLlm ? options.wrapLlm(llm, scheduler) : llm,
    tts: options.wrapTts ? options.wrapTts(tts, scheduler) : tts,
    ...(vad ? { vad } : {}),
    scheduler,
    ...options.config,
  });
  const events: RecordedSessionEvent[] = [];
  session.events$.subscribe((event) => events.push({ ...event, at: scheduler.now() }));
  streamMicrophone(session, scheduler, { durationMs: options.micMs ?? 10_000, samples: options.micSamples });

  const ofType = <K extends SessionEvent['type']>(type: K) =>
    events.filter((event): event is RecordedSessionEvent<K> => event.type === type);
  return {
    scheduler,
    session,
    stt,
    llm,
    tts,
    vad,
    events,
    at: (ms, action) => {
      scheduler.schedule(action, Math.max(0, ms - scheduler.now()));
    },
    run: () => {
      scheduler.flush();
    },
    runAsync: () => runVirtualTime(scheduler),
    later: (ms, value, signal) =>
      new Promise((resolve, reject) => {
        const timer = scheduler.schedule(() => resolve(value), ms);
        signal?.addEventListener('abort', () => {
          timer.unsubscribe();
          reject(signal.reason);
        });
      }),
    ofType,
    phases: () => ofType('state').map((event) => event.state.phase),
    assistantTexts: () =>
      session.history.flatMap((message) => (message.role === 'assistant' ? [message.content] : [])),
  };
}
