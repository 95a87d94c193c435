import { defer, map, type OperatorFunction } from 'rxjs';
import type { SpeechAudio } from '../../frames/agent';
import { pcmDurationMs } from '../../frames/audio';
import type { SpeechRef } from '../../frames/identity';
import { stageError } from '../pipeline/guard-stage';
import type { SpeechChunk } from '../pipeline/stages';

/**
 * Stamps the audio a stage emitted as {@link SpeechAudio} of one speech: its ids, `seq` 0, 1,
 * 2…, `offsetMs` from the speech's start and `durationMs` measured from the samples — whatever
 * the stage set. A chunk without `sentenceIndex` belongs to `latestSentenceIndex()`. Audio
 * that is not Int16 PCM fails with a typed error naming `stage`.
 */
export function numberAudio(
  ref: SpeechRef,
  stage: string,
  latestSentenceIndex: () => number,
): OperatorFunction<SpeechChunk, SpeechAudio> {
  return (chunks$) =>
    defer(() => {
      let seq = 0;
      let offsetMs = 0;
      return chunks$.pipe(
        map((chunk): SpeechAudio => {
          const problem = audioProblem(chunk);
          if (problem) throw stageError(stage, new TypeError(problem));
          const channels = chunk.channels ?? 1;
          const durationMs = pcmDurationMs(chunk.samples.length, chunk.sampleRate, channels);
          const audio: SpeechAudio = {
            turnId: ref.turnId,
            speechId: ref.speechId,
            samples: chunk.samples,
            sampleRate: chunk.sampleRate,
            channels,
            seq: seq++,
            offsetMs,
            durationMs,
            sentenceIndex: chunk.sentenceIndex ?? latestSentenceIndex(),
            ...(chunk.words ? { words: chunk.words } : {}),
          };
          offsetMs += durationMs;
          return audio;
        }),
      );
    });
}

function audioProblem(chunk: SpeechChunk): string | undefined {
  if (typeof chunk !== 'object' || chunk === null) return 'audio chunks must be objects';
  if (!(chunk.samples instanceof Int16Array)) return 'audio samples must be an Int16Array of PCM';
  if (!(chunk.sampleRate > 0)) return `invalid sample rate ${String(chunk.sampleRate)}`;
  if (chunk.channels !== undefined && !(Number.isInteger(chunk.channels) && chunk.channels > 0))
    return `invalid channel count ${String(chunk.channels)}`;
  return undefined;
}
