import type { PlaybackControl, SpeechAudio, VoiceSession } from '@voxduplex/core';
import type { SchedulerLike, Subscription } from 'rxjs';

const TICK_MS = 20;
const ACK_EVERY_MS = 200;

/**
 * A listener's player without a sound card: it "plays" agent audio in real (scheduler) time
 * after a small jitter buffer, obeys pause/resume/interrupt, and reports back to the session
 * the way the browser player does (first sample played, position acks, finished).
 */
export class SimulatedPlayer {
  readonly #session: VoiceSession;
  readonly #scheduler: SchedulerLike;
  readonly #jitterBufferMs: number;
  readonly #subscriptions: Subscription[] = [];
  #speechId: string | undefined;
  #queuedMs = 0;
  #playedMs = 0;
  #lastAckMs = 0;
  #reportedEndAtMs = -1;
  #isPaused = false;
  #tick: Subscription | undefined;
  /** When playback last advanced; ticks are timers, late under load, so playback follows the clock. */
  #lastAdvanceAt: number | undefined;

  constructor(session: VoiceSession, scheduler: SchedulerLike, jitterBufferMs = 60) {
    this.#session = session;
    this.#scheduler = scheduler;
    this.#jitterBufferMs = jitterBufferMs;
    this.#subscriptions.push(session.audio$.subscribe((audio) => this.#enqueue(audio)));
    this.#subscriptions.push(session.controls$.subscribe((control) => this.#control(control)));
  }

  stop(): void {
    this.#tick?.unsubscribe();
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
  }

  #enqueue(audio: SpeechAudio): void {
    if (audio.speechId !== this.#speechId) {
      this.#tick?.unsubscribe();
      this.#speechId = audio.speechId;
      this.#queuedMs = this.#playedMs = this.#lastAckMs = 0;
      this.#reportedEndAtMs = -1;
      this.#isPaused = false;
      this.#lastAdvanceAt = undefined;
      this.#tick = this.#scheduleTick(this.#jitterBufferMs);
    }
    this.#queuedMs += audio.durationMs;
  }

  #scheduleTick(delayMs: number): Subscription {
    return this.#scheduler.schedule(() => {
      this.#advance();
      if (this.#speechId) this.#tick = this.#scheduleTick(TICK_MS);
    }, delayMs);
  }

  #advance(): void {
    const speechId = this.#speechId;
    const now = this.#scheduler.now();
    if (!speechId || this.#isPaused) {
      this.#lastAdvanceAt = undefined;
      return;
    }
    if (this.#playedMs === 0) this.#session.playbackStarted(speechId);
    const elapsedMs = this.#lastAdvanceAt === undefined ? TICK_MS : now - this.#lastAdvanceAt;
    this.#lastAdvanceAt = now;
    this.#playedMs = Math.min(this.#queuedMs, this.#playedMs + elapsedMs);
    if (this.#playedMs - this.#lastAckMs >= ACK_EVERY_MS) {
      this.#lastAckMs = this.#playedMs;
      this.#session.playbackAck({ speechId, playedMs: this.#playedMs });
    }
    if (this.#playedMs >= this.#queuedMs && this.#reportedEndAtMs !== this.#queuedMs) {
      // Out of audio: either the speech is over or more is coming; the session knows which.
      this.#reportedEndAtMs = this.#queuedMs;
      this.#session.playbackAck({ speechId, playedMs: this.#playedMs });
      this.#session.playbackFinished(speechId);
    }
  }

  #control(control: PlaybackControl): void {
    if (control.speechId !== this.#speechId) return;
    if (control.type === 'pause') this.#isPaused = true;
    else if (control.type === 'resume') this.#isPaused = false;
    else {
      this.#tick?.unsubscribe();
      this.#speechId = undefined;
    }
  }
}
