/** A playback control as it crosses the control lane. No `speechId`: the current speech. */
export interface LaneCommand {
  readonly type: 'pause' | 'resume' | 'interrupt';
  readonly speechId?: string;
}

const SLOTS = 32;
/** Longest speechId the lane carries (the wire protocol's limit); longer ones use postMessage. */
const MAX_ID_LENGTH = 128;
/** Per slot, in 16-bit words: the command, the id's length, the id's UTF-16 code units. */
const SLOT_WORDS = 2 + MAX_ID_LENGTH;
const HEADER_BYTES = 8;
const OPS = ['pause', 'resume', 'interrupt'] as const;

/**
 * A single-producer, single-consumer queue of playback controls in a SharedArrayBuffer, from
 * the main thread to the player worklet. The worklet reads it at the start of every render
 * quantum, so an interrupt takes effect in the next quantum rendered, even when the audio
 * thread renders several quanta back to back without handling messages in between (a
 * `postMessage` waits for the end of such a burst: one more 10.7 ms at 48 kHz with 512-frame
 * bursts). Needs a cross-origin isolated page (COOP `same-origin` + COEP `require-corp` or
 * `credentialless`); see {@link ControlLane.isAvailable}.
 *
 * Layout: Int32 `[written, read]` counters, then 32 slots of 16-bit words. The counters only
 * grow; a slot is published by the `Atomics.store` of `written`, released by that of `read`.
 */
export class ControlLane {
  private readonly counters: Int32Array;
  private readonly slots: Uint16Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.counters = new Int32Array(buffer, 0, 2);
    this.slots = new Uint16Array(buffer, HEADER_BYTES, SLOTS * SLOT_WORDS);
  }

  /** Whether this page may share memory with its worklets (`crossOriginIsolated`). */
  static isAvailable(): boolean {
    return (
      typeof SharedArrayBuffer === 'function' &&
      typeof Atomics === 'object' &&
      (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
    );
  }

  /** A buffer for a new lane. */
  static createBuffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(HEADER_BYTES + SLOTS * SLOT_WORDS * 2);
  }

  /**
   * Main thread: queues `command`. Returns false when it cannot (lane full because the context
   * is not rendering, or a speechId too long): send it by `postMessage` then, which the worklet
   * handles after draining the lane, so the order holds.
   */
  write(command: LaneCommand): boolean {
    const id = command.speechId ?? '';
    if (id.length > MAX_ID_LENGTH) return false;
    const written = Atomics.load(this.counters, 0);
    if (written - Atomics.load(this.counters, 1) >= SLOTS) return false;
    const at = (written % SLOTS) * SLOT_WORDS;
    this.slots[at] = OPS.indexOf(command.type);
    this.slots[at + 1] = id.length;
    for (let i = 0; i < id.length; i++) this.slots[at + 2 + i] = id.charCodeAt(i);
    Atomics.store(this.counters, 0, written + 1);
    return true;
  }

  /** Worklet: applies every queued command, oldest first. */
  drain(apply: (command: LaneCommand) => void): void {
    const written = Atomics.load(this.counters, 0);
    let read = Atomics.load(this.counters, 1);
    while (read < written) {
      const at = (read % SLOTS) * SLOT_WORDS;
      const type = OPS[this.slots[at]!] ?? 'interrupt';
      const length = this.slots[at + 1]!;
      const speechId =
        length === 0 ? undefined : String.fromCharCode(...this.slots.subarray(at + 2, at + 2 + length));
      read++;
      // Released before applying: a throwing listener must not replay the command.
      Atomics.store(this.counters, 1, read);
      apply(speechId === undefined ? { type } : { type, speechId });
    }
  }
}
