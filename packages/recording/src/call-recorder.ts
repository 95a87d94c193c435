import {
  type AudioFrame,
  type AudioInContext,
  audioFrameDurationMs,
  bytesFromInt16,
  defaultStages,
  type PipelineStage,
  type SessionEvent,
  type VoiceSession,
} from '@voxduplex/core';
import { tap } from 'rxjs';
import type { CallJournalEntry } from './call-journal';
import type { RecordedWord } from './call-transcript';
import { eventEntry } from './event-entry';
import type { FinishedRecording, RecordingSink } from './recording-sink';
import { firstChannel, resampleLinear } from './resample';
import { SpeechPlayout } from './speech-playout';
import { StereoTimeline } from './stereo-timeline';
import { wavHeader } from './wav-header';

/** How a {@link CallRecorder} records. */
export interface CallRecorderOptions {
  readonly sink: RecordingSink;
  /** The WAV's sample rate, Hz (default 16000). Both sides are resampled to it. */
  readonly sampleRate?: number;
  /**
   * How long the end of the recording stays open before it is written, ms (default 1000): room
   * for late microphone frames and for cutting agent audio the listener did not hear. Also the
   * most a crash loses.
   */
  readonly holdMs?: number;
  /** The session's clock, ms (default `performance.now()`); pass the scheduler's in virtual-time tests. */
  readonly now?: () => number;
  /** The `audioIn` stage that runs after the recorder taps the microphone (default core's). */
  readonly audioIn?: PipelineStage<AudioFrame, AudioFrame, AudioInContext>;
}

/** Written out at least this much at a time, ms: fewer, larger writes. */
const WRITE_BLOCK_MS = 250;
/** Journal lines go to the sink at most this often, ms of call: a crash loses at most this much of the transcript. */
const JOURNAL_FLUSH_MS = 1000;

/**
 * Records one call: a stereo WAV — the user's microphone left, the agent right, holding only
 * what the listener's player played (cut where an interrupt cut it) — aligned on the session
 * clock, and a journal of what happened ({@link CallJournalEntry}, read back as a
 * `CallTranscript` with `readCallJournal`). Both go to the sink as the call goes on; memory holds
 * about `holdMs` of audio, agent audio sent but not yet played, the speeches still playing and at
 * most a second of journal lines — nothing that grows with the length of the call.
 *
 * The user's audio is read by the recorder's `audioIn` stage (it then runs the default stage);
 * the rest comes from the session's events. Attach right after creating the session; the
 * recording ends, and the sink is finished, when the session closes.
 *
 * @example
 * ```ts
 * const recorder = new CallRecorder({ sink: fileRecordingSink({ dir: 'recordings', name: id }) });
 * const session = createVoiceSession({ stt, llm, tts, id, pipeline: { audioIn: recorder.audioIn } });
 * recorder.attach(session);
 * const { durationMs } = await recorder.finished; // after session.close(); the transcript is in the sink
 * ```
 */
export class CallRecorder {
  /** The `audioIn` stage to give `createVoiceSession`: it records each microphone frame. */
  readonly audioIn: PipelineStage<AudioFrame, AudioFrame, AudioInContext>;
  /** Resolves once the sink stored everything (what it was told at the end); rejects if the sink failed. */
  readonly finished: Promise<FinishedRecording>;

  readonly #sink: RecordingSink;
  readonly #sampleRate: number;
  readonly #holdMs: number;
  readonly #now: () => number;
  readonly #timeline = new StereoTimeline();
  readonly #playouts = new Map<
    string,
    {
      playout: SpeechPlayout;
      sentenceStarts: Map<number, number>;
      words: { word: string; atMs: number; durationMs: number }[];
    }
  >();
  /** The turn of each speech that started and has not ended: all a control or audio event needs. */
  readonly #speeches = new Map<string, string>();
  /** Journal lines not yet handed to the sink. */
  #journal = '';
  #journalFlushedAtMs = 0;
  #sessionId: string | undefined;
  #originMs = 0;
  /** Recording ms of the session audio timeline's 0 (set by the first microphone frame). */
  #userOffsetMs: number | undefined;
  #isWriting = false;
  #sinkFailure: unknown;
  #resolve!: (recording: FinishedRecording) => void;
  #reject!: (error: unknown) => void;

