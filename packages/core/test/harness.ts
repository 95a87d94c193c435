import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import type { VoiceSessionConfig } from '../src/session/config';
import { createVoiceSession } from '../src/session/create-voice-session';
import type { SessionEvent } from '../src/session/events';
import type { VoiceSession } from '../src/session/voice-session';
import { FakeLlm, type FakeLlmOptions } from '../src/testing/fake-llm';
import { FakeStt, type FakeSttOptions } from '../src/testing/fake-stt';
import { FakeTts, type FakeTtsOptions } from '../src/testing/fake-tts';
import { FakeVad } from '../src/testing/fake-vad';
import { runVirtualTime } from '../src/testing/run-virtual-time';
import type { ScriptedUtterance } from '../src/testing/script';
import { silence } from '../src/testing/tone';

export interface ConversationOptions {
  readonly utterances?: readonly ScriptedUtterance[];
  readonly stt?: Omit<FakeSttOptions, 'scheduler' | 'utterances'>;
  readonly llm?: Omit<FakeLlmOptions, 'scheduler'>;
  readonly tts?: Omit<FakeTtsOptions, 'scheduler'>;
  /** Give the session a VAD that hears the same utterances. */
  readonly withVad?: boolean;
  readonly config?: Partial<VoiceSessionConfig>;
  /** How long the microphone streams, ms of audio (20 ms frames in real time). */
  readonly micMs?: number;
  /**
   * Providers built around the fakes on the conversation's clock (fallback chains): what it
   * returns replaces the fake of that kind in the session.
   */
  readonly providers?: (
    fakes: { readonly stt: FakeStt; readonly llm: FakeLlm; readonly tts: FakeTts },
    scheduler: VirtualTimeScheduler,
  ) => Partial<Pick<VoiceSessionConfig, 'stt' | 'llm' | 'tts'>>;
}

/**
 * A whole conversation in virtual time: fake providers, a session, a microphone streaming
 * silent frames in real time while the fake recognizer "hears" the scripted utterances.
 */
export function conversation(options: ConversationOptions = {}) {
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
  const vad = options.withVad ? new FakeVad({ utterances }) : undefined;
  const session: VoiceSession = createVoiceSession({
    stt,
    llm,
    tts,
    ...options.providers?.({ stt, llm, tts }, scheduler),
    ...(vad ? { vad } : {}),
    scheduler,
    ...options.config,
  });
  const events: (SessionEvent & { at: number })[] = [];
  session.events$.subscribe((event) => events.push({ ...event, at: scheduler.now() }));

  const micMs = options.micMs ?? 10_000;
  // Like a real microphone, each 20 ms frame arrives when its last sample was captured.
  for (let startMs = 0; startMs < micMs; startMs += 20) {
    const frame = { samples: silence(20, 16000), sampleRate: 16000, channels: 1, startMs };
    scheduler.schedule(() => session.pushAudio(frame), startMs + 20);
  }

  return {
    scheduler,
    session,
    stt,
    llm,
    tts,
    vad,
    events,
    /** Runs something at a virtual time (absolute, ms). */
    at(ms: number, action: () => void) {
      scheduler.schedule(action, Math.max(0, ms - scheduler.now()));
    },
    run() {
      scheduler.flush();
    },
    /** Like `run`, but lets promises (tool results) settle between virtual-time steps. */
    runAsync() {
      return runVirtualTime(scheduler);
    },
    /** A promise resolved with `value` after `ms` of virtual time, rejected if `signal` aborts. */
    later<T>(ms: number, value: T, signal?: AbortSignal): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = scheduler.schedule(() => resolve(value), ms);
        signal?.addEventListener('abort', () => {
          timer.unsubscribe();
          reject(signal.reason);
        });
      });
    },
    ofType<K extends SessionEvent['type']>(type: K) {
      return events.filter((e): e is Extract<SessionEvent, { type: K }> & { at: number } => e.type === type);
    },
    phases() {
      return this.ofType('state').map((e) => e.state.phase);
    },
  };
}
