import {
  createVoiceSession,
  type LlmProvider,
  type TtsProvider,
  type VoiceSession,
  type VoiceSessionConfig,
} from '@voxduplex/core';
import {
  FakeLlm,
  type FakeLlmOptions,
  FakeStt,
  FakeTts,
  type FakeTtsOptions,
  runVirtualTime,
  type ScriptedUtterance,
  silence,
} from '@voxduplex/core/testing';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';

export interface VirtualCallOptions {
  readonly utterances?: readonly ScriptedUtterance[];
  readonly llm?: Omit<FakeLlmOptions, 'scheduler'>;
  readonly tts?: Omit<FakeTtsOptions, 'scheduler'>;
  /** Decorate the fake providers before the session gets them (tracing, logging). */
  readonly wrapLlm?: (llm: LlmProvider) => LlmProvider;
  readonly wrapTts?: (tts: TtsProvider) => TtsProvider;
  readonly config?: Partial<VoiceSessionConfig>;
  /** How long the microphone streams, ms (20 ms frames at 16 kHz, each when it was captured). */
  readonly micMs?: number;
  /** The microphone's samples for the frame starting at `startMs` (default silence). */
  readonly micSamples?: (startMs: number) => Int16Array;
}

/**
 * A whole call in virtual time, for packages that observe sessions (tracing, recording): fake
 * providers on one `VirtualTimeScheduler`, a microphone whose frames arrive when captured, and
 * the recognizer "hearing" the scripted utterances. Nothing runs until `run()`, so an observer
 * can attach to `session` first.
 */
export function virtualCall(options: VirtualCallOptions = {}) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const utterances = options.utterances ?? [];
  const stt = new FakeStt({ finalDelayMs: 100, utterances, scheduler });
  const llm = new FakeLlm({
    ttftMs: 300,
    tokensPerSecond: 40,
    reply: 'Sure. It is sunny today.',
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
  const session: VoiceSession = createVoiceSession({
    stt,
    llm: options.wrapLlm ? options.wrapLlm(llm) : llm,
    tts: options.wrapTts ? options.wrapTts(tts) : tts,
    scheduler,
    ...options.config,
  });
  const micMs = options.micMs ?? 10_000;
  const micSamples = options.micSamples ?? (() => silence(20, 16000));
  // Each frame schedules the next: the virtual scheduler sorts its queue on every schedule, so a
  // half-hour call queued up front would cost minutes.
  const frameAt = (startMs: number) => {
    if (startMs >= micMs) return;
    scheduler.schedule(
      () => {
        session.pushAudio({ samples: micSamples(startMs), sampleRate: 16000, channels: 1, startMs });
        frameAt(startMs + 20);
      },
      startMs + 20 - scheduler.now(),
    );
  };
  frameAt(0);
  return {
    scheduler,
    session,
    stt,
    llm,
    tts,
    /** Runs `action` at virtual time `ms` (absolute). */
    at(ms: number, action: () => void) {
      scheduler.schedule(action, Math.max(0, ms - scheduler.now()));
    },
    run() {
      scheduler.flush();
    },
    /** Like `run`, letting promises (tool results) settle between virtual-time steps. */
    runAsync() {
      return runVirtualTime(scheduler);
    },
  };
}