  constructor(options: CallRecorderOptions) {
    this.#sink = options.sink;
    this.#sampleRate = options.sampleRate ?? 16000;
    this.#holdMs = options.holdMs ?? 1000;
    this.#now = options.now ?? (() => performance.now());
    const inner = options.audioIn ?? defaultStages.audioIn;
    this.audioIn = (frames$, context) => inner(frames$.pipe(tap((frame) => this.hearUser(frame))), context);
    this.finished = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A caller that never awaits must not see an unhandled rejection from a failed sink.
    this.finished.catch(() => {});
  }

  /**
   * Bytes held in memory now: the open end of the recording, agent audio not yet played, and
   * journal lines not yet handed to the sink.
   */
  get heldBytes(): number {
    let bytes = this.#timeline.heldBytes + this.#journal.length;
    for (const { playout } of this.#playouts.values()) bytes += playout.heldBytes;
    return bytes;
  }

  /** Starts recording `session`: the recording's first sample is now. Returns the recorder. */
  attach(session: VoiceSession): this {
    if (this.#sessionId !== undefined) throw new Error('a CallRecorder records one session');
    this.#sessionId = session.id;
    this.#originMs = this.#now();
    this.#isWriting = true;
    this.#write(wavHeader({ sampleRate: this.#sampleRate, channels: 2 }));
    this.#record({
      type: 'recording',
      version: 1,
      sessionId: session.id,
      startedAt: new Date().toISOString(),
      sampleRate: this.#sampleRate,
      channels: ['user', 'agent'],
    });
    this.#flushJournal(0);
    session.events$.subscribe({
      next: (event) => this.#handle(event),
      complete: () => this.#end('closed'),
    });
    if (session.isClosed) this.#end('closed');
    return this;
  }

  /** Records a microphone frame (the `audioIn` stage calls this; an app feeding audio another way may too). */
  hearUser(frame: AudioFrame): void {
    if (!this.#isWriting) return;
    const nowMs = this.#clockMs();
    this.#userOffsetMs ??= nowMs - (frame.startMs + audioFrameDurationMs(frame));
    const mono = resampleLinear(
      firstChannel(frame.samples, frame.channels),
      frame.sampleRate,
      this.#sampleRate,
    );
    this.#timeline.write('user', this.#frameAt(frame.startMs + this.#userOffsetMs), mono);
    this.#tick(nowMs);
  }

  /**
   * Ends the recording (the session's close does it): the rest of the audio and of the journal
   * is written, then the sink finishes (a file sink patches the WAV header and writes the
   * transcript). Idempotent; resolves like {@link CallRecorder.finished}.
   */
  async stop(reason = 'stopped'): Promise<FinishedRecording> {
    const sessionId = this.#sessionId;
    if (!this.#isWriting || sessionId === undefined) return this.finished;
    const nowMs = this.#clockMs();
    for (const [speechId, { playout }] of this.#playouts) {
      playout.end(nowMs, playout.playedMs);
      this.#playouts.delete(speechId);
    }
    // To the close, or past it where agent audio heard later was already written.
    this.#flush(Math.max(this.#timeline.endFrame, this.#frameAt(nowMs)));
    const frames = this.#timeline.writtenFrames;
    const durationMs = (frames / this.#sampleRate) * 1000;
    this.#record({ type: 'end', atMs: nowMs, durationMs, endReason: reason });
    this.#flushJournal(nowMs);
    this.#isWriting = false;
    const header = wavHeader({ sampleRate: this.#sampleRate, channels: 2, dataBytes: frames * 4 });
    const recording: FinishedRecording = { sessionId, header, durationMs, endReason: reason };
    try {
      if (this.#sinkFailure !== undefined) throw this.#sinkFailure;
      await this.#sink.finish(recording);
      this.#resolve(recording);
    } catch (error) {
      this.#reject(error);
    }
    return this.finished;
  }

  #handle(event: SessionEvent): void {
    const atMs = this.#clockMs();
    switch (event.type) {
      case 'speech-start':
        this.#speeches.set(event.speechId, event.turnId);
        this.#record({ type: 'speech-start', atMs, turnId: event.turnId, speechId: event.speechId });
        break;
      case 'audio':
        this.#agentAudio(event.audio, atMs);
        break;
      case 'control':
        this.#control(event.control, atMs);
        break;
      case 'speech-end':
        this.#speechEnd(event, atMs);
        break;
      case 'closed':
        this.#end(event.reason);
        return;
      default: {
        const entry = eventEntry(event, atMs, this.#userOffsetMs);
        if (entry) this.#record(entry);
      }
    }
    this.#tick(atMs);
  }

  #control(control: Extract<SessionEvent, { type: 'control' }>['control'], atMs: number): void {
    const turnId = this.#speeches.get(control.speechId);
    if (turnId === undefined) return;
    const playout = this.#playouts.get(control.speechId)?.playout;
    if (control.type === 'pause') playout?.pause(atMs);
    else if (control.type === 'resume') playout?.resume(atMs);
    this.#record({
      type: 'control',
      atMs,
      turnId,
      speechId: control.speechId,
      control: control.type,
      ...('source' in control ? { source: control.source } : {}),
    });
  }

  /** Ends the recording from inside (the session closed): failures surface on `finished`. */
  #end(reason: string): void {
    this.stop(reason).catch(() => {});
  }

  #agentAudio(audio: Extract<SessionEvent, { type: 'audio' }>['audio'], nowMs: number): void {
    const turnId = this.#speeches.get(audio.speechId);
    if (turnId === undefined) return;
    let playing = this.#playouts.get(audio.speechId);
    if (!playing) {
      this.#record({ type: 'speech-played', atMs: nowMs, turnId, speechId: audio.speechId });
      playing = {
        playout: new SpeechPlayout(nowMs, this.#sampleRate, this.#timeline),
        sentenceStarts: new Map(),
        words: [],
      };
      this.#playouts.set(audio.speechId, playing);
    }
    if (!playing.sentenceStarts.has(audio.sentenceIndex))
      playing.sentenceStarts.set(audio.sentenceIndex, audio.offsetMs);
    const sentenceStart = playing.sentenceStarts.get(audio.sentenceIndex)!;
    for (const word of audio.words ?? [])
      playing.words.push({
        word: word.word,
        atMs: sentenceStart + word.startMs,
        durationMs: word.durationMs,
      });
    playing.playout.queue(audio.samples, audio.sampleRate, audio.channels);
  }

  #speechEnd(event: Extract<SessionEvent, { type: 'speech-end' }>, nowMs: number): void {
    if (!this.#speeches.delete(event.speechId)) return;
    const { turnId, speechId, text, heardText, playedMs, interrupted } = event;
    const playing = this.#playouts.get(speechId);
    this.#playouts.delete(speechId);
    let endMs: number | undefined;
    const words: RecordedWord[] = [];
    if (playing) {
      const { playout } = playing;
      playout.end(nowMs, playedMs);
      endMs = playout.clockOf(playedMs);
      for (const word of playing.words) {
        if (word.atMs >= playedMs) continue;
        const startMs = playout.clockOf(word.atMs);
        words.push({ word: word.word, startMs, endMs: startMs + word.durationMs });
      }
    }
    this.#record({
      type: 'speech-end',
      atMs: nowMs,
      turnId,
      speechId,
      text,
      heardText,
      playedMs,
      interrupted,
      ...(endMs === undefined ? {} : { endMs }),
      words,
    });
  }

