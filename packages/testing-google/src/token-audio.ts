/**
 * The emulator "recognizes" token audio: every sample of a spoken word holds the word's token id
 * (1..32767) and silence is 0. The transcript of token `7` is `w7`. Replaying the same audio into a
 * new stream therefore yields the same words, which is what endless-streaming tests need.
 */

/** Transcript word of a token id: `w7` for 7. */
export function tokenWord(token: number): string {
  return `w${token}`;
}

/** One part of a scripted audio timeline: words spoken back to back, or a pause. */
export type TokenAudioPart = { readonly say: readonly number[] } | { readonly silenceMs: number };

export interface TokenAudioOptions {
  readonly sampleRate?: number;
  /** Length of each spoken word, ms. Default 200. */
  readonly msPerWord?: number;
}

/**
 * Int16 PCM for a script of words and pauses. Neighbouring words must differ (a repeated token reads
 * as one longer word).
 *
 * @example
 * ```ts
 * const pcm = tokenAudio([{ say: [1, 2, 3] }, { silenceMs: 800 }]); // "w1 w2 w3" then a pause
 * ```
 */
export function tokenAudio(parts: readonly TokenAudioPart[], options: TokenAudioOptions = {}): Int16Array {
  const sampleRate = options.sampleRate ?? 16000;
  const wordSamples = Math.round(((options.msPerWord ?? 200) / 1000) * sampleRate);
  let length = 0;
  for (const part of parts) {
    length +=
      'say' in part ? part.say.length * wordSamples : Math.round((part.silenceMs / 1000) * sampleRate);
  }
  const samples = new Int16Array(length);
  let at = 0;
  for (const part of parts) {
    if (!('say' in part)) {
      at += Math.round((part.silenceMs / 1000) * sampleRate);
      continue;
    }
    for (const token of part.say) {
      if (!Number.isInteger(token) || token < 1 || token > 32767) throw new RangeError(`bad token ${token}`);
      samples.fill(token, at, at + wordSamples);
      at += wordSamples;
    }
  }
  return samples;
}
