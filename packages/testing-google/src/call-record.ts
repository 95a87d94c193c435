/** The RPCs the emulator serves. */
export type EmulatedMethod = 'StreamingRecognize' | 'StreamingSynthesize' | 'SynthesizeSpeech';

/**
 * What the emulator saw of one call, for tests to assert on. `state` is `'open'` while the call runs;
 * `'cancelled'` means the client cancelled it (the proof that an adapter aborts what it abandons).
 */
export interface RecordedCall {
  readonly id: number;
  readonly method: EmulatedMethod;
  /** Request metadata (lower-case keys), e.g. headers an adapter adds. */
  readonly headers: Readonly<Record<string, string>>;
  /** The first request's config (`streamingConfig`, or the unary request without input). */
  config: unknown;
  /** When the call arrived (`performance.now()`, ms). */
  readonly openedAt: number;
  /** Size of every `audioContent` request, bytes, in order. */
  readonly chunkBytes: number[];
  /** When each `audioContent` request arrived (`performance.now()`, ms), in order. */
  readonly chunkAt: number[];
  /** Audio received (recognize) or sent (synthesize), ms. */
  audioMs: number;
  /** Texts received (synthesize). */
  readonly texts: string[];
  /** Final transcripts sent (recognize). */
  readonly finals: string[];
  state: 'open' | 'ok' | 'failed' | 'cancelled' | 'killed';
  /** The status the emulator ended the call with, when it failed it. */
  status?: { code: number; details: string };
}
