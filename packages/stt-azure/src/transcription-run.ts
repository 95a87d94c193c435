import {
  AudioFormatError,
  type AudioFrame,
  audioFrameDurationMs,
  giveUpError,
  ProviderAuthError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  ResendAllowance,
  RetryBudget,
  type SttEvent,
  toVoxError,
  type VoxError,
} from '@voxduplex/core';
import type { Observable, Subscriber } from 'rxjs';
import { STT_SOURCE } from './errors';
import type { ResolvedAzureSttOptions } from './options';
import { RecognizerLeg } from './recognizer-leg';
import { buildSpeechConfig } from './speech-config';

/**
 * One `transcribe` subscription: its recognizers, retries, rotation and token refresh.
 * Internal to {@link AzureStt}.
 *
 * A failed recognizer is replaced as core's {@link RetryBudget} allows: only a final, or a
 * recognizer still answering `healthyAfterMs` in, is progress — interims are not, so a service
 * that drops every socket after partial results runs out of retries. Its replacement is fed the
 * audio the failed one had not finalized, within the {@link ResendAllowance}.
 */
export class TranscriptionRun {
  /** Recognizers in audio order: all but the last are draining (audio closed, awaiting finals). */
  readonly #legs: RecognizerLeg[] = [];
  readonly #disposals = new Set<Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #token: string | undefined;
  readonly #budget: RetryBudget;
  readonly #resend: ResendAllowance;
  /** The latest failure since the last progress, reported if the end of the audio times out. */
  #lastFailure: VoxError | undefined;
  /** Session time reached by the audio, ms: the re-send allowance's clock. */
  #audioReachedMs = 0;
  #isAudioDone = false;
  #isClosed = false;
  #audioSubscription: { unsubscribe(): void } | undefined;
  #pendingFrames: AudioFrame[] | undefined = [];

