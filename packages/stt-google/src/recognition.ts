import {
  type AudioFrame,
  bytesFromInt16,
  ProviderUnavailableError,
  ResendAllowance,
  RetryBudget,
  type SttEvent,
  type VoxError,
} from '@voxduplex/core';
import { grpcCode, voxErrorFromGrpc } from '@voxduplex/google-common';
import type { Subscription } from 'rxjs';
import { AudioLedger } from './audio-ledger';
import type { ResolvedSttOptions } from './options';
import { durationMs, eventsFromResponse, type RecognizeResponseLike } from './responses';
import { SendLead } from './send-lead';

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

const OUT_OF_RANGE = 11;

/** Why a recognition stream was opened. */
export type StreamOpenReason = 'first-audio' | 'rotation' | 'restart' | 'retry' | 'reopen';

interface Call {
  readonly stream: RecognizeStream;
  isHalfClosed: boolean;
  isWaitingForDrain: boolean;
}

type Phase = 'idle' | 'streaming' | 'draining' | 'waiting' | 'done';

const DRAIN_TIMEOUT_MS = 5000;

/**
 * One endless recognition over one audio stream: opens gRPC streams on demand, rotates them before
 * the service's limit (preferably right after a final), replays the audio no final covers yet into
 * the next stream (within the {@link ResendAllowance}), retries failures by core's {@link RetryBudget}
 * (only a final, or a stream that stayed up, is progress: interims do not refill it), sends no
 * further ahead of the service than {@link SendLead} allows, and keeps every time on the session's
 * audio timeline. All state lives here; `GoogleStt.transcribe` wires it to RxJS.
 */
export class Recognition {
  readonly #deps: RecognitionDeps;
  readonly #options: ResolvedSttOptions;
  readonly #ledger: AudioLedger;
  readonly #chunkMs: number;
  readonly #budget: RetryBudget;
  readonly #resend: ResendAllowance;
  readonly #lead: SendLead;
  #phase: Phase = 'idle';
  #call: Call | undefined;
  #isInputDone = false;
  #isSpeaking = false;
  #lastFinalEndMs = Number.NEGATIVE_INFINITY;
  #lastEventMs = Number.NEGATIVE_INFINITY;
  #hasOpened = false;
  #idleTimer: NodeJS.Timeout | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #leadTimer: NodeJS.Timeout | undefined;
  #retryTimer: Subscription | undefined;

