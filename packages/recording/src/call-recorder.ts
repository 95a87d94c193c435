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
import type { CallTranscript, RecordedSpeech, RecordedTurn, RecordedUtterance } from './call-transcript';
import type { RecordingSink } from './recording-sink';
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

/**
 * Records one call: a stereo WAV — the user's microphone left, the agent right, holding only
 * what the listener's player played (cut where an interrupt cut it) — aligned on the session
 * clock, and a {@link CallTranscript}. Audio goes to the sink as the call goes on; memory holds
 * about `holdMs` of audio plus agent audio sent but not yet played.
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
 * const transcript = await recorder.finished; // after session.close()
 * ```
 */
export class CallRecorder {
  /** The `audioIn` stage to give `createVoiceSession`: it records each microphone frame. */
  readonly audioIn: PipelineStage<AudioFrame, AudioFrame, AudioInContext>;
  /** Resolves with the transcript once the sink stored everything; rejects if the sink failed. */
  readonly finished: Promise<CallTranscript>;

  readonly #sink: RecordingSink;
  readonly #sampleRate: number;
  readonly #holdMs: number;
  readonly #now: () => number;
  readonly #timeline = new StereoTimeline();
  readonly #playouts = new Map<
    string,
    {
      playout: SpeechPlayout;
      speech: RecordedSpeech;
      sentenceStarts: Map<number, number>;
      words: { word: string; atMs: number; durationMs: number }[];
    }
  >();
  readonly #speeches = new Map<string, RecordedSpeech>();
  readonly #turns = new Map<string, RecordedTurn>();
  #utterances: RecordedUtterance[] = [];
  #transcript: CallTranscript | undefined;
  #originMs = 0;
  /** Recording ms of the session audio timeline's 0 (set by the first microphone frame). */
  #userOffsetMs: number | undefined;
  #isWriting = false;
  #sinkFailure: unknown;
  #resolve!: (transcript: CallTranscript) => void;
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

