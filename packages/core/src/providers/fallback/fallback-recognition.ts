import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { toVoxError } from '../../errors/to-vox-error';
import type { VoxError } from '../../errors/vox-error';
import type { AudioFrame } from '../../frames/audio';
import type { SttEvent } from '../../frames/transcript';
import type { SttProvider } from '../stt';
import type { ChainHealth } from './chain-health';
import { movesOn } from './fallback-options';
import { ReplayBuffer } from './replay-buffer';

/**
 * Audio kept while no speech is under way, ms: enough for a recognizer that announces speech
 * late, far less than a silent session would otherwise hold for `maxReplayMs`.
 */
const SILENCE_KEPT_MS = 3000;

/**
 * One recognition stream through a chain of recognizers. The audio since the last final is
 * kept (of the silence between a final and the next speech, only the last 3 s); when the
 * recognizer fails, the next one in the chain's order is opened and hears that audio first,
 * then the live audio — so the words being spoken are not lost. Events of the new
 * recognizer about audio a final already covered (its own final of it, its `speech-start`) are
 * dropped, so no final is repeated. At each final, a higher-priority recognizer back in service
 * takes the stream over the same way.
 */
export class FallbackRecognition {
  readonly #health: ChainHealth<SttProvider>;
  readonly #audio$: Observable<AudioFrame>;
  readonly #out: Subscriber<SttEvent>;
  readonly #replay: ReplayBuffer;
  readonly #inputs = new Set<Subscriber<AudioFrame>>();
  /** What each recognizer is fed: the audio no final covered yet, then the live audio. */
  readonly #input$: Observable<AudioFrame>;
  #isAudioDone = false;
  #audio: Subscription | undefined;
  #member: Subscription | undefined;
  /** Bumped whenever the recognizer changes: events of an old one are ignored. */
  #generation = 0;
  #hasOutput = false;
  /** Recognizers that failed (and their errors) since the last final: not tried again before one. */
  readonly #failedSinceFinal = new Set<number>();
  #errors: VoxError[] = [];
  #lastFinalEndMs = Number.NEGATIVE_INFINITY;
  /** Audio up to here is covered by finals delivered before the current recognizer took over. */
  #coveredUntilMs = Number.NEGATIVE_INFINITY;
  #isInSpeech = false;
  /** The recognizers say when speech starts: silence before it need not be kept long. */
  #announcesSpeech = false;
  /** A speech started since the last final: its audio is kept whole until a final covers it. */
  #hasSpeechSinceFinal = false;

  constructor(health: ChainHealth<SttProvider>, audio$: Observable<AudioFrame>, out: Subscriber<SttEvent>) {
    this.#health = health;
    this.#audio$ = audio$;
    this.#out = out;
    this.#replay = new ReplayBuffer(health.options.maxReplayMs);
    this.#input$ = new Observable<AudioFrame>((input) => {
      for (const frame of [...this.#replay.frames]) {
        if (input.closed) return;
        input.next(frame);
      }
      if (this.#isAudioDone) {
        input.complete();
        return;
      }
      this.#inputs.add(input);
      return () => this.#inputs.delete(input);
    });
  }

  /** Opens the first recognizer and starts listening; returns the teardown. */
  start(): () => void {
    this.#switchTo(this.#health.order()[0]!);
    if (!this.#out.closed)
      this.#audio = this.#audio$.subscribe({
        next: (frame) => {
          this.#replay.push(frame);
          if (this.#announcesSpeech && !this.#hasSpeechSinceFinal) this.#replay.keepLast(SILENCE_KEPT_MS);
          for (const input of [...this.#inputs]) input.next(frame);
        },
        error: (error: unknown) => this.#out.error(error),
        complete: () => {
          this.#isAudioDone = true;
          for (const input of [...this.#inputs]) input.complete();
        },
      });
    return () => {
      this.#audio?.unsubscribe();
      this.#stopMember();
    };
  }

  #switchTo(index: number): void {
    this.#stopMember();
    const generation = ++this.#generation;
    const isCurrent = () => generation === this.#generation;
    this.#hasOutput = false;
    this.#health.attempted(index);
    let subscription: Subscription;
    try {
      subscription = this.#health.members[index]!.transcribe(this.#input$).subscribe({
        next: (event) => isCurrent() && this.#event(index, event),
        error: (error: unknown) => isCurrent() && this.#failed(index, error),
        complete: () => isCurrent() && this.#out.complete(),
      });
    } catch (thrown) {
      // A recognizer that throws instead of returning a failing stream.
      if (isCurrent()) this.#failed(index, thrown);
      return;
    }
    if (isCurrent()) this.#member = subscription;
    else subscription.unsubscribe();
  }

  #stopMember(): void {
    this.#generation++;
    const member = this.#member;
    this.#member = undefined;
    member?.unsubscribe();
  }

  #failed(index: number, thrown: unknown): void {
    const error = toVoxError(thrown, this.#health.sourceOf(index));
    if (!movesOn(this.#health.options.fallbackOn, error)) {
      this.#out.error(error);
      return;
    }
    this.#health.failed(index, error);
    this.#errors.push(error);
    this.#failedSinceFinal.add(index);
    const next = this.#health.order().find((candidate) => !this.#failedSinceFinal.has(candidate));
    if (next === undefined) {
      this.#out.error(this.#health.exhausted(this.#errors));
      return;
    }
    this.#coveredUntilMs = this.#lastFinalEndMs;
    this.#switchTo(next);
  }

  #event(index: number, event: SttEvent): void {
    if (!this.#hasOutput) {
      this.#hasOutput = true;
      this.#health.succeeded(index);
    }
    if (this.#isCovered(event)) return;
    if (event.type === 'speech-start') {
      this.#announcesSpeech = this.#hasSpeechSinceFinal = true;
      // The speech the failed recognizer already announced, heard again from the replay.
      if (this.#isInSpeech) return;
      this.#isInSpeech = true;
    } else if (event.type === 'speech-end') this.#isInSpeech = false;
    if (event.type !== 'final') {
      this.#out.next(event);
      return;
    }
    const endMs = event.transcript.endMs ?? this.#replay.endMs;
    this.#lastFinalEndMs = Math.max(this.#lastFinalEndMs, endMs);
    this.#replay.forgetUntil(endMs);
    this.#failedSinceFinal.clear();
    this.#errors = [];
    // Some recognizers never say `speech-end`: a final closes the speech too.
    this.#isInSpeech = this.#hasSpeechSinceFinal = false;
    this.#out.next(event);
    const preferred = this.#health.order()[0]!;
    if (preferred < index && !this.#out.closed) {
      this.#coveredUntilMs = this.#lastFinalEndMs;
      this.#switchTo(preferred);
    }
  }

  /** Whether `event` is about audio a final delivered before the switch already covered. */
  #isCovered(event: SttEvent): boolean {
    const coveredMs = this.#coveredUntilMs;
    if (coveredMs === Number.NEGATIVE_INFINITY) return false;
    switch (event.type) {
      case 'speech-start':
      case 'speech-pause':
        return event.atMs < coveredMs;
      case 'speech-end':
        return event.atMs <= coveredMs;
      case 'interim':
        return (event.transcript.startMs ?? Number.POSITIVE_INFINITY) < coveredMs;
      case 'final':
        return (event.transcript.endMs ?? Number.POSITIVE_INFINITY) <= coveredMs;
    }
  }
}
