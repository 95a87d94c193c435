import { type Observable, type Subscription, tap } from 'rxjs';
import { toVoxError } from '../errors/to-vox-error';
import type { VoxError } from '../errors/vox-error';
import type { Sentence, SpeechAudio } from '../frames/agent';
import type { SpeechRef } from '../frames/identity';
import type { Clock } from '../internal/clock';
import { TurnMetricsRecorder } from '../metrics/turn-metrics-recorder';
import { synthesizeSentences } from '../operators/synthesize-sentences';
import type { TtsProvider } from '../providers/tts';
import { HeardTextTracker } from './heard-text';
import { PlayoutTracker } from './playout-tracker';
import { TurnLog } from './turn-log';

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
  /** The user text a reply answers (for preemptive generation matching). */
  readonly userText?: string;
}

/**
 * One agent speech in flight: its sentence → TTS pipeline and the bookkeeping around it (heard
 * text, playout position, metrics, tool rounds). A *gated* run (preemptive generation) works
 * ahead but holds its output until {@link open}; {@link cancel} drops everything and aborts
 * the provider requests.
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
  readonly metrics: TurnMetricsRecorder;
  isGenerated = false;
  isCancelled = false;
  /** Where the run failed: making its text (LLM, tools) or speaking it (TTS). */
  failedIn: 'text' | 'speech' | undefined;
  #isOpen = true;
  #held: (() => void)[] = [];
  #subscription: Subscription | undefined;

  constructor(init: SpeechRunInit) {
    this.turnId = init.turnId;
    this.speechId = init.speechId;
    this.kind = init.kind;
    this.allowInterruptions = init.allowInterruptions;
    this.addToHistory = init.addToHistory;
    this.userText = init.userText;
    this.metrics = new TurnMetricsRecorder(init.turnId, init.speechId);
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }

  /** Starts generating. With `gated`, output waits for {@link open}. */
  start(
    sentences$: Observable<Sentence>,
    tts: TtsProvider,
    now: Clock,
    output: SpeechRunOutput,
    gated = false,
  ): void {
    this.#isOpen = !gated;
    this.#subscription = sentences$
      .pipe(
        // Errors of the sentence source pass here; TTS errors arise below and do not.
        tap({ error: () => (this.failedIn = 'text') }),
        tap((sentence) => {
          this.metrics.mark('firstSentence', now());
          this.heard.addSentence(sentence);
          this.#deliver(() => output.text(this, sentence));
        }),
        synthesizeSentences(tts, { onRequest: () => this.metrics.mark('ttsRequest', now()) }),
      )
      .subscribe({
        next: (audio) => {
          this.metrics.mark('ttsFirstChunk', now());
          this.heard.addAudio(audio);
          this.#deliver(() => output.audio(this, audio));
        },
        error: (error: unknown) => {
          this.failedIn ??= 'speech';
          this.#deliver(() => output.failed(this, toVoxError(error, `tts:${tts.name}`)));
        },
        complete: () => {
          this.isGenerated = true;
          this.heard.complete();
          this.#deliver(() => output.generated(this));
        },
      });
  }

  /** Releases held output and lets the rest flow straight through. */
  open(): void {
    if (this.#isOpen) return;
    this.#isOpen = true;
    const held = this.#held;
    this.#held = [];
    for (const deliver of held) {
      if (this.isCancelled) return;
      deliver();
    }
  }

  /** Aborts the LLM/TTS work of this speech and drops anything held. Idempotent. */
  cancel(): void {
    this.isCancelled = true;
    this.#held = [];
    this.#subscription?.unsubscribe();
  }

  #deliver(deliver: () => void): void {
    if (this.isCancelled) return;
    if (this.#isOpen) deliver();
    else this.#held.push(deliver);
  }
}