  /** Bytes of audio held in memory now (the open end of the recording and unplayed agent audio). */
  get heldBytes(): number {
    let bytes = this.#timeline.heldBytes;
    for (const { playout } of this.#playouts.values()) bytes += playout.heldBytes;
    return bytes;
  }

  /** Starts recording `session`: the recording's first sample is now. Returns the recorder. */
  attach(session: VoiceSession): this {
    if (this.#transcript) throw new Error('a CallRecorder records one session');
    this.#originMs = this.#now();
    this.#transcript = {
      version: 1,
      sessionId: session.id,
      startedAt: new Date().toISOString(),
      sampleRate: this.#sampleRate,
      channels: ['user', 'agent'],
      durationMs: 0,
      turns: [],
      errors: [],
    };
    this.#isWriting = true;
    this.#write(wavHeader({ sampleRate: this.#sampleRate, channels: 2 }));
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
   * Ends the recording (the session's close does it): the rest of the audio is written, the
   * header patched and the transcript stored. Idempotent; resolves like {@link CallRecorder.finished}.
   */
  async stop(reason = 'stopped'): Promise<CallTranscript> {
    const transcript = this.#transcript;
    if (!this.#isWriting || !transcript) return this.finished;
    const nowMs = this.#clockMs();
    for (const [speechId, { playout }] of this.#playouts) {
      playout.end(nowMs, playout.playedMs);
      this.#playouts.delete(speechId);
    }
    // To the close, or past it where agent audio heard later was already written.
    this.#flush(Math.max(this.#timeline.endFrame, this.#frameAt(nowMs)));
    this.#isWriting = false;
    const frames = this.#timeline.writtenFrames;
    transcript.durationMs = (frames / this.#sampleRate) * 1000;
    transcript.endReason = reason;
    const header = wavHeader({ sampleRate: this.#sampleRate, channels: 2, dataBytes: frames * 4 });
    try {
      if (this.#sinkFailure !== undefined) throw this.#sinkFailure;
      await this.#sink.finish({ header, transcript });
      this.#resolve(transcript);
    } catch (error) {
      this.#reject(error);
    }
    return this.finished;
  }

  #handle(event: SessionEvent): void {
    const nowMs = this.#clockMs();
    const transcript = this.#transcript!;
    switch (event.type) {
      case 'transcript': {
        const { text, isFinal, startMs, endMs } = event.transcript;
        if (!isFinal) break;
        const offset = this.#userOffsetMs;
        this.#utterances.push({
          text,
          ...(startMs === undefined || offset === undefined ? {} : { startMs: startMs + offset }),
          ...(endMs === undefined || offset === undefined ? {} : { endMs: endMs + offset }),
        });
        break;
      }
      case 'user-turn': {
        const turn = this.#turn(event.turnId, nowMs);
        turn.userText = event.text;
        turn.utterances.push(...this.#utterances);
        this.#utterances = [];
        break;
      }
      case 'speech-start': {
        const speech: RecordedSpeech = { speechId: event.speechId, controls: [], words: [] };
        this.#turn(event.turnId, nowMs).speeches.push(speech);
        this.#speeches.set(event.speechId, speech);
        break;
      }
      case 'audio':
        this.#agentAudio(event.audio, nowMs);
        break;
      case 'control': {
        const { control } = event;
        const playout = this.#playouts.get(control.speechId)?.playout;
        if (control.type === 'pause') playout?.pause(nowMs);
        else if (control.type === 'resume') playout?.resume(nowMs);
        this.#speeches.get(control.speechId)?.controls.push({
          atMs: nowMs,
          type: control.type,
          ...('source' in control ? { source: control.source } : {}),
        });
        break;
      }
      case 'speech-end':
        this.#speechEnd(event, nowMs);
        break;
      case 'tool-call':
        this.#turn(event.turnId, nowMs).toolCalls.push({ ...event.call, startMs: nowMs });
        break;
      case 'tool-result': {
        const call = this.#turns.get(event.turnId)?.toolCalls.find((c) => c.id === event.toolCallId);
        if (call) Object.assign(call, { endMs: nowMs, result: event.result, isError: event.isError });
        break;
      }
      case 'metrics': {
        const turn = this.#turns.get(event.metrics.turnId);
        if (turn) turn.metrics = event.metrics;
        break;
      }
      case 'error':
        transcript.errors.push({
          atMs: nowMs,
          code: event.error.code,
          message: event.error.message,
          ...(event.turnId === undefined ? {} : { turnId: event.turnId }),
        });
        break;
      case 'closed':
        this.#end(event.reason);
        return;
      default:
        break;
    }
    this.#tick(nowMs);
  }

  /** Ends the recording from inside (the session closed): failures surface on `finished`. */
  #end(reason: string): void {
    this.stop(reason).catch(() => {});
  }

  #turn(turnId: string, nowMs: number): RecordedTurn {
    let turn = this.#turns.get(turnId);
    if (!turn) {
      turn = { turnId, atMs: nowMs, utterances: [], speeches: [], toolCalls: [] };
      this.#turns.set(turnId, turn);
      this.#transcript!.turns.push(turn);
    }
    return turn;
  }

  #agentAudio(audio: Extract<SessionEvent, { type: 'audio' }>['audio'], nowMs: number): void {
    const speech = this.#speeches.get(audio.speechId);
    if (!speech) return;
    let playing = this.#playouts.get(audio.speechId);
    if (!playing) {
      speech.startMs = nowMs;
      playing = {
        playout: new SpeechPlayout(nowMs, this.#sampleRate, this.#timeline),
        speech,
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
    const speech = this.#speeches.get(event.speechId);
    this.#speeches.delete(event.speechId);
    if (!speech) return;
    Object.assign(speech, {
      text: event.text,
      heardText: event.heardText,
      playedMs: event.playedMs,
      interrupted: event.interrupted,
    });
    const playing = this.#playouts.get(event.speechId);
    if (!playing) return;
    this.#playouts.delete(event.speechId);
    const { playout } = playing;
    playout.end(nowMs, event.playedMs);
    speech.endMs = playout.clockOf(event.playedMs);
    for (const word of playing.words) {
      if (word.atMs >= event.playedMs) continue;
      const startMs = playout.clockOf(word.atMs);
      speech.words.push({ word: word.word, startMs, endMs: startMs + word.durationMs });
    }
  }

  /** The clock moved: agent audio played meanwhile is written in, and settled audio goes out. */
  #tick(nowMs: number): void {
    for (const { playout } of this.#playouts.values()) playout.advance(nowMs);
    const settledFrame = this.#frameAt(nowMs - this.#holdMs);
    if (settledFrame - this.#timeline.writtenFrames >= this.#frameAt(WRITE_BLOCK_MS))
      this.#flush(settledFrame);
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
