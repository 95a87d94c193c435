import { identity, map, type Observable, type OperatorFunction, pipe, type Subscription, tap } from 'rxjs';
import { toVoxError } from '../../errors/to-vox-error';
import type { VoxError } from '../../errors/vox-error';
import type { Sentence, SpeechAudio } from '../../frames/agent';
import type { SpeechRef } from '../../frames/identity';
import type { Clock } from '../../internal/clock';
import { TurnMetricsRecorder } from '../../metrics/turn-metrics-recorder';
import type { SentenceChunkingOptions } from '../../operators/text/sentence-chunking-options';
import { defaultStages } from '../pipeline/default-stages';
import { guardStage, stageError } from '../pipeline/guard-stage';
import type { ReplyPiece } from '../pipeline/reply-turn';
import type { ResolvedVoicePipeline, SpeechContext } from '../pipeline/stages';
import { TurnLog } from '../turn-log';
import { HeardTextTracker } from './heard-text';
import { numberAudio } from './number-audio';
import { PlayoutTracker } from './playout-tracker';
import { ReplyAssembly } from './reply-assembly';

const CANCELLED = new Error('speech cancelled');

/** Where a running speech delivers what it makes. */
export interface SpeechRunOutput {
  text(run: SpeechRun, sentence: Sentence): void;
  audio(run: SpeechRun, audio: SpeechAudio): void;
  /** Everything was generated (audio may still be playing). */
  generated(run: SpeechRun): void;
  failed(run: SpeechRun, error: VoxError): void;
}

export interface SpeechRunInit extends SpeechRef {
  readonly kind: 'reply' | 'say';
  readonly allowInterruptions: boolean;
  readonly addToHistory: boolean;
  readonly chunking: SentenceChunkingOptions;
  /** The user text a reply answers (for preemptive generation matching). */
  readonly userText?: string;
}

/** What a run needs to turn reply pieces into audio. */
export interface SpeechRunEnvironment {
  readonly stages: Pick<ResolvedVoicePipeline, 'sentences' | 'speech' | 'audioOut'>;
  readonly context: Omit<SpeechContext, 'turnId' | 'speechId' | 'kind' | 'signal'>;
  readonly now: Clock;
  readonly output: SpeechRunOutput;
}

/**
 * One agent speech in flight: reply pieces → sentences → `sentences` stage → `speech` stage →
 * `audioOut` stage, and the bookkeeping around it (heard text, playout position, metrics, tool
 * rounds). History and `agent-text` follow what the `sentences` stage emitted. A *gated* run
 * (preemptive generation) works ahead but holds its output until {@link open}; {@link cancel}
 * drops everything, unsubscribes every stage and aborts {@link signal}.
 */
export class SpeechRun implements SpeechRef {
  readonly turnId: string;
  readonly speechId: string;
  readonly kind: 'reply' | 'say';
  readonly allowInterruptions: boolean;
  readonly addToHistory: boolean;
  readonly userText: string | undefined;
  readonly heard = new HeardTextTracker();
  readonly playout = new PlayoutTracker();
  readonly log = new TurnLog();
  readonly assembly: ReplyAssembly;
  readonly metrics: TurnMetricsRecorder;
  isGenerated = false;
  isCancelled = false;
  /** Where the run failed: making its text (reply, sentences) or speaking it (speech, audio). */
  failedIn: 'text' | 'speech' | undefined;
  #abort: AbortController | undefined;
  #isOpen = true;
  #held: (() => void)[] = [];
  #subscription: Subscription | undefined;
  #sentenceCount = 0;
  /** Every stage completed: nothing is left to abort when the speech ends. */
  #hasCompleted = false;
  #opened: { promise: Promise<void>; resolve: () => void; reject: (reason: unknown) => void } | undefined;
  #latestSentenceIndex = 0;

  constructor(init: SpeechRunInit) {
    this.turnId = init.turnId;
    this.speechId = init.speechId;
    this.kind = init.kind;
    this.allowInterruptions = init.allowInterruptions;
    this.addToHistory = init.addToHistory;
    this.userText = init.userText;
    this.metrics = new TurnMetricsRecorder(init.turnId, init.speechId);
    this.assembly = new ReplyAssembly(this, this.log, init.chunking);
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }

  /** Aborted when the run is stopped before it completed (interrupt, discarded early reply, suspend, close, failure). */
  get signal(): AbortSignal {
    if (!this.#abort) {
      this.#abort = new AbortController();
      if (this.isCancelled && !this.#hasCompleted) this.#abort.abort(CANCELLED);
    }
    return this.#abort.signal;
  }

  /** Starts generating. With `gated`, output waits for {@link open}. */
  start(pieces$: Observable<ReplyPiece>, environment: SpeechRunEnvironment, gated = false): void {
    const { stages, now, output } = environment;
    const run = this;
    const context: SpeechContext = {
      ...environment.context,
      turnId: this.turnId,
      speechId: this.speechId,
      kind: this.kind,
      // Made on first use: most speeches never need one, and it is the costliest part of a cancel.
      get signal() {
        return run.signal;
      },
    };
    this.#isOpen = !gated;
    // Default stages of the pass-through slots are not wired at all, and the default speech stage
    // numbers its audio and names its errors itself: nothing to pay for what nobody replaced.
    const sentences =
      stages.sentences === defaultStages.sentences
        ? identity
        : guardStage('sentences', stages.sentences, context);
    const speech: OperatorFunction<Sentence, SpeechAudio> =
      stages.speech === defaultStages.speech
        ? (sentences$) => defaultStages.speech(sentences$, context)
        : pipe(
            guardStage('speech', stages.speech, context),
            numberAudio(this, 'speech', () => this.#latestSentenceIndex),
          );
    const audioOut =
      stages.audioOut === defaultStages.audioOut
        ? identity
        : pipe(
            tap<SpeechAudio>(() => this.metrics.mark('ttsFirstChunk', now())),
            guardStage('audioOut', stages.audioOut, context),
            numberAudio(this, 'audioOut', () => this.#latestSentenceIndex),
          );
    this.#subscription = this.assembly
      .assemble(pieces$, () => this.metrics.mark('firstToken', now()))
      .pipe(
        sentences,
        map((sentence) => this.#place(sentence, now, output)),
        // Errors of the text side pass here; those of speech and audio arise below and do not.
        tap({ error: () => (this.failedIn = 'text') }),
        speech,
        audioOut,
      )
      .subscribe({
        next: (audio) => {
          this.metrics.mark('ttsFirstChunk', now());
          this.heard.addAudio(audio);
          this.#deliver(() => output.audio(this, audio));
        },
        error: (error: unknown) => {
          this.failedIn ??= 'speech';
          this.#deliver(() => output.failed(this, toVoxError(error)));
        },
        complete: () => {
          this.isGenerated = true;
          this.#hasCompleted = true;
          this.heard.complete();
          this.#deliver(() => output.generated(this));
        },
      });
  }

  /** Releases held output and lets the rest flow straight through. */
  open(): void {
    if (this.#isOpen) return;
    this.#isOpen = true;
    this.#opened?.resolve();
    const held = this.#held;
    this.#held = [];
    for (const deliver of held) {
      if (this.isCancelled) return;
      deliver();
    }
  }

  /**
   * Resolves when the run's output flows (at once for a run that is not gated; for an early
   * reply, when the turn is confirmed); rejects when the run is cancelled first. Side effects —
   * a tool call — wait for it, so an early reply that is thrown away has done nothing.
   */
  whenOpen(): Promise<void> {
    if (this.isCancelled) return Promise.reject(CANCELLED);
    if (this.#isOpen) return Promise.resolve();
    if (!this.#opened) {
      let resolve!: () => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#opened = { promise, resolve, reject };
    }
    return this.#opened.promise;
  }

  /**
   * Stops the speech: unsubscribes every stage and drops anything held; unless all its stages
   * had completed, also aborts {@link signal} (work started outside RxJS stops too). Idempotent.
   */
  cancel(): void {
    if (this.isCancelled) return;
    this.isCancelled = true;
    this.#held = [];
    this.#subscription?.unsubscribe();
    if (!this.#hasCompleted) this.#abort?.abort(CANCELLED);
    this.#opened?.reject(CANCELLED);
  }

  /**
   * A sentence out of the `sentences` stage becomes part of the speech: numbered in the order
   * it was emitted, stamped with this speech's ids, recorded for heard text and history.
   */
  #place(emitted: Sentence, now: Clock, output: SpeechRunOutput): Sentence {
    if (typeof emitted !== 'object' || emitted === null || typeof emitted.text !== 'string')
      throw stageError('sentences', new TypeError('sentences must be objects with a string text'));
    const origin = this.assembly.originOf(emitted);
    const index = this.#sentenceCount++;
    if (origin && !origin.isFiller) origin.round.sentenceIndexes.push(index);
    const sentence: Sentence = {
      turnId: this.turnId,
      speechId: this.speechId,
      text: emitted.text,
      displayText: typeof emitted.displayText === 'string' ? emitted.displayText : emitted.text,
      index,
    };
    this.#latestSentenceIndex = index;
    const at = now();
    this.metrics.mark('firstSentence', at);
    // The sentence goes to the speech stage as this returns: its request starts now.
    this.metrics.mark('ttsRequest', at);
    this.heard.addSentence(sentence);
    this.#deliver(() => output.text(this, sentence));
    return sentence;
  }

  #deliver(deliver: () => void): void {
    if (this.isCancelled) return;
    if (this.#isOpen) deliver();
    else this.#held.push(deliver);
  }
}
