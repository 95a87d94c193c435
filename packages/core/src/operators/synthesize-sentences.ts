import { concatMap, defer, map, type OperatorFunction } from 'rxjs';
import type { Sentence, SpeechAudio } from '../frames/agent';
import { pcmDurationMs } from '../frames/audio';
import type { TtsProvider, TtsRequestOptions } from '../providers/tts';

export interface SynthesizeSentencesOptions extends TtsRequestOptions {
  /** Called as each sentence's synthesis request starts (metrics hook). */
  readonly onRequest?: (sentence: Sentence) => void;
}

/**
 * Speaks each sentence with `tts` as soon as it arrives, one request per sentence in order,
 * and numbers the audio of each speech: `seq` 0, 1, 2… and `offsetMs` from the speech's start.
 * Synthesis of the first sentence starts while the LLM is still writing the second.
 * Unsubscribing cancels the running request.
 *
 * ```
 * sentences: -a------b-----|
 * synthesizeSentences(tts)        (tts: each sentence → two chunks after 1 frame)
 * audio:     --a0a1---b2b3-|      a0 = { sentenceIndex: 0, seq: 0, offsetMs: 0 } …
 * ```
 */
export function synthesizeSentences(
  tts: TtsProvider,
  options: SynthesizeSentencesOptions = {},
): OperatorFunction<Sentence, SpeechAudio> {
  const { onRequest, ...request } = options;
  return (sentences$) =>
    defer(() => {
      const positions = new Map<string, { seq: number; offsetMs: number }>();
      return sentences$.pipe(
        concatMap((sentence) => {
          onRequest?.(sentence);
          let position = positions.get(sentence.speechId);
          if (!position) {
            position = { seq: 0, offsetMs: 0 };
            positions.set(sentence.speechId, position);
          }
          const at = position;
          return tts.synthesize(sentence.text, request).pipe(
            map((chunk): SpeechAudio => {
              const channels = chunk.channels ?? 1;
              const durationMs = pcmDurationMs(chunk.samples.length, chunk.sampleRate, channels);
              const audio: SpeechAudio = {
                turnId: sentence.turnId,
                speechId: sentence.speechId,
                samples: chunk.samples,
                sampleRate: chunk.sampleRate,
                channels,
                seq: at.seq++,
                offsetMs: at.offsetMs,
                durationMs,
                sentenceIndex: sentence.index,
                ...(chunk.words ? { words: chunk.words } : {}),
              };
              at.offsetMs += durationMs;
              return audio;
            }),
          );
        }),
      );
    });
}
