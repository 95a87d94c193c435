import { type AudioFrame, ProviderUnavailableError, type SttEvent, type SttProvider } from '@voxduplex/core';
import { ResourceCounter } from '@voxduplex/core/testing';
import { Observable } from 'rxjs';
import type { FaultTally } from './faults';
import { readInBand } from './in-band-speech';

export interface InBandSttOptions {
  /** Its `name` (errors name it `stt:<name>`). Default `'in-band'`. */
  readonly name?: string;
  readonly sampleRate?: number;
  /**
   * A stand-by that ignores the `fail-stream` and `end-stream` commands, failing only while
   * {@link InBandStt.isDown}: the backup of a fallback chain (it hears the failed stream's
   * audio again, commands included). Default false.
   */
  readonly ignoresStreamFaults?: boolean;
  /** Where injected faults are counted. */
  readonly tally?: FaultTally;
}

/**
 * A recognizer that hears the speech a test client wrote into its audio ({@link inBandFrame}):
 * each command frame becomes the recognizer event it spells, `fail-stream` errors the stream
 * and `end-stream` completes it. While {@link isDown}, every new stream fails — every other one
 * while being opened (as an SDK that throws on connect), the rest on their first frame.
 * `streams` counts open recognition streams.
 */
export class InBandStt implements SttProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly sampleRate: number;
  readonly streams = new ResourceCounter();
  /** Every new stream fails while true (an STT outage). */
  isDown = false;
  readonly #tally: FaultTally | undefined;
  readonly #ignoresStreamFaults: boolean;
  #outageFailures = 0;

  constructor(options: InBandSttOptions = {}) {
    this.name = options.name ?? 'in-band';
    this.sampleRate = options.sampleRate ?? 16_000;
    this.#tally = options.tally;
    this.#ignoresStreamFaults = options.ignoresStreamFaults ?? false;
  }

  transcribe(audio$: Observable<AudioFrame>): Observable<SttEvent> {
    return new Observable<SttEvent>((subscriber) => {
      const done = this.streams.track();
      if (this.isDown) {
        this.#tally?.add('stt', 'outage');
        const error = new ProviderUnavailableError('speech recognizer unavailable', {
          source: `stt:${this.name}`,
        });
        if (this.#outageFailures++ % 2 === 0) {
          done('errored');
          subscriber.error(error);
          return;
        }
        const frames = audio$.subscribe(() => {
          done('errored');
          subscriber.error(error);
        });
        return () => {
          frames.unsubscribe();
          done('cancelled');
        };
      }
      const frames = audio$.subscribe({
        next: (frame) => {
          const command = readInBand(frame.samples);
          if (!command) return;
          if (this.#ignoresStreamFaults && (command.type === 'fail-stream' || command.type === 'end-stream'))
            return;
          const atMs = frame.startMs;
          switch (command.type) {
            case 'fail-stream':
              this.#tally?.add('stt', 'stream-error');
              done('errored');
              subscriber.error(
                new ProviderUnavailableError('recognition stream dropped', { source: `stt:${this.name}` }),
              );
              return;
            case 'end-stream':
              this.#tally?.add('stt', 'stream-end');
              done('completed');
              subscriber.complete();
              return;
            case 'speech-start':
            case 'speech-end':
              subscriber.next({ type: command.type, atMs });
              return;
            case 'interim':
              subscriber.next({
                type: 'interim',
                transcript: { text: command.text, isFinal: false, stability: 0.5, startMs: atMs },
              });
              return;
            case 'final':
              subscriber.next({
                type: 'final',
                transcript: { text: command.text, isFinal: true, confidence: 0.9, endMs: atMs },
              });
              return;
          }
        },
        error: (error: unknown) => {
          done('errored');
          subscriber.error(error);
        },
        complete: () => {
          done('completed');
          subscriber.complete();
        },
      });
      return () => {
        frames.unsubscribe();
        done('cancelled');
      };
    });
  }
}
