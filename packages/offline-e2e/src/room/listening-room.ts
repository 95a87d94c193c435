import type { VoiceSession } from '@voxduplex/core';
import { AcousticEcho } from '@voxduplex/core/testing';
import { asyncScheduler, type Subscription } from 'rxjs';
import { SimulatedPlayer } from '../../../../scripts/demo/simulated-player';
import { SimulatedMicrophone, type UtteranceTiming } from '../simulated-microphone';
import { SPEECH_SAMPLE_RATE } from '../to-mono-16k';

/** The room a listener talks to the agent in. */
export interface ListeningRoomOptions {
  /** The agent's voice coming back from the speakers into the microphone; none with headphones. */
  readonly echo?: { readonly gainDb: number; readonly delayMs: number };
  /** A noise bed (16 kHz mono) mixed into the microphone, looped. */
  readonly noise?: Int16Array;
  /** The listener's jitter buffer: playback starts this long after the first chunk. Default 60 ms. */
  readonly jitterBufferMs?: number;
}

/**
 * A listener in real time for a real session: a microphone pushing frames at the pace of a
 * sound card, a player that plays the agent's audio and acks it like the browser's, and — as in
 * a room with speakers — the agent's voice, delayed and attenuated, mixed into the microphone
 * (and a noise bed if given). Times are `performance.now()`.
 */
export class ListeningRoom {
  readonly #session: VoiceSession;
  readonly #microphone: SimulatedMicrophone;
  readonly #player: SimulatedPlayer;
  readonly #echo: AcousticEcho | undefined;
  readonly #noise: Int16Array | undefined;
  readonly #subscriptions: Subscription[] = [];
  #noiseAt = 0;

  constructor(session: VoiceSession, options: ListeningRoomOptions = {}) {
    const jitterBufferMs = options.jitterBufferMs ?? 60;
    this.#session = session;
    this.#noise = options.noise;
    this.#player = new SimulatedPlayer(session, asyncScheduler, jitterBufferMs);
    this.#microphone = new SimulatedMicrophone((chunk, capturedAt) => {
      const withNoise = this.#addNoise(chunk.samples);
      const samples = this.#echo ? this.#echo.mixInto(withNoise, capturedAt) : withNoise;
      session.pushAudio({ ...chunk, samples });
    });
    if (options.echo) {
      const echo = new AcousticEcho({ sampleRate: SPEECH_SAMPLE_RATE, ...options.echo });
      this.#echo = echo;
      this.#subscriptions.push(
        session.audio$.subscribe((audio) =>
          echo.play(audio.samples, audio.sampleRate, performance.now() + jitterBufferMs),
        ),
        session.controls$.subscribe((control) => {
          const now = performance.now();
          if (control.type === 'pause') echo.pause(now);
          else if (control.type === 'resume') echo.resume(now);
          else echo.stop(now);
        }),
      );
    }
  }

  get session(): VoiceSession {
    return this.#session;
  }

  start(): void {
    this.#microphone.start();
  }

  /** The user says `samples` (after what is already queued); resolves when all is pushed. */
  say(samples: Int16Array): Promise<UtteranceTiming> {
    return this.#microphone.say(samples);
  }

  stop(): void {
    this.#microphone.stop();
    this.#player.stop();
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
  }

  #addNoise(samples: Int16Array): Int16Array {
    const noise = this.#noise;
    if (!noise || noise.length === 0) return samples;
    return Int16Array.from(samples, (sample) => {
      const mixed = sample + noise[this.#noiseAt++ % noise.length]!;
      return Math.max(-32768, Math.min(32767, mixed));
    });
  }
}
