import { Observable } from 'rxjs';
import type { Sentence } from '../../frames/agent';
import type { ToolCall } from '../../frames/chat';
import type { SpeechRef } from '../../frames/identity';
import {
  type ResolvedSentenceChunking,
  resolveSentenceChunking,
  type SentenceChunkingOptions,
} from '../../operators/text/sentence-chunking-options';
import { type SentenceChunk, SentenceSegmenter } from '../../operators/text/sentence-segmenter';
import { stageError } from '../pipeline/guard-stage';
import type { ReplyPiece } from '../pipeline/reply-turn';
import type { ReplyRound, TurnLog } from '../turn-log';

/** Where a sentence came from: its round of the reply, and whether it is only a filler. */
interface SentenceOrigin {
  readonly round: ReplyRound;
  readonly isFiller: boolean;
}

/**
 * Turns the pieces a `reply` stage emits into the sentences of one speech, and remembers which
 * round of the reply (text before, between and after tool calls) each sentence belongs to, so
 * the history can store a reply round by round with what was really spoken.
 *
 * Streamed text is cut by the sentence chunker; a tool call closes the text before it (its
 * unfinished sentence leaves at once) and the text after it opens a new round, with the
 * chunker's quick first chunk again. Sentences are numbered 0, 1, 2… as they enter the
 * `sentences` stage; what that stage emits is placed back by `index` ({@link originOf}).
 */
export class ReplyAssembly {
  readonly #ref: SpeechRef;
  readonly #log: TurnLog;
  readonly #chunking: ResolvedSentenceChunking;
  readonly #origins = new Map<number, SentenceOrigin>();
  #round: ReplyRound | undefined;
  #segmenter: SentenceSegmenter | undefined;
  #roundHasSentences = false;
  #nextIndex = 0;
  #latest: SentenceOrigin | undefined;
  #emit: ((sentence: Sentence) => void) | undefined;
  #onText: (() => void) | undefined;

  constructor(ref: SpeechRef, log: TurnLog, chunking: SentenceChunkingOptions) {
    this.#ref = ref;
    this.#log = log;
    this.#chunking = resolveSentenceChunking(chunking);
  }

  /**
   * The sentences of `pieces$`, numbered, with their rounds recorded in the turn log.
   * `onText` is called as each piece with text arrives, before its sentences leave (the turn's
   * first-token moment). An error of the
   * reply (or a piece that is not text) fails with a typed error naming the `reply` stage.
   */
  assemble(pieces$: Observable<ReplyPiece>, onText?: () => void): Observable<Sentence> {
    return new Observable<Sentence>((subscriber) => {
      this.#emit = (sentence) => subscriber.next(sentence);
      this.#onText = onText;
      const subscription = pieces$.subscribe({
        next: (piece) => {
          try {
            this.#push(piece);
          } catch (error) {
            subscriber.error(stageError('reply', error));
          }
        },
        error: (error: unknown) => subscriber.error(stageError('reply', error)),
        complete: () => {
          this.#endText();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        this.#emit = undefined;
      };
    });
  }

  /**
   * A tool call: the text before it is complete. Calls made together (none answered yet) share
   * a round; a call after the earlier ones were answered opens the next round.
   */
  addToolCall(call: ToolCall): ReplyRound {
    this.#endText();
    let round = this.#round;
    const isAnswered = (r: ReplyRound) => r.toolCalls.every((earlier) => r.results.has(earlier.id));
    if (!round || (round.toolCalls.length > 0 && isAnswered(round))) {
      round = this.#startRound();
      this.#round = round;
    }
    round.toolCalls.push(call);
    return round;
  }

  /** A new request to the model begins: what it writes is a round of its own. */
  nextRound(): void {
    const round = this.#round;
    if (round && (round.text !== '' || round.toolCalls.length > 0)) {
      this.#endText();
      this.#round = this.#startRound();
    }
  }

  /**
   * Where a sentence out of the `sentences` stage came from: the sentence of the same `index`
   * that went in, else (a stage that made new sentences) the latest one that went in.
   */
  originOf(sentence: Pick<Sentence, 'index'>): SentenceOrigin | undefined {
    return this.#origins.get(sentence.index) ?? this.#latest;
  }

  #push(piece: ReplyPiece): void {
    if (typeof piece === 'string') {
      this.#pushText(piece);
      return;
    }
    if (typeof piece !== 'object' || piece === null || typeof piece.text !== 'string')
      throw new TypeError(`a reply piece must be a string or { text }, got ${describe(piece)}`);
    if (piece.displayText === undefined) {
      this.#pushText(piece.text);
      return;
    }
    if (typeof piece.displayText !== 'string') throw new TypeError('displayText must be a string');
    this.#onText?.();
    this.#endText();
    const round = this.#textRound();
    const isFiller = 'isFiller' in piece && piece.isFiller === true;
    if (!isFiller) round.text += piece.displayText;
    if (piece.text.trim() === '') return;
    this.#roundHasSentences = true;
    this.#send({ text: piece.text, displayText: piece.displayText }, { round, isFiller });
  }

  #pushText(text: string): void {
    if (text === '') return;
    this.#onText?.();
    const round = this.#textRound();
    round.text += text;
    this.#segmenter ??= new SentenceSegmenter(this.#chunking, !this.#roundHasSentences);
    this.#sendChunks(this.#segmenter.push(text), round);
  }

  /** Sends what the chunker still holds. */
  #endText(): void {
    const segmenter = this.#segmenter;
    this.#segmenter = undefined;
    if (segmenter && this.#round) this.#sendChunks(segmenter.end(), this.#round);
  }

  /** The round new text belongs to: text after a tool call starts the next round. */
  #textRound(): ReplyRound {
    if (!this.#round || this.#round.toolCalls.length > 0) {
      this.#endText();
      this.#round = this.#startRound();
    }
    return this.#round;
  }

  #startRound(): ReplyRound {
    this.#roundHasSentences = false;
    return this.#log.startRound();
  }

  #sendChunks(chunks: readonly SentenceChunk[], round: ReplyRound): void {
    for (const chunk of chunks) {
      this.#roundHasSentences = true;
      this.#send(chunk, { round, isFiller: false });
    }
  }

  #send(chunk: SentenceChunk, origin: SentenceOrigin): void {
    const index = this.#nextIndex++;
    this.#origins.set(index, origin);
    this.#latest = origin;
    this.#emit?.({
      turnId: this.#ref.turnId,
      speechId: this.#ref.speechId,
      text: chunk.text,
      displayText: chunk.displayText,
      index,
    });
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
