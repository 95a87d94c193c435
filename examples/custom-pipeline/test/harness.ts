import {
  type AudioFrame,
  createVoiceSession,
  type SessionEvent,
  type VoiceSessionConfig,
} from '@voxduplex/core';
import {
  FakeLlm,
  type FakeLlmOptions,
  FakeStt,
  FakeTts,
  runVirtualTime,
  type ScriptedUtterance,
  silence,
} from '@voxduplex/core/testing';
import { type Observable, tap, VirtualAction, VirtualTimeScheduler } from 'rxjs';

/** A fake recognizer that keeps every frame it is given: what the `audioIn` stage let through. */
export class RecordingStt extends FakeStt {
  readonly heard: AudioFrame[] = [];

  override transcribe(audio$: Observable<AudioFrame>) {
    return super.transcribe(audio$.pipe(tap((frame) => this.heard.push(frame))));
  }
}

/** Options of {@link conversation}. */
export interface ConversationOptions {
  readonly utterances?: readonly ScriptedUtterance[];
  readonly llm?: Omit<FakeLlmOptions, 'scheduler'>;
  readonly config?: Partial<VoiceSessionConfig>;
  /** How long the microphone streams silence, ms (20 ms frames in real time); 0 for none. */
  readonly micMs?: number;
}

/**
 * A session on the core's fakes in virtual time: the fake user says `utterances` while a
 * microphone streams silent frames. Nothing here waits on the wall clock.
 */
export function conversation(options: ConversationOptions = {}) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const utterances = options.utterances ?? [];
  const stt = new RecordingStt({ finalDelayMs: 100, utterances, scheduler });
  const llm = new FakeLlm({
    ttftMs: 300,
    tokensPerSecond: 40,
    reply: 'I do not know.',
    ...options.llm,
    scheduler,
  });
  const tts = new FakeTts({ ttfbMs: 150, msPerChar: 50, chunkMs: 100, realtimeFactor: 0.1, scheduler });
  const session = createVoiceSession({ stt, llm, tts, scheduler, ...options.config });
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
    events,
    /** Runs `action` at virtual time `ms`. */
    at(ms: number, action: () => void) {
      scheduler.schedule(action, Math.max(0, ms - scheduler.now()));
    },
    /** Runs virtual time to the end, letting promises (an async generator's awaits) settle between steps. */
    run() {
      return runVirtualTime(scheduler);
    },
    ofType<K extends SessionEvent['type']>(type: K) {
      return events.filter((e): e is Extract<SessionEvent, { type: K }> & { at: number } => e.type === type);
    },
    /** What the agent said, as stored in the history. */
    assistantTexts() {
      return session.history.flatMap((m) => (m.role === 'assistant' ? [m.content] : []));
    },
  };
}
