import { type AudioFrame, bytesFromInt16, type SttEvent, type VoxError } from '@voxduplex/core';
import { voxErrorFromGrpc } from '@voxduplex/google-common';
import { AudioLedger } from './audio-ledger';
import { type FailureAction, failureAction } from './failure-action';
import type { ResolvedSttOptions } from './options';
import { eventsFromResponse, type RecognizeResponseLike } from './responses';

/** The duplex stream `SpeechClient._streamingRecognize()` returns (gax `CancellableStream`). */
export interface RecognizeStream {
  write(request: unknown): boolean;
  end(): void;
  cancel(): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  removeAllListeners(): unknown;
}

/** What a {@link Recognition} needs from the outside. */
export interface RecognitionDeps {
  readonly options: ResolvedSttOptions;
  readonly streamingConfig: unknown;
  readonly source: string;
  readonly openStream: () => RecognizeStream;
  readonly emit: (event: SttEvent) => void;
  readonly fail: (error: VoxError) => void;
  readonly complete: () => void;
  /** Called with every stream it opens and why, for metrics and tests. */
  readonly onStreamOpened?: (reason: StreamOpenReason, replayMs: number) => void;
}

/** Why a recognition stream was opened. */
export type StreamOpenReason = 'first-audio' | 'rotation' | 'restart' | 'retry' | 'reopen';

interface Call {
  readonly stream: RecognizeStream;
  isHalfClosed: boolean;
  hasProgress: boolean;
  isWaitingForDrain: boolean;
}

type Phase = 'idle' | 'streaming' | 'draining' | 'waiting' | 'done';

// A stream that carried this much audio counts as working even if it has said nothing yet.
const PROGRESS_AUDIO_MS = 1000;
const DRAIN_TIMEOUT_MS = 5000;

/**
 * One endless recognition over one audio stream: opens gRPC streams on demand, rotates them before
 * the service's limit (preferably right after a final), replays the audio no final covers yet into
 * the next stream, retries transport failures with capped backoff, and keeps every time on the
 * session's audio timeline. All state lives here; `GoogleStt.transcribe` wires it to RxJS.
 */
