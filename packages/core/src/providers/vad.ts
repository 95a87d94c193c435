import type { Observable } from 'rxjs';
import type { AudioFrame } from '../frames/audio';
import type { VadEvent } from '../frames/transcript';

/**
 * Voice-activity-detection contract, version 1.
 *
 * `detect` is cold: each subscription runs one detector over `audio$` and emits speech start and
 * end with the probability that decided them; unsubscribing frees the model state.
 */
export interface VadProvider {
  readonly specificationVersion: 'v1';
  readonly name: string;
  /**
   * Releases what the provider holds across requests (a gRPC channel, a worker pool, a model).
   * A provider may serve many sessions, so sessions never call this: whoever created the
   * provider does, at shutdown. Streams still open are cancelled.
   */
  close?(): void | Promise<void>;
  /** The sample rate the detector wants. */
  readonly sampleRate: number;
  detect(audio$: Observable<AudioFrame>): Observable<VadEvent>;
}