  constructor(deps: RecognitionDeps) {
    this.#deps = deps;
    this.#options = deps.options;
    this.#ledger = new AudioLedger(deps.options.sampleRate);
    this.#chunkMs = (deps.options.chunkBytes / 2 / deps.options.sampleRate) * 1000;
    this.#budget = new RetryBudget(deps.options.retry, { source: deps.source });
    // The minute is one of audio sent for the first time: live it is wall time; a file fed
    // faster than real time still re-sends at most this share of its length.
    this.#resend = new ResendAllowance(
      { maxPerAttemptMs: deps.options.maxReplayMs, maxPerMinuteMs: deps.options.maxReplayPerMinuteMs },
      () => this.#ledger.freshSentMs,
    );
    // Within the rotation window the stream must still hear a final before it is full: a lead as
    // long as the window would reach rotateAfterMs before the service got into the window at all.
    const { maxLeadMs, rotateWindowMs } = deps.options;
    this.#lead = new SendLead(rotateWindowMs > 0 ? Math.min(maxLeadMs, rotateWindowMs / 2) : maxLeadMs);
  }

  /** Audio re-sent into new streams so far, ms. */
  get resentMs(): number {
    return this.#resend.totalMs;
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
    clearTimeout(this.#leadTimer);
    this.#retryTimer?.unsubscribe();
    this.#abandonCall();
  }

  #isDone(): boolean {
    return this.#phase === 'done';
  }

  #open(reason: StreamOpenReason): void {
    this.#hasOpened = true;
    // The allowance caps the re-sent audio per stream and per minute; the oldest goes first.
    const replayMs = this.#ledger.startStream(this.#resend.grant(this.#ledger.sentHeldMs));
    this.#budget.attemptStarted();
    this.#lead.streamStarted(replayMs);
    let stream: RecognizeStream;
    try {
      stream = this.#deps.openStream();
    } catch (error) {
      this.#onCallFailed(undefined, error);
      return;
    }
    const call: Call = { stream, isHalfClosed: false, isWaitingForDrain: false };
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
    clearTimeout(this.#leadTimer);
    while (this.#phase === 'streaming' && call && !call.isHalfClosed && !call.isWaitingForDrain) {
      const unsent = this.#ledger.unsentBytes;
      if (unsent === 0) break;
      if (this.#ledger.streamMs + this.#chunkMs > this.#options.rotateAfterMs) {
        this.#rotate('rotation');
        return;
      }
      if (unsent < this.#options.chunkBytes && !this.#isInputDone) break;
      const waitMs = this.#lead.waitMs(this.#ledger.streamMs + this.#chunkMs);
      if (waitMs > 0) {
        this.#leadTimer = setTimeout(() => this.#pump(), waitMs);
        break;
      }
      const audio = this.#ledger.take(this.#options.chunkBytes)!;
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
    this.#lead.processed(processedStreamMs(response));
    this.#budget.answered();
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
    // Only a final is progress: a service that drops every stream after an interim must run out.
    if (hadFinal) this.#budget.progressed();
    const rotateFromMs = this.#options.rotateAfterMs - this.#options.rotateWindowMs;
    if (hadFinal && !call.isHalfClosed && this.#ledger.streamMs >= rotateFromMs) this.#rotate('rotation');
    else if (this.#phase === 'streaming' && call === this.#call) this.#pump(); // the lead moved on
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
    clearTimeout(this.#leadTimer);
    // OUT_OF_RANGE (stream too long, audio timeout) asks for a fresh stream: at once after a
    // healthy one, else it counts as a failure like any other.
    const isRestart = grpcCode(error) === OUT_OF_RANGE;
    const cause = voxErrorFromGrpc(error, this.#deps.source);
    const decision = isRestart
      ? this.#budget.ended(
          new ProviderUnavailableError(cause.message, { cause: error, source: this.#deps.source }),
        )
      : this.#budget.failed(cause);
    if (!decision.retry) {
      this.dispose();
      this.#deps.fail(decision.error);
      return;
    }
    const reason = isRestart ? 'restart' : 'retry';
    if (decision.delayMs === 0) {
      this.#phase = 'idle';
      this.#resumeOrSettle(reason);
      return;
    }
    this.#phase = 'waiting';
    this.#retryTimer = this.#budget.schedule(() => {
      this.#phase = 'idle';
      this.#resumeOrSettle(reason);
    });
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
    clearTimeout(this.#leadTimer);
    this.#abandonCall();
    this.#open(reason);
  }

  #halfClose(call: Call): void {
    call.isHalfClosed = true;
    this.#phase = 'draining';
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#leadTimer);
    call.stream.end();
    // The service may still have up to the lead of audio to read, at real time.
    const timeoutMs =
      DRAIN_TIMEOUT_MS + (Number.isFinite(this.#options.maxLeadMs) ? this.#options.maxLeadMs : 0);
    this.#drainTimer = setTimeout(() => {
      // The service did not finish in time: a failed attempt like any other (bounded by the retry
      // budget); what it did not cover is replayed.
      const details = `no answer ${timeoutMs} ms after the end of the audio`;
      this.#onCallFailed(
        call,
        Object.assign(new Error(`4 DEADLINE_EXCEEDED: ${details}`), { code: 4, details }),
      );
    }, timeoutMs);
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

/** The latest stream time a response shows the service has processed, ms (0 when it shows none). */
function processedStreamMs(response: RecognizeResponseLike): number {
  const times = (response.results ?? []).map((r) => durationMs(r.resultEndTime) ?? 0);
  return Math.max(0, durationMs(response.speechEventTime) ?? 0, ...times);
}