export class Recognition {
  readonly #deps: RecognitionDeps;
  readonly #options: ResolvedSttOptions;
  readonly #ledger: AudioLedger;
  readonly #chunkMs: number;
  #phase: Phase = 'idle';
  #call: Call | undefined;
  #isInputDone = false;
  #isSpeaking = false;
  #lastFinalEndMs = Number.NEGATIVE_INFINITY;
  #lastEventMs = Number.NEGATIVE_INFINITY;
  #failures = 0;
  #hasOpened = false;
  #idleTimer: NodeJS.Timeout | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(deps: RecognitionDeps) {
    this.#deps = deps;
    this.#options = deps.options;
    this.#ledger = new AudioLedger(deps.options.sampleRate);
    this.#chunkMs = (deps.options.chunkBytes / 2 / deps.options.sampleRate) * 1000;
  }

  /** Takes one validated frame. */
  push(frame: AudioFrame): void {
    if (this.#phase === 'done') return;
    this.#ledger.append(frame.startMs, bytesFromInt16(frame.samples));
    this.#armIdleTimer();
    if (this.#phase === 'idle') this.#open(this.#hasOpened ? 'reopen' : 'first-audio');
    else if (this.#phase === 'streaming') this.#pump();
  }

  /** The audio ended: send what is left, let the service finish, then complete. */
  endOfAudio(): void {
    if (this.#phase === 'done') return;
    this.#isInputDone = true;
    if (this.#phase === 'idle') this.#resumeOrSettle('reopen');
    else if (this.#phase === 'streaming') this.#pump();
  }

  /** Stops everything at once: cancels the call, clears every timer. */
  dispose(): void {
    this.#phase = 'done';
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#drainTimer);
    clearTimeout(this.#retryTimer);
    this.#abandonCall();
  }

  #isDone(): boolean {
    return this.#phase === 'done';
  }

  #open(reason: StreamOpenReason): void {
    this.#hasOpened = true;
    const maxReplayMs = Math.min(this.#options.maxReplayMs, this.#options.rotateAfterMs / 2);
    const replayMs = this.#ledger.startStream(maxReplayMs);
    let stream: RecognizeStream;
    try {
      stream = this.#deps.openStream();
    } catch (error) {
      this.#onCallFailed(undefined, error);
      return;
    }
    const call: Call = { stream, isHalfClosed: false, hasProgress: false, isWaitingForDrain: false };
    this.#call = call;
    this.#phase = 'streaming';
    stream.on('data', (response: RecognizeResponseLike) => this.#onResponse(call, response));
    stream.on('error', (error: unknown) => this.#onCallFailed(call, error));
    stream.on('end', () => this.#onCallEnded(call));
    stream.write({ streamingConfig: this.#deps.streamingConfig });
    this.#deps.onStreamOpened?.(reason, replayMs);
    this.#armIdleTimer();
    this.#pump();
  }

  #pump(): void {
    const call = this.#call;
    while (this.#phase === 'streaming' && call && !call.isHalfClosed && !call.isWaitingForDrain) {
      const unsent = this.#ledger.unsentBytes;
      if (unsent === 0) break;
      if (this.#ledger.streamMs + this.#chunkMs > this.#options.rotateAfterMs) {
        this.#rotate('rotation');
        return;
      }
      if (unsent < this.#options.chunkBytes && !this.#isInputDone) break;
      const audio = this.#ledger.take(this.#options.chunkBytes)!;
      if (this.#ledger.streamMs >= PROGRESS_AUDIO_MS) call.hasProgress = true;
      if (!call.stream.write({ audioContent: audio })) {
        call.isWaitingForDrain = true;
        call.stream.once('drain', () => {
          call.isWaitingForDrain = false;
          if (this.#call === call) this.#pump();
        });
      }
    }
    if (
      this.#phase === 'streaming' &&
      call &&
      this.#isInputDone &&
      !call.isHalfClosed &&
      !call.isWaitingForDrain &&
      this.#ledger.unsentBytes === 0
    ) {
      this.#halfClose(call);
    }
  }

  #onResponse(call: Call, response: RecognizeResponseLike): void {
    if (call !== this.#call || this.#phase === 'done') return;
    call.hasProgress = true;
    this.#failures = 0;
    let hadFinal = false;
    for (const event of eventsFromResponse(response, (ms) => this.#ledger.toSessionMs(ms))) {
      // Replayed audio is recognized again: events older than what was already reported are repeats.
      if (event.type === 'speech-start') {
        if (this.#isSpeaking || !this.#options.voiceActivityEvents || event.atMs < this.#lastEventMs)
          continue;
        this.#isSpeaking = true;
        this.#lastEventMs = event.atMs;
      } else if (event.type === 'speech-end') {
        if (!this.#isSpeaking || event.atMs < this.#lastEventMs) continue;
        this.#isSpeaking = false;
        this.#lastEventMs = event.atMs;
      } else if (event.type === 'interim') {
        if (!this.#options.interimResults) continue;
      } else if (event.type === 'final') {
        const endMs = event.transcript.endMs;
        if (endMs !== undefined) {
          if (endMs <= this.#lastFinalEndMs) continue;
          this.#lastFinalEndMs = endMs;
          this.#lastEventMs = Math.max(this.#lastEventMs, endMs);
          this.#ledger.coverUntil(endMs);
        }
        hadFinal = true;
        if (event.transcript.text.length === 0) continue;
      }
      this.#deps.emit(event);
      if (this.#isDone()) return; // the subscriber may unsubscribe from inside next()
    }
    const rotateFromMs = this.#options.rotateAfterMs - this.#options.rotateWindowMs;
    if (hadFinal && !call.isHalfClosed && this.#ledger.streamMs >= rotateFromMs) this.#rotate('rotation');
  }

  #onCallEnded(call: Call): void {
    if (call !== this.#call || this.#phase === 'done') return;
    this.#call = undefined;
    clearTimeout(this.#drainTimer);
    // A clean end after our half-close means the service processed everything we sent.
    if (call.isHalfClosed) this.#ledger.dropSent();
    this.#phase = 'idle';
    this.#resumeOrSettle('reopen');
  }

  #onCallFailed(call: Call | undefined, error: unknown): void {
    if (call !== this.#call || this.#phase === 'done') return;
    this.#abandonCall();
    clearTimeout(this.#drainTimer);
    let action: FailureAction = failureAction(error);
    if (action === 'restart' && !call?.hasProgress) action = 'retry';
    if (action === 'restart') {
      this.#phase = 'idle';
      this.#resumeOrSettle('restart');
      return;
    }
    if (action === 'retry' && this.#failures < this.#options.maxAttempts) {
      this.#failures++;
      const backoff = Math.min(
        this.#options.maxDelayMs,
        this.#options.initialDelayMs * 2 ** (this.#failures - 1),
      );
      this.#phase = 'waiting';
      this.#retryTimer = setTimeout(
        () => {
          this.#phase = 'idle';
          this.#resumeOrSettle('retry');
        },
        backoff * (0.8 + 0.2 * Math.random()),
      );
      return;
    }
    const voxError = voxErrorFromGrpc(error, this.#deps.source);
    this.dispose();
    this.#deps.fail(voxError);
  }

  /**
   * With no call open: open one when audio waits to be sent, or when audio no final covers needs
   * replaying (after a failure, or to finish at the end of input); complete when the input is done
   * and nothing is left; otherwise wait for the next frame.
   */
  #resumeOrSettle(reason: StreamOpenReason): void {
    const held = this.#ledger.heldMs > 0;
    if (this.#ledger.unsentBytes > 0 || (held && (reason !== 'reopen' || this.#isInputDone))) {
      this.#open(reason);
    } else if (this.#isInputDone) {
      this.dispose();
      this.#deps.complete();
    }
  }

  #rotate(reason: StreamOpenReason): void {
    this.#abandonCall();
    this.#open(reason);
  }

  #halfClose(call: Call): void {
    call.isHalfClosed = true;
    this.#phase = 'draining';
    clearTimeout(this.#idleTimer);
    call.stream.end();
    this.#drainTimer = setTimeout(() => {
      // The service did not finish in time: a failed attempt like any other (bounded by the retry
      // budget); what it did not cover is replayed.
      const details = `no answer ${DRAIN_TIMEOUT_MS} ms after the end of the audio`;
      this.#onCallFailed(
        call,
        Object.assign(new Error(`4 DEADLINE_EXCEEDED: ${details}`), { code: 4, details }),
      );
    }, DRAIN_TIMEOUT_MS);
  }

  #armIdleTimer(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#onIdle(), this.#options.idleTimeoutMs);
  }

  /**
   * No audio for `idleTimeoutMs`: rather than let the service time out ("Audio Timeout Error"), send
   * what is left and end the stream cleanly; the next frame opens a new one.
   */
  #onIdle(): void {
    const call = this.#call;
    if (this.#phase !== 'streaming' || !call) return;
    if (this.#ledger.unsentBytes >= this.#options.chunkBytes || call.isWaitingForDrain) {
      this.#armIdleTimer(); // still working through a backlog: not idle
      return;
    }
    const rest = this.#ledger.take(this.#options.chunkBytes);
    if (rest) call.stream.write({ audioContent: rest });
    this.#halfClose(call);
  }

  #abandonCall(): void {
    const call = this.#call;
    this.#call = undefined;
    if (!call) return;
    call.stream.removeAllListeners();
    // The cancel surfaces as a CANCELLED error on the stream; without a listener it would be thrown.
    call.stream.on('error', () => {});
    call.stream.cancel();
  }
}
