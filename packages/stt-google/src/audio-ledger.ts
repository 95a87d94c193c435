interface Piece {
  /** Absolute byte position of the piece's first byte in everything ever appended. */
  at: number;
  /** Session time of the first byte, ms. */
  startMs: number;
  bytes: Buffer;
}

interface Segment {
  readonly streamMs: number;
  readonly sessionMs: number;
}

/**
 * The audio a recognition stream may still need, and where it sits on the session's timeline.
 *
 * It holds every byte no final result covers yet; a new stream replays them from the start
 * ({@link startStream}). For the current stream it remembers which stream offset carried which session
 * time, so result times (relative to the stream) map back to the session timeline even across
 * gaps between frames ({@link toSessionMs}).
 */
export class AudioLedger {
  readonly #bytesPerMs: number;
  #pieces: Piece[] = [];
  #first = 0;
  #cursor = 0;
  #headAt = 0;
  #sentAt = 0;
  #endAt = 0;
  #segments: Segment[] = [];
  #streamBytes = 0;
  #sentHigh = 0;

  constructor(sampleRate: number) {
    this.#bytesPerMs = (sampleRate * 2) / 1000;
  }

  /** Bytes appended but not yet sent on the current stream. */
  get unsentBytes(): number {
    return this.#endAt - this.#sentAt;
  }

  /** Audio held (sent or not) that no final covers, ms. */
  get heldMs(): number {
    return (this.#endAt - this.#headAt) / this.#bytesPerMs;
  }

  /** Audio sent at least once since the start, ms: the clock of the re-send allowance. */
  get freshSentMs(): number {
    return this.#sentHigh / this.#bytesPerMs;
  }

  /** Audio already sent that no final covers, ms: what a new stream would re-send. */
  get sentHeldMs(): number {
    return (this.#sentAt - this.#headAt) / this.#bytesPerMs;
  }

  /** Audio sent on the current stream, ms (what the service counts against its limit). */
  get streamMs(): number {
    return this.#streamBytes / this.#bytesPerMs;
  }

  /** Adds a frame's bytes (copied: callers may reuse their buffers). */
  append(startMs: number, bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.#pieces.push({ at: this.#endAt, startMs, bytes: Buffer.from(bytes) });
    this.#endAt += bytes.byteLength;
  }

  /**
   * Begins a new stream: everything held is unsent again (to be replayed), keeping at most
   * `maxReplayMs` of what was already sent (audio never sent is always kept). Returns the audio
   * to re-send, ms.
   */
  startStream(maxReplayMs: number): number {
    const oldest = this.#sentAt - Math.floor(maxReplayMs * this.#bytesPerMs);
    if (oldest > this.#headAt) this.#dropBefore(oldest - (oldest % 2));
    const replayEnd = this.#sentAt;
    this.#sentAt = this.#headAt;
    this.#cursor = this.#first;
    this.#segments = [];
    this.#streamBytes = 0;
    return (replayEnd - this.#headAt) / this.#bytesPerMs;
  }

  /** Takes the next request's audio: up to `maxBytes` of unsent bytes, or undefined when none. */
  take(maxBytes: number): Buffer | undefined {
    const parts: Buffer[] = [];
    let size = 0;
    while (size < maxBytes && this.#sentAt < this.#endAt) {
      let piece = this.#pieces[this.#cursor]!;
      while (this.#sentAt >= piece.at + piece.bytes.length) piece = this.#pieces[++this.#cursor]!;
      const offset = this.#sentAt - piece.at;
      const length = Math.min(piece.bytes.length - offset, maxBytes - size);
      this.#mark(piece.startMs + offset / this.#bytesPerMs);
      parts.push(piece.bytes.subarray(offset, offset + length));
      size += length;
      this.#sentAt += length;
      this.#streamBytes += length;
      if (this.#sentAt > this.#sentHigh) this.#sentHigh = this.#sentAt;
    }
    if (size === 0) return undefined;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
  }

  /** Session time of a time reported by the current stream (ms from the stream's start). */
  toSessionMs(streamMs: number): number {
    const segments = this.#segments;
    if (segments.length === 0) return streamMs;
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (segments[mid]!.streamMs <= streamMs) low = mid;
      else high = mid - 1;
    }
    const segment = segments[low]!;
    return segment.sessionMs + (streamMs - segment.streamMs);
  }

  /** A final result covers the audio before `sessionMs`: forget it (never beyond what was sent). */
  coverUntil(sessionMs: number): void {
    let position = this.#headAt;
    for (let i = this.#first; i < this.#pieces.length; i++) {
      const piece = this.#pieces[i]!;
      const pieceEndMs = piece.startMs + piece.bytes.length / this.#bytesPerMs;
      if (pieceEndMs <= sessionMs) {
        position = piece.at + piece.bytes.length;
        continue;
      }
      if (piece.startMs < sessionMs) {
        const bytes = Math.floor((sessionMs - piece.startMs) * this.#bytesPerMs);
        position = piece.at + bytes - (bytes % 2);
      }
      break;
    }
    this.#dropBefore(Math.min(position, this.#sentAt));
  }

  /** The service processed everything sent (the stream ended cleanly): forget it. */
  dropSent(): void {
    this.#dropBefore(this.#sentAt);
  }

  #mark(sessionMs: number): void {
    const streamMs = this.#streamBytes / this.#bytesPerMs;
    const last = this.#segments.at(-1);
    if (last && Math.abs(last.sessionMs + (streamMs - last.streamMs) - sessionMs) < 0.01) return;
    this.#segments.push({ streamMs, sessionMs });
  }

  #dropBefore(position: number): void {
    if (position <= this.#headAt) return;
    while (this.#first < this.#pieces.length) {
      const piece = this.#pieces[this.#first]!;
      const end = piece.at + piece.bytes.length;
      if (end <= position) {
        this.#first++;
        continue;
      }
      if (piece.at < position) {
        const cut = position - piece.at;
        piece.startMs += cut / this.#bytesPerMs;
        piece.bytes = piece.bytes.subarray(cut);
        piece.at = position;
      }
      break;
    }
    this.#headAt = position;
    if (this.#sentAt < position) this.#sentAt = position;
    if (this.#cursor < this.#first) this.#cursor = this.#first;
    if (this.#first > 256 && this.#first * 2 > this.#pieces.length) {
      this.#pieces = this.#pieces.slice(this.#first);
      this.#cursor -= this.#first;
      this.#first = 0;
    }
  }
}
