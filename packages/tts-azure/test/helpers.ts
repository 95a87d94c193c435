import type { TtsChunk, VoxError } from '@voxduplex/core';
import type { AzureSpeechEmulator } from '@voxduplex/testing-azure';
import type { Observable } from 'rxjs';
import { AzureTts, type AzureTtsOptions } from '../src/index';

export interface SynthesisOutcome {
  readonly chunks: TtsChunk[];
  readonly error: VoxError | undefined;
}

/** Runs a synthesis to its end (complete or error). */
export function collect(chunks$: Observable<TtsChunk>): Promise<SynthesisOutcome> {
  const chunks: TtsChunk[] = [];
  return new Promise((resolve) => {
    chunks$.subscribe({
      next: (chunk) => chunks.push(chunk),
      error: (error: VoxError) => resolve({ chunks, error }),
      complete: () => resolve({ chunks, error: undefined }),
    });
  });
}

export function ttsFor(emulator: AzureSpeechEmulator, overrides: Partial<AzureTtsOptions> = {}): AzureTts {
  return new AzureTts({ host: emulator.host.toString(), key: 'test-key', idleTimeoutMs: 2000, ...overrides });
}

export function totalSamples(chunks: readonly TtsChunk[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.samples.length, 0);
}