  constructor(
    private readonly options: ResolvedAzureSttOptions,
    private readonly subscriber: Subscriber<SttEvent>,
  ) {
    this.#token = options.authorizationToken;
    this.#budget = new RetryBudget(
      {
        maxRetries: options.maxRetries,
        initialDelayMs: options.retryDelayMs,
        maxDelayMs: options.maxRetryDelayMs,
      },
      { source: STT_SOURCE },
    );
    this.#resend = new ResendAllowance(
      { maxPerAttemptMs: options.maxReplayMs, maxPerMinuteMs: options.maxReplayPerMinuteMs },
      () => this.#audioReachedMs,
    );
  }

  start(audio$: Observable<AudioFrame>): void {
    this.#audioSubscription = audio$.subscribe({
      next: (frame) => this.#onFrame(frame),
      error: (error: unknown) => this.#fail(toVoxError(error, STT_SOURCE)),
      complete: () => this.#onAudioComplete(),
    });
    if (this.#isClosed) return;
    if (this.options.refreshToken !== undefined && this.#token === undefined) {
      this.#refreshToken().then(
        () => this.#openFirstLeg(),
        (error: unknown) => this.#fail(error as VoxError),
      );
    } else {
      this.#openFirstLeg();
    }
    if (this.options.refreshToken !== undefined) this.#scheduleTokenRefresh();
  }

  /** Tears everything down: stop with timeout, close push streams and recognizers. */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#audioSubscription?.unsubscribe();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const leg of this.#legs.splice(0)) this.#dispose(leg);
  }

  #openFirstLeg(): void {
    if (this.#isClosed) return;
    const frames = this.#pendingFrames ?? [];
    this.#pendingFrames = undefined;
    const leg = this.#openLeg(frames);
    if (leg && this.#isAudioDone) leg.closeAudio();
  }

  #openLeg(replay: readonly AudioFrame[]): RecognizerLeg | undefined {
    let leg: RecognizerLeg;
    try {
      leg = new RecognizerLeg(buildSpeechConfig(this.options, this.#token), this.options, {
        onEvent: (source, event) => this.#onEvent(source, event),
        onEnd: (source) => this.#onLegEnd(source),
        onError: (source, error) => this.#onLegError(source, error),
      });
    } catch (error) {
      this.#fail(toVoxError(error, STT_SOURCE));
      return undefined;
    }
    this.#legs.push(leg);
    this.#budget.attemptStarted();
    leg.start();
    for (const frame of replay) leg.write(frame);
    return leg;
  }

  get #current(): RecognizerLeg | undefined {
    const last = this.#legs.at(-1);
    return last && !last.isAudioClosed ? last : undefined;
  }

  #onFrame(frame: AudioFrame): void {
    if (this.#isClosed) return;
    if (frame.sampleRate !== 16000 || frame.channels !== 1 || !(frame.samples instanceof Int16Array)) {
      this.#fail(
        new AudioFormatError(
          `Azure STT takes 16 kHz mono Int16 frames, got ${frame.sampleRate} Hz, ${frame.channels} channel(s)`,
          { source: STT_SOURCE },
        ),
      );
      return;
    }
    this.#audioReachedMs = Math.max(this.#audioReachedMs, frame.startMs + audioFrameDurationMs(frame));
    if (this.#pendingFrames) {
      this.#pendingFrames.push(frame);
      return;
    }
    this.#maybeForceRotate();
    this.#current?.write(frame);
  }

  #onAudioComplete(): void {
    this.#isAudioDone = true;
    // While a recognizer is being (re)opened, it closes its audio itself once it has the replay.
    if (!this.#pendingFrames) {
      this.#current?.closeAudio();
      if (this.#legs.length === 0) {
        this.#complete();
        return;
      }
    }
    this.#setTimer(() => this.#endTimedOut(), this.options.endTimeoutMs);
  }

  #endTimedOut(): void {
    // Still retrying when the time is up: the failure is the real cause, not the wait.
    const last = this.#lastFailure;
    this.#fail(
      last
        ? giveUpError(last, this.#budget.attempts, this.#budget.policy.windowMs, STT_SOURCE)
        : new ProviderTimeoutError(
            `Azure did not confirm the end of the audio within ${this.options.endTimeoutMs} ms`,
            { source: STT_SOURCE },
          ),
    );
  }

  /**
   * Forced rotation, for a recognizer that has gone `forceRotateAfterMs` without a final (long
   * silence or one endless utterance). When it heard no speech since its last final, only the
   * last `idleReplayMs` are replayed, so the new recognizer is not throttled by the SDK.
   */
  #maybeForceRotate(): void {
    const current = this.#current;
    if (!current || this.#legs.length > 1) return;
    const force = this.options.forceRotateAfterMs ?? this.options.rotateAfterMs * 1.5;
    if (Date.now() - current.createdAt < force) return;
    const frames = current.unfinalized.frames();
    if (!current.isInSpeech) {
      const end = frames.at(-1);
      const from = end ? end.startMs - this.options.idleReplayMs : 0;
      this.#rotate(current, this.#allowedReplay(frames.filter((f) => f.startMs >= from)));
    } else {
      this.#rotate(current, this.#allowedReplay(frames));
    }
  }

  /**
   * Replaces `old` by a fresh recognizer fed the audio `old` has not finalized yet. `old` is
   * closed at once and its later events dropped: the new one recognizes that audio again, so
   * nothing is lost, split or repeated.
   */
  #rotate(old: RecognizerLeg, replay: readonly AudioFrame[]): void {
    const index = this.#legs.indexOf(old);
    if (index < 0 || old.isAudioClosed) return;
    this.#legs.splice(index, 1);
    this.#dispose(old);
    // The old recognizer's own speech-end would have come after the final; keep starts and ends paired.
    if (old.hasOpenSpeechStart && index === 0) {
      const atMs = old.lastFinalEndMs ?? old.timeline.toSessionMs(old.timeline.pushedMs);
      this.subscriber.next({ type: 'speech-end', atMs });
    }
    this.#openLeg(replay);
  }

  #onEvent(leg: RecognizerLeg, event: SttEvent): void {
    if (event.type === 'final') {
      this.#budget.progressed();
      this.#lastFailure = undefined;
    } else this.#budget.answered();
    if (this.#legs[0] === leg) this.subscriber.next(event);
    else leg.heldEvents.push(event);
    // Right after a final is the cheapest moment to rotate: little audio to replay.
    if (
      event.type === 'final' &&
      leg === this.#current &&
      Date.now() - leg.createdAt >= this.options.rotateAfterMs
    ) {
      this.#rotate(leg, this.#allowedReplay(leg.unfinalized.frames()));
    }
  }

  #onLegEnd(leg: RecognizerLeg): void {
    const index = this.#legs.indexOf(leg);
    if (index < 0) return;
    if (!leg.isAudioClosed) {
      // The service ended while audio still flows: carry on with a fresh recognizer.
      this.#onLegError(
        leg,
        new ProviderUnavailableError('Azure ended recognition while audio was still flowing', {
          source: STT_SOURCE,
        }),
      );
      return;
    }
    this.#legs.splice(index, 1);
    this.#dispose(leg);
    this.#releaseHeldEvents();
    if (this.#legs.length === 0 && this.#isAudioDone) this.#complete();
  }

  #onLegError(leg: RecognizerLeg, error: VoxError): void {
    const index = this.#legs.indexOf(leg);
    if (index < 0) return;
    const decision = this.#budget.failed(error);
    if (!decision.retry) {
      this.#fail(decision.error);
      return;
    }
    this.#lastFailure = error;
    this.#replace(leg, index, decision.delayMs);
  }

  /** Swaps a failed leg for a new one fed its unfinalized audio (within the allowance), after `delay` ms. */
  #replace(leg: RecognizerLeg, index: number, delay: number): void {
    const wasAudioClosed = leg.isAudioClosed;
    const replay = this.#allowedReplay(leg.unfinalized.frames());
    const held = leg.heldEvents.splice(0);
    this.#dispose(leg);
    this.#legs.splice(index, 1);
    // Live audio that arrives during the delay joins the replay.
    const isLive = !wasAudioClosed;
    if (isLive) this.#pendingFrames = replay;
    this.#setTimer(() => {
      if (this.#isClosed) return;
      if (isLive) this.#pendingFrames = undefined;
      const replacement = this.#openLeg(replay);
      if (!replacement) return;
      // Keep audio order: the replacement goes where the failed leg was.
      this.#legs.pop();
      this.#legs.splice(index, 0, replacement);
      replacement.heldEvents.push(...held);
      if (wasAudioClosed || this.#isAudioDone) replacement.closeAudio();
      this.#releaseHeldEvents();
    }, delay);
  }

  /** The newest part of `frames` the re-send allowance grants; the oldest audio goes first. */
  #allowedReplay(frames: readonly AudioFrame[]): AudioFrame[] {
    const wantedMs = frames.reduce((sum, frame) => sum + audioFrameDurationMs(frame), 0);
    let allowedMs = this.#resend.grant(wantedMs);
    const kept: AudioFrame[] = [];
    for (let i = frames.length - 1; i >= 0 && allowedMs > 0; i--) {
      kept.push(frames[i]!);
      allowedMs -= audioFrameDurationMs(frames[i]!);
    }
    return kept.reverse();
  }

  #releaseHeldEvents(): void {
    const oldest = this.#legs[0];
    if (!oldest) return;
    for (const event of oldest.heldEvents.splice(0)) this.subscriber.next(event);
  }

  async #refreshToken(): Promise<void> {
    const refresh = this.options.refreshToken!;
    // Whatever the callback throws is worth another try: it is the app's own token endpoint.
    const budget = new RetryBudget(
      {
        maxRetries: this.options.maxRetries,
        initialDelayMs: this.options.retryDelayMs,
        maxDelayMs: this.options.maxRetryDelayMs,
      },
      { source: STT_SOURCE, shouldRetry: () => true },
    );
    for (;;) {
      budget.attemptStarted();
      try {
        const token = await refresh();
        if (this.#isClosed) return;
        this.#token = token;
        for (const leg of this.#legs) leg.authorizationToken = token;
        return;
      } catch (error) {
        const decision = budget.failed(error);
        if (!decision.retry) {
          throw new ProviderAuthError('Azure token refresh failed', { source: STT_SOURCE, cause: error });
        }
        await new Promise((resolve) => this.#setTimer(() => resolve(undefined), decision.delayMs));
        if (this.#isClosed) return;
      }
    }
  }

  #scheduleTokenRefresh(): void {
    this.#setTimer(() => {
      this.#refreshToken().then(
        () => {
          if (!this.#isClosed) this.#scheduleTokenRefresh();
        },
        (error: unknown) => this.#fail(error as VoxError),
      );
    }, this.options.tokenRefreshIntervalMs);
  }

  #setTimer(action: () => void, ms: number): void {
    if (this.#isClosed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    this.#timers.add(timer);
  }

  #dispose(leg: RecognizerLeg): void {
    const disposal = leg.dispose();
    this.#disposals.add(disposal);
    void disposal.then(() => this.#disposals.delete(disposal));
  }

  #complete(): void {
    if (this.#isClosed) return;
    this.close();
    this.subscriber.complete();
  }

  #fail(error: VoxError): void {
    if (this.#isClosed) return;
    this.close();
    this.subscriber.error(error);
  }
}