  /** The clock moved: agent audio played meanwhile is written in, and settled audio and journal lines go out. */
  #tick(nowMs: number): void {
    for (const { playout } of this.#playouts.values()) playout.advance(nowMs);
    const settledFrame = this.#frameAt(nowMs - this.#holdMs);
    if (settledFrame - this.#timeline.writtenFrames >= this.#frameAt(WRITE_BLOCK_MS))
      this.#flush(settledFrame);
    if (this.#journal !== '' && nowMs - this.#journalFlushedAtMs >= JOURNAL_FLUSH_MS)
      this.#flushJournal(nowMs);
  }

  #record(entry: CallJournalEntry): void {
    this.#journal += `${JSON.stringify(entry)}\n`;
  }

  #flushJournal(nowMs: number): void {
    this.#journalFlushedAtMs = nowMs;
    const lines = this.#journal;
    this.#journal = '';
    if (lines === '' || this.#sinkFailure !== undefined) return;
    try {
      this.#sink.journal(lines);
    } catch (error) {
      this.#sinkFailure = error;
    }
  }

  #flush(toFrame: number): void {
    const block = this.#timeline.take(toFrame);
    if (block.length > 0) this.#write(bytesFromInt16(block));
  }

  #write(bytes: Uint8Array): void {
    if (this.#sinkFailure !== undefined) return;
    try {
      this.#sink.write(bytes);
    } catch (error) {
      // A failing sink costs the recording, never the call.
      this.#sinkFailure = error;
    }
  }

  #clockMs(): number {
    return this.#now() - this.#originMs;
  }

  #frameAt(ms: number): number {
    return Math.round((ms / 1000) * this.#sampleRate);
  }
}
