import type { PlaybackAck, PlaybackControl, SpeechAudio } from '@voxduplex/core';
import { AgentAudioEncoder, type PhoneFrame } from '../codec/phone-audio';
import { PCMU_8K, type PhoneAudioFormat } from '../codec/phone-format';
import type { StreamCommand } from '../stream/media-stream';

/** Duration of one outbound media message (a 20 ms frame). */
const FRAME_MS = 20;

/** The session calls a playout reports to: what the caller has actually heard. */
export interface PlayoutListener {
  playbackStarted(speechId: string): void;
  playbackAck(ack: PlaybackAck): void;
  playbackFinished(speechId: string): void;
}

/** Options of {@link PhonePlayout}. */
export interface PhonePlayoutOptions {
  /** Audio sent ahead of what the caller hears, ms: all a `clear` has to throw away. */
  readonly leadMs: number;
  /** The stream's audio format (default μ-law 8 kHz). */
  readonly format?: PhoneAudioFormat;
  /** Sends one command on the stream. */
  readonly send: (command: StreamCommand) => void;
  readonly listener: PlayoutListener;
  /** Milliseconds, monotonic (default `performance.now`). */
  readonly now?: () => number;
}

/** Counters of one playout. */
export interface PlayoutStats {
  readonly framesSent: number;
  /**
   * Frames sent after the carrier's buffer had run dry although the frame was ready before:
   * the pacer itself was late (an event-loop stall), and the caller heard a gap.
   */
  readonly lateFrames: number;
  readonly clears: number;
}

/** What waits to be sent, then waits for its mark to come back. */
type Entry =
  | { readonly kind: 'start'; readonly speechId: string }
  | {
      readonly kind: 'frame';
      readonly speechId: string;
      readonly frame: PhoneFrame;
      readonly readyAt: number;
    }
  | { readonly kind: 'end'; readonly speechId: string };

/**
 * Agent speech onto a phone line, paced and accounted for by marks:
 *
 * - **Paced**: 20 ms frames (μ-law 8 kHz, or the stream's format) leave at real time, at most `leadMs` ahead of what plays, so
 *   the carrier's buffer stays short and a `clear` has little to clear.
 * - **Marked**: every entry is followed by a `mark`; the carrier echoes it once the audio before
 *   it has played. A speech opens with a mark (echo → `playbackStarted`), each frame's mark
 *   carries how far the speech has played (echo → `playbackAck`, so heard text is exact to the
 *   last played frame), and a speech's end has one (echo → `playbackFinished`).
 * - **Cleared at once**: `pause` and `interrupt` (the session's control lane) send `clear`
 *   before anything else. The carrier then echoes the marks it dropped at once; those names are
 *   forgotten first, so audio that never played is never acked. A paused speech's unplayed
 *   frames go back to the head of the queue, and `resume` plays them from the last heard frame.
 */
export class PhonePlayout {
  readonly #options: PhonePlayoutOptions;
  readonly #now: () => number;
  readonly #queue: Entry[] = [];
  /** Sent, mark not yet echoed, in order. */
  readonly #inFlight: { readonly entry: Entry; readonly mark: string }[] = [];
  readonly #marks = new Map<string, Entry>();
  readonly #encoders = new Map<string, AgentAudioEncoder>();
  readonly #interrupted = new Set<string>();
  #paused: string | undefined;
  /** When everything sent so far will have played (estimate, `now()` clock). */
  #bufferEndsAt = 0;
  /** The speech whose frame was sent last (a late frame is one that follows its own speech). */
  #lastSentSpeech: string | undefined;
  #nextMark = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #isClosed = false;
  #stats = { framesSent: 0, lateFrames: 0, clears: 0 };

