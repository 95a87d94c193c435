import { isObservable, map, Observable } from 'rxjs';
import { int16FromBytes } from '../../frames/audio';
import type { ReplyPiece, ReplySource } from './reply-turn';
import type { SpeechChunk } from './stages';

/** An async iterable (async generator, Node stream) or a WHATWG `ReadableStream`. */
export type StreamSource<T> = AsyncIterable<T> | ReadableStream<T>;

/**
 * Reads an async iterable or a `ReadableStream` as an Observable. Unsubscribing stops reading
 * and cancels the source: `reader.cancel()` for a `ReadableStream`, `iterator.return()` for an
 * iterable (which destroys a Node stream and runs an async generator's `finally`). A generator
 * blocked in an `await` ends when that await settles, so pass the turn's `signal` to it.
 */
export function streamValues<T>(source: StreamSource<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let isDone = false;
    let cancel: () => Promise<unknown> = async () => undefined;
    let next: () => Promise<IteratorResult<T>>;
    if (isReadableStream(source)) {
      const reader = source.getReader();
      next = () => reader.read() as Promise<IteratorResult<T>>;
      cancel = () => reader.cancel();
    } else {
      const iterator = source[Symbol.asyncIterator]();
      next = () => iterator.next();
      cancel = async () => iterator.return?.();
    }
    (async () => {
      for (;;) {
        const result = await next();
        if (subscriber.closed) return;
        if (result.done) break;
        subscriber.next(result.value);
      }
      isDone = true;
      subscriber.complete();
    })().catch((error: unknown) => {
      isDone = true;
      subscriber.error(error);
    });
    return () => {
      if (!isDone) cancel().catch(() => undefined);
    };
  });
}

/**
 * The reply stream of a `reply` stage from your own agent: an async iterable (an
 * `async function*`, a Node stream) or a `ReadableStream` of text (strings or UTF-8 bytes, e.g.
 * a `fetch` body) or of {@link ReplyPiece}s. An interrupt stops reading and cancels the source.
 * An Observable is returned as it is.
 *
 * @example
 * ```ts
 * createVoiceSession({ stt, llm, tts, pipeline: {
 *   reply: (turn) => replyFrom(myAgent.stream(turn.userText, { signal: turn.signal })),
 * } });
 * ```
 */
export function replyFrom(source: ReplySource): Observable<ReplyPiece> {
  if (isObservable(source)) return source;
  return new Observable<ReplyPiece>((subscriber) => {
    const decoder = new TextDecoder();
    return streamValues<ReplyPiece | Uint8Array>(source).subscribe({
      next: (piece) => {
        if (!(piece instanceof Uint8Array)) subscriber.next(piece);
        else {
          const text = decoder.decode(piece, { stream: true });
          if (text !== '') subscriber.next(text);
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        const rest = decoder.decode();
        if (rest !== '') subscriber.next(rest);
        subscriber.complete();
      },
    });
  });
}

/** The PCM format of a byte or sample stream given to {@link audioFrom}. */
export interface PcmFormat {
  readonly sampleRate: number;
  /** Interleaved channels, default 1. */
  readonly channels?: number;
  /** The sentence this audio speaks (set it when one stream per sentence is read). */
  readonly sentenceIndex?: number;
}

/**
 * Speech audio for a `speech` stage from your own TTS: an async iterable or a `ReadableStream`
 * of 16-bit PCM, as `Int16Array`s or as little-endian bytes (`Uint8Array`, Node `Buffer`;
 * a chunk may end mid-sample, the odd byte waits for the next). Unsubscribing cancels the source.
 *
 * @example
 * ```ts
 * speech: (sentences$) => sentences$.pipe(
 *   concatMap((s) => audioFrom(myTts.pcmStream(s.text), { sampleRate: 24000, sentenceIndex: s.index })),
 * ),
 * ```
 */
export function audioFrom(
  source: StreamSource<Int16Array | Uint8Array>,
  format: PcmFormat,
): Observable<SpeechChunk> {
  const channels = format.channels ?? 1;
  const base = {
    sampleRate: format.sampleRate,
    channels,
    ...(format.sentenceIndex === undefined ? {} : { sentenceIndex: format.sentenceIndex }),
  };
  let carry: Uint8Array | undefined;
  const toSamples = (piece: Int16Array | Uint8Array): Int16Array => {
    if (piece instanceof Int16Array) return piece;
    let bytes = piece;
    if (carry) {
      bytes = new Uint8Array(carry.length + piece.length);
      bytes.set(carry);
      bytes.set(piece, carry.length);
      carry = undefined;
    }
    if (bytes.length % 2 === 1) {
      carry = bytes.slice(bytes.length - 1);
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    return int16FromBytes(bytes);
  };
  return new Observable<SpeechChunk>((subscriber) => {
    carry = undefined;
    return streamValues(source)
      .pipe(map(toSamples))
      .subscribe({
        next: (samples) => {
          if (samples.length > 0) subscriber.next({ ...base, samples });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
  });
}

function isReadableStream<T>(source: StreamSource<T>): source is ReadableStream<T> {
  return typeof (source as ReadableStream<T>).getReader === 'function';
}
