import type { TtsChunk, TtsProvider, TtsRequestOptions } from '@voxduplex/core';
import { ATTR, EVENT } from './attributes';
import { resolveTracing, type TracingOptions } from './options';
import { passThrough } from './pass-through';
import { requestParent } from './session-trace';
import { tracedRequest } from './traced-request';

/**
 * The same TTS, with a span per synthesis request (`tts <name>`): the text's length (the text
 * itself only with `recordContent`), the voice, a `voxduplex.tts.first_chunk` event and the
 * audio made (`voxduplex.tts.audio_ms`). Under the turn's span for a traced session's request;
 * an interrupt ends the span with `voxduplex.cancelled`.
 *
 * @example
 * ```ts
 * const tts = traceTts(new GoogleTts({ voice: 'en-US-Neural2-F' }));
 * ```
 */
export function traceTts(tts: TtsProvider, options: TracingOptions = {}): TtsProvider {
  const tracing = resolveTracing(options);
  const traced: TtsProvider = {
    specificationVersion: 'v1',
    name: tts.name,
    sampleRate: tts.sampleRate,
    synthesize: (text: string, request?: TtsRequestOptions) => {
      let audioMs = 0;
      return tracedRequest<TtsChunk>(tts.synthesize(text, request), tracing, () => ({
        name: `tts ${tts.name}`,
        parent: requestParent(request?.origin),
        attributes: () => ({
          [ATTR.ttsProvider]: tts.name,
          [ATTR.ttsTextChars]: text.length,
          ...(request?.voice === undefined ? {} : { [ATTR.ttsVoice]: request.voice }),
          ...(request?.origin
            ? { [ATTR.turnId]: request.origin.turnId, [ATTR.speechId]: request.origin.speechId }
            : {}),
          ...(tracing.recordContent ? { [ATTR.ttsText]: text } : {}),
        }),
        firstItemEvent: EVENT.firstChunk,
        onNext: (chunk) => {
          audioMs += (chunk.samples.length / (chunk.channels ?? 1) / chunk.sampleRate) * 1000;
        },
        endAttributes: () => ({ [ATTR.ttsAudioMs]: Math.round(audioMs) }),
      }));
    },
  };
  return passThrough(tts, traced);
}