  constructor(options: PhonePlayoutOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  get stats(): PlayoutStats {
    return { ...this.#stats };
  }

  /** Milliseconds of agent audio sent and not yet heard (its marks not echoed). */
  get unplayedMs(): number {
    return this.#inFlight.filter(({ entry }) => entry.kind === 'frame').length * FRAME_MS;
  }

  /** A chunk of agent audio (any rate, any length). */
  audio(chunk: SpeechAudio): void {
    if (this.#isClosed || this.#interrupted.has(chunk.speechId)) return;
    let encoder = this.#encoders.get(chunk.speechId);
    if (!encoder) {
      encoder = this.#encoderFor(chunk.sampleRate);
      this.#encoders.set(chunk.speechId, encoder);
      this.#queue.push({ kind: 'start', speechId: chunk.speechId });
    } else if (encoder.inputRate !== chunk.sampleRate) {
      // A voice that changes rate mid-speech: finish the old filter, go on with a new one.
      this.#queueFrames(chunk.speechId, encoder.flush());
      encoder = this.#encoderFor(chunk.sampleRate);
      this.#encoders.set(chunk.speechId, encoder);
    }
    this.#queueFrames(chunk.speechId, encoder.encode(chunk.samples));
    this.#pump();
  }

  /** The speech's last chunk has come (`speech-generated`): its tail and end mark follow. */
  generated(speechId: string): void {
    if (this.#isClosed || this.#interrupted.has(speechId)) return;
    const encoder = this.#encoders.get(speechId);
    if (encoder) this.#queueFrames(speechId, encoder.flush());
    this.#encoders.delete(speechId);
    this.#queue.push({ kind: 'end', speechId });
    this.#pump();
  }

  /** A playback control from the session's control lane. */
  control(control: PlaybackControl): void {
    if (this.#isClosed) return;
    const { speechId } = control;
    if (control.type === 'pause') {
      if (this.#paused !== undefined) return;
      this.#paused = speechId;
      if (this.#inFlight.length > 0) this.#clear();
    } else if (control.type === 'resume') {
      if (this.#paused === speechId) this.#paused = undefined;
    } else {
      this.#interrupted.add(speechId);
      if (this.#interrupted.size > 32) this.#interrupted.delete(this.#interrupted.values().next().value!);
      this.#encoders.delete(speechId);
      if (this.#paused === speechId) this.#paused = undefined;
      if (this.#inFlight.some(({ entry }) => entry.speechId === speechId)) this.#clear();
      for (let i = this.#queue.length - 1; i >= 0; i--)
        if (this.#queue[i]!.speechId === speechId) this.#queue.splice(i, 1);
    }
    this.#pump();
  }

  /**
   * A mark came back. Returns false for a name this playout does not expect (cleared, or never
   * sent): nothing is acked for it.
   */
  markEchoed(name: string): boolean {
    const entry = this.#marks.get(name);
    if (!entry || this.#isClosed) return false;
    // Marks come back in order; anything before this one has played too.
    while (this.#inFlight.length > 0) {
      const head = this.#inFlight.shift()!;
      this.#marks.delete(head.mark);
      if (head.mark === name) break;
    }
    const { listener } = this.#options;
    if (entry.kind === 'start') listener.playbackStarted(entry.speechId);
    else if (entry.kind === 'frame')
      listener.playbackAck({ speechId: entry.speechId, playedMs: entry.frame.endMs });
    else listener.playbackFinished(entry.speechId);
    return true;
  }

  /** Stops: nothing more is sent, timers end, later echoes are ignored. */
  close(): void {
    this.#isClosed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    this.#inFlight.length = 0;
    this.#marks.clear();
    this.#encoders.clear();
  }

  #encoderFor(sampleRate: number): AgentAudioEncoder {
    return new AgentAudioEncoder(sampleRate, this.#options.format ?? PCMU_8K);
  }

  #queueFrames(speechId: string, frames: readonly PhoneFrame[]): void {
    const readyAt = this.#now();
    for (const frame of frames) this.#queue.push({ kind: 'frame', speechId, frame, readyAt });
  }

  /** Empties the carrier's buffer; what it held and was not interrupted goes back in the queue. */
  #clear(): void {
    this.#options.send({ type: 'clear' });
    this.#stats.clears++;
    const unplayed = this.#inFlight
      .map(({ entry }) => entry)
      .filter((entry) => !this.#interrupted.has(entry.speechId));
    this.#queue.unshift(...unplayed);
    this.#inFlight.length = 0;
    // The carrier echoes the dropped marks now: forgotten first, they ack nothing.
    this.#marks.clear();
    this.#bufferEndsAt = this.#now();
    this.#lastSentSpeech = undefined;
  }

  #pump(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#isClosed) return;
    const { send, leadMs } = this.#options;
    const now = this.#now();
    while (this.#queue.length > 0) {
      const entry = this.#queue[0]!;
      if (entry.speechId === this.#paused) return;
      if (entry.kind === 'frame') {
        const aheadMs = this.#bufferEndsAt - now;
        if (aheadMs >= leadMs) {
          this.#timer = setTimeout(() => this.#pump(), Math.max(1, aheadMs - leadMs + 1));
          return;
        }
        if (aheadMs < 0 && this.#lastSentSpeech === entry.speechId && entry.readyAt <= this.#bufferEndsAt)
          this.#stats.lateFrames++;
        this.#bufferEndsAt = Math.max(this.#bufferEndsAt, now) + FRAME_MS;
        this.#lastSentSpeech = entry.speechId;
        this.#stats.framesSent++;
        send({ type: 'media', payload: entry.frame.payload });
      }
      this.#queue.shift();
      const mark = `vx-${++this.#nextMark}`;
      this.#inFlight.push({ entry, mark });
      this.#marks.set(mark, entry);
      send({ type: 'mark', name: mark });
    }
  }
}
