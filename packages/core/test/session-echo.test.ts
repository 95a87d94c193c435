import { Observable, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type AudioFrame, audioFrameDurationMs } from '../src/frames/audio';
import type { VadEvent } from '../src/frames/transcript';
import type { VadProvider } from '../src/providers/vad';
import type { VoiceSessionConfig } from '../src/session/config';
import { createVoiceSession } from '../src/session/create-voice-session';
import type { SessionEvent } from '../src/session/events';
import { AcousticEcho } from '../src/testing/acoustic-echo';
import { FakeLlm } from '../src/testing/fake-llm';
import { FakeStt } from '../src/testing/fake-stt';
import { FakeTts } from '../src/testing/fake-tts';
import { sineTone } from '../src/testing/tone';
import { virtualConversation } from '../src/testing/virtual-conversation';

const RATE = 16_000;
const FRAME_MS = 20;

/** A VAD that hears loudness: speech starts after 40 ms above −40 dBFS, ends after 200 ms below. */
class LevelVad implements VadProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'level';
  readonly sampleRate = RATE;
  detect(audio$: Observable<AudioFrame>): Observable<VadEvent> {
    return new Observable<VadEvent>((subscriber) => {
      let loudMs = 0;
      let quietMs = 0;
      let isSpeaking = false;
      return audio$.subscribe((frame) => {
        const atMs = frame.startMs + audioFrameDurationMs(frame);
        let sum = 0;
        for (const sample of frame.samples) sum += (sample / 32768) ** 2;
        const isLoud = sum / frame.samples.length > 1e-4;
        loudMs = isLoud ? loudMs + FRAME_MS : 0;
        quietMs = isLoud ? 0 : quietMs + FRAME_MS;
        if (!isSpeaking && loudMs >= 40) {
          isSpeaking = true;
          subscriber.next({ type: 'speech-start', atMs, probability: 1 });
        } else if (isSpeaking && quietMs >= 200) {
          isSpeaking = false;
          subscriber.next({ type: 'speech-end', atMs, probability: 0 });
        }
      });
    });
  }
}

/**
 * The agent says a long text (a 220 Hz tone from the fake TTS) into a room that sends it back
 * to the microphone; the user, a 700 Hz tone, may talk over it from `userFromMs` for 600 ms.
 */
function echoingRoom({
  gainDb,
  delayMs,
  userFromMs,
  config,
}: {
  gainDb: number;
  delayMs: number;
  userFromMs?: number;
  config?: Partial<VoiceSessionConfig>;
}) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const session = createVoiceSession({
    stt: new FakeStt({ scheduler }),
    llm: new FakeLlm({ scheduler }),
    tts: new FakeTts({ scheduler, ttfbMs: 100, msPerChar: 60, chunkMs: 100, realtimeFactor: 0.1 }),
    vad: new LevelVad(),
    scheduler,
    interruption: { minSpeechMs: 60 },
    ...config,
  });
  const events: SessionEvent[] = [];
  session.events$.subscribe((event) => events.push(event));
  const room = new AcousticEcho({ sampleRate: RATE, delayMs, gainDb });
  session.audio$.subscribe((audio) => room.play(audio.samples, audio.sampleRate, scheduler.now()));
  session.controls$.subscribe((control) => {
    const now = scheduler.now();
    if (control.type === 'pause') room.pause(now);
    else if (control.type === 'resume') room.resume(now);
    else room.stop(now);
  });
  for (let startMs = 0; startMs < 8000; startMs += FRAME_MS) {
    scheduler.schedule(() => {
      const isUserTalking = userFromMs !== undefined && startMs >= userFromMs && startMs < userFromMs + 600;
      const user = isUserTalking
        ? sineTone(FRAME_MS, RATE, {
            frequencyHz: 700,
            amplitude: 0.1,
            phaseSamples: (startMs * RATE) / 1000,
          })
        : new Int16Array((FRAME_MS * RATE) / 1000);
      session.pushAudio({ samples: room.mixInto(user, startMs), sampleRate: RATE, channels: 1, startMs });
    }, startMs + FRAME_MS);
  }
  scheduler.schedule(
    () => session.say('Once upon a time a fox lived at the edge of a quiet forest by the river.'),
    500,
  );
  scheduler.flush();
  const ofType = <K extends SessionEvent['type']>(type: K) =>
    events.filter((e): e is Extract<SessionEvent, { type: K }> => e.type === type);
  return { session, events, ofType, controls: ofType('control').map((e) => e.control.type) };
}

