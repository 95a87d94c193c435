/**
 * A growable FIFO of float samples backed by one circular array: writes append, reads consume in
 * order. It grows (doubling) instead of overwriting, so nothing is lost or reordered; the caller
 * bounds it (the player refuses audio past its `maxBufferedMs`).
 */
export class FloatRingBuffer {
  private buffer: Float32Array;
  private readIndex = 0;
  private count = 0;

  constructor(initialCapacity = 4096) {
    this.buffer = new Float32Array(Math.max(1, initialCapacity));
  }

  /** Samples waiting to be read. */
  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.buffer.length;
  }

  /** Appends all of `samples`, growing if needed. */
  write(samples: Float32Array): void {
    if (this.count + samples.length > this.buffer.length) this.grow(this.count + samples.length);
    const capacity = this.buffer.length;
    const writeIndex = (this.readIndex + this.count) % capacity;
    const first = Math.min(samples.length, capacity - writeIndex);
    this.buffer.set(samples.subarray(0, first), writeIndex);
    if (first < samples.length) this.buffer.set(samples.subarray(first), 0);
    this.count += samples.length;
  }

  /**
   * Moves up to `length` samples into `target` starting at `offset`; returns how many it moved.
   */
  read(target: Float32Array, offset = 0, length = target.length - offset): number {
    const n = Math.min(length, this.count);
    const capacity = this.buffer.length;
    const first = Math.min(n, capacity - this.readIndex);
    target.set(this.buffer.subarray(this.readIndex, this.readIndex + first), offset);
    if (first < n) target.set(this.buffer.subarray(0, n - first), offset + first);
    this.readIndex = (this.readIndex + n) % capacity;
    this.count -= n;
    return n;
  }

  /** Forgets everything buffered. */
  clear(): void {
    this.readIndex = 0;
    this.count = 0;
  }

  private grow(needed: number): void {
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Float32Array(capacity);
    const buffered = this.count;
    this.read(grown, 0, buffered);
    this.buffer = grown;
    this.readIndex = 0;
    this.count = buffered;
  }
}
