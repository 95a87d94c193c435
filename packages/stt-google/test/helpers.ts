import type { AudioFrame, SttEvent } from '@voxduplex/core';
import { GoogleSpeechEmulator } from '@voxduplex/testing-google';
import { from, lastValueFrom, Observable, toArray } from 'rxjs';
import { GoogleStt } from '../src/index';
import type { GoogleSttOptions } from '../src/options';

// No credential discovery, no metadata-server probe: only 127.0.0.1 is ever contacted.
process.env.METADATA_SERVER_DETECTION = 'none';

/** Cuts PCM into consecutive frames on the session timeline. */
export function framesOf(
  samples: Int16Array,
  { frameMs = 20, startMs = 0, sampleRate = 16000 } = {},
): AudioFrame[] {
  const size = (frameMs * sampleRate) / 1000;
  const frames: AudioFrame[] = [];
  for (let at = 0; at < samples.length; at += size) {
    frames.push({
      samples: samples.slice(at, at + size),
      sampleRate,
      channels: 1,
      startMs: startMs + (at / sampleRate) * 1000,
    });
  }
  return frames;
}

/** A GoogleStt pointed at the emulator. */
export function sttFor(emulator: GoogleSpeechEmulator, options: GoogleSttOptions = {}): GoogleStt {
  return new GoogleStt({
    endpoint: { host: '127.0.0.1', port: emulator.port, insecure: true },
    retry: { initialDelayMs: 20, maxDelayMs: 100 },
    ...options,
  });
}

/** Everything a transcription emits, once it completes. */
export function collect(events$: Observable<SttEvent>): Promise<SttEvent[]> {
  return lastValueFrom(events$.pipe(toArray()));
}

/** A promise's outcome as a value: `{ value }` or `{ error }`, never a rejection. */
export function settled<T>(promise: Promise<T>): Promise<{ value: T | undefined; error: unknown }> {
  return promise.then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );
}

/** Transcribes frames pushed as fast as the adapter takes them. */
export function transcribeAll(stt: GoogleStt, frames: readonly AudioFrame[]): Promise<SttEvent[]> {
  return collect(stt.transcribe(from(frames)));
}

export const finalsOf = (events: readonly SttEvent[]) =>
  events.flatMap((e) => (e.type === 'final' ? [e.transcript] : []));

export { GoogleSpeechEmulator };

/** Frames as a microphone gives them, `speed` times faster than real time (wall clock). */
export function paced(frames: readonly AudioFrame[], speed = 1): Observable<AudioFrame> {
  return new Observable<AudioFrame>((subscriber) => {
    const startedAt = performance.now();
    let index = 0;
    let timer: NodeJS.Timeout | undefined;
    const step = () => {
      const dueMs = (performance.now() - startedAt) * speed;
      while (index < frames.length && frames[index]!.startMs - frames[0]!.startMs <= dueMs) {
        subscriber.next(frames[index++]!);
      }
      if (index >= frames.length) subscriber.complete();
      else timer = setTimeout(step, 10);
    };
    step();
    return () => clearTimeout(timer);
  });
}
