import type { VadEvent } from '@voxduplex/core';
import { POCKETSPHINX_SAMPLE_RATE } from './frame-format';

/** What a recognition stream asks of its decoder, in audio order. */
export type Work =
  | { readonly kind: 'frame'; readonly samples: Int16Array; readonly startMs: number }
  | { readonly kind: 'vad'; readonly event: VadEvent }
  | { readonly kind: 'end' };

type FrameWork = Extract<Work, { kind: 'frame' }>;

/**
 * A decoder's to-do list. Each native call costs the event loop a fixed toll (koffi's hand-off
 * to a worker thread and back), so frames waiting back to back leave as one call of at most
 * `maxSamples`, and frames wait until `minSamples` are queued — unless something waits behind
 * them (a VAD event, the end of input), which must see them decoded first and so is not delayed.
 *
 * A VAD event takes effect at its own place on the audio timeline: it goes ahead of waiting
 * frames that start at or after its `atMs` (a detector reports an end or a pause only after
 * hearing some of the silence), so the utterance is closed without decoding that silence first.
 *
 * ```
 * pushed: f f f v f f f f f e      f = 20 ms frame, v = VAD event, e = end; minSamples = 100 ms
 * taken:  ---F v -------F   F e    F = the frames before it, merged
 * ```
 */
export class WorkQueue {
  readonly #items: Work[] = [];

  constructor(
    private readonly minSamples: number,
    private readonly maxSamples: number,
  ) {}

  push(work: Work): void {
    const items = this.#items;
    let at = items.length;
    if (work.kind === 'vad') {
      for (let before = items[at - 1]; before?.kind === 'frame' && before.startMs >= work.event.atMs; ) {
        at--;
        before = items[at - 1];
      }
    }
    items.splice(at, 0, work);
  }

  /** Whether a VAD event waits in the queue (an utterance not yet closed, say). */
  hasPendingVad(): boolean {
    return this.#items.some((work) => work.kind === 'vad');
  }

  /** The next piece of work, or `undefined` when nothing is due yet. */
  take(): Work | undefined {
    const items = this.#items;
    const first = items[0];
    if (first?.kind !== 'frame') return items.shift();
    let count = 1;
    let total = first.samples.length;
    for (let previous = first; count < items.length; count++) {
      const next = items[count]!;
      if (next.kind !== 'frame' || !follows(previous, next) || total + next.samples.length > this.maxSamples)
        break;
      total += next.samples.length;
      previous = next;
    }
    const isAnythingBehind = count < items.length;
    if (total < this.minSamples && !isAnythingBehind) return undefined;
    const frames = items.splice(0, count) as FrameWork[];
    if (frames.length === 1) return first;
    const samples = new Int16Array(total);
    let at = 0;
    for (const frame of frames) {
      samples.set(frame.samples, at);
      at += frame.samples.length;
    }
    return { kind: 'frame', samples, startMs: first.startMs };
  }
}

/** True when `next` starts where `previous` ends on the audio timeline. */
function follows(previous: FrameWork, next: FrameWork): boolean {
  const endMs = previous.startMs + (previous.samples.length / POCKETSPHINX_SAMPLE_RATE) * 1000;
  return Math.abs(next.startMs - endMs) < 0.5;
}
