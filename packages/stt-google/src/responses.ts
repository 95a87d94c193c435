import type { SttEvent, Transcript } from '@voxduplex/core';

interface Duration {
  seconds?: string | number | { toString(): string } | null;
  nanos?: number | null;
}

/** The parts of a v1 `StreamingRecognizeResponse` the adapter reads (the client fills every field). */
export interface RecognizeResponseLike {
  results?:
    | {
        alternatives?:
          | {
              transcript?: string | null;
              confidence?: number | null;
              words?: { startTime?: Duration | null }[] | null;
            }[]
          | null;
        isFinal?: boolean | null;
        stability?: number | null;
        resultEndTime?: Duration | null;
        languageCode?: string | null;
      }[]
    | null;
  speechEventType?: string | number | null;
  speechEventTime?: Duration | null;
}

/** `google.protobuf.Duration` → ms (undefined when absent). */
export function durationMs(duration: Duration | null | undefined): number | undefined {
  if (!duration) return undefined;
  return Number(duration.seconds ?? 0) * 1000 + (duration.nanos ?? 0) / 1e6;
}

/**
 * Reads one response into events with times on the session timeline (`toSessionMs` maps the
 * stream's times). Several non-final results in one response are one interim (Google splits a
 * hypothesis into a stable and an unstable part); each final result is a final. Empty finals are
 * returned with empty text so the caller can still use their end time.
 */
export function eventsFromResponse(
  response: RecognizeResponseLike,
  toSessionMs: (streamMs: number) => number,
): SttEvent[] {
  const events: SttEvent[] = [];
  const eventMs = durationMs(response.speechEventTime);
  const type = response.speechEventType;
  if ((type === 'SPEECH_ACTIVITY_BEGIN' || type === 2) && eventMs !== undefined) {
    events.push({ type: 'speech-start', atMs: toSessionMs(eventMs) });
  }
  const results = response.results ?? [];
  const interims = results.filter((r) => !r.isFinal);
  if (interims.length > 0) {
    const text = interims
      .map((r) => r.alternatives?.[0]?.transcript ?? '')
      .join('')
      .trim();
    const endMs = durationMs(interims.at(-1)?.resultEndTime);
    if (text.length > 0) {
      const transcript: Transcript = {
        text,
        isFinal: false,
        ...(interims[0]?.stability ? { stability: interims[0].stability } : {}),
        ...(endMs === undefined ? {} : { endMs: toSessionMs(endMs) }),
      };
      events.push({ type: 'interim', transcript });
    }
  }
  for (const result of results) {
    if (!result.isFinal) continue;
    const best = result.alternatives?.[0];
    const endMs = durationMs(result.resultEndTime);
    const startMs = durationMs(best?.words?.[0]?.startTime);
    const transcript: Transcript = {
      text: (best?.transcript ?? '').trim(),
      isFinal: true,
      ...(best?.confidence ? { confidence: best.confidence } : {}),
      ...(startMs === undefined ? {} : { startMs: toSessionMs(startMs) }),
      ...(endMs === undefined ? {} : { endMs: toSessionMs(endMs) }),
      ...(result.languageCode ? { language: result.languageCode } : {}),
    };
    events.push({ type: 'final', transcript });
  }
  if ((type === 'SPEECH_ACTIVITY_END' || type === 3) && eventMs !== undefined) {
    events.push({ type: 'speech-end', atMs: toSessionMs(eventMs) });
  }
  return events;
}