describe('the agent’s own voice in the microphone', () => {
  it.each([
    [-6, 20],
    [-12, 80],
    [-20, 150],
  ])('at %i dB and %i ms neither pauses nor interrupts the agent', (gainDb, delayMs) => {
    const room = echoingRoom({ gainDb, delayMs });
    expect(room.controls).toEqual([]);
    expect(room.ofType('speech-end').map((e) => e.interrupted)).toEqual([false]);
    // Not even the VAD heard speech: the echo never reached it.
    expect(room.ofType('state').some((e) => e.state.user === 'speaking')).toBe(false);
  });

  it('would pause the agent if echo handling were off', () => {
    const room = echoingRoom({
      gainDb: -12,
      delayMs: 80,
      config: { interruption: { minSpeechMs: 60, echo: false } },
    });
    expect(room.controls).toContain('pause');
  });

  it('does not stop the user, talking over the echo, from pausing the agent', () => {
    const room = echoingRoom({ gainDb: -12, delayMs: 80, userFromMs: 2500 });
    expect(room.controls[0]).toBe('pause');
  });
});

describe('the recognizer hearing the agent', () => {
  const story =
    'Once upon a time a small robot lived by the sea. Every morning it counted the waves and wrote the numbers in the sand.';

  it('ignores a transcript that repeats what the agent is saying, and answers one that does not', () => {
    const c = virtualConversation({
      // The agent's audio starts at 3 s; "a small robot lived", played by 4.8 s, comes back from
      // 4 s; then a real question.
      utterances: [
        { text: 'tell me a story', startMs: 500 },
        { text: 'a small robot lived', startMs: 4000 },
        { text: 'what about dragons', startMs: 7000 },
      ],
      withVad: false,
      llm: { tokensPerSecond: 20, reply: (_, call) => (call === 0 ? story : 'Dragons are rare.') },
    });
    c.run();
    const transcripts = c.ofType('transcript').map((e) => e.transcript.text);
    expect(transcripts.some((text) => /robot/.test(text))).toBe(false);
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['tell me a story', 'what about dragons']);
    const cut = c.ofType('speech-end')[0];
    expect(cut?.interrupted).toBe(true);
    expect(cut?.heardText).toMatch(/robot lived/);
  });

  it('ignores the echo of the speech’s last words, recognized after it ended', () => {
    const c = virtualConversation({
      // The speech ends at 3.4 s; its last words come back from 3.3 s, their final at 4 s.
      utterances: [
        { text: 'hello', startMs: 500 },
        { text: 'warm today', startMs: 3300 },
      ],
      llm: { reply: 'Sure. It is sunny and warm today.' },
    });
    c.run();
    expect(c.ofType('speech-end').map((e) => e.interrupted)).toEqual([false]);
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['hello']);
  });
});

describe('the user repeating the agent', () => {
  it('is heard when they start after the agent has finished', () => {
    const c = virtualConversation({
      // The greeting ends at about 3.3 s; the user repeats its words 700 ms later.
      utterances: [
        { text: 'hello', startMs: 500 },
        { text: 'what time is it', startMs: 4000 },
      ],
      llm: { reply: (_, call) => (call === 0 ? 'Hi. Ask me what time is it.' : 'It is noon.') },
    });
    c.run();
    expect(c.ofType('speech-end')[0]?.interrupted).toBe(false);
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['hello', 'what time is it']);
  });
});
