import { EventEmitter } from 'eventemitter3';
import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import { z } from 'zod';
import { AudioFormatError, SessionClosedError } from '../errors/families';
import { toVoxError } from '../errors/to-vox-error';
import type { SpeechAudio } from '../frames/agent';
import type { ChatMessage } from '../frames/chat';
import type { SttEvent, VadEvent } from '../frames/transcript';
import { type Clock, clockFor } from '../internal/clock';
import { createIdFactory } from '../internal/ids';
import type { TurnMetrics } from '../metrics/turn-metrics';
import type { BargeInSignal } from '../operators/barge-in';
import type { UserTurnEnd } from '../operators/detect-end-of-turn';
import { dropInterrupted } from '../operators/drop-interrupted';
import { isBackchannel } from '../operators/words';
import type { LlmToolDefinition } from '../providers/llm';
import { AgentSpeaker, type UserTurnMarks } from './agent-speaker';
import { audioInputProblem, placeOnTimeline } from './audio-input';
import { type ResolvedVoiceSessionConfig, valueForState } from './config';
import type { PlaybackControl } from './controls';
import type { SessionEvent, SessionEventMap, SessionEventType } from './events';
import { PreemptiveTrigger } from './preemptive-trigger';
import { SessionOutlets } from './session-outlets';
import type { SessionState } from './state';
import { StateTracker } from './state-tracker';
import { type RecognitionLoss, UserListener } from './user-listener';
import type { AudioInput, PlaybackAck, SayOptions, VoiceSession } from './voice-session';

type Listeners = { [K in SessionEventType]: (event: SessionEventMap[K]) => void };

const nextSessionId = createIdFactory('session');

/** The one implementation of {@link VoiceSession}; build it with `createVoiceSession`. */
export class VoiceSessionImpl extends EventEmitter<Listeners> implements VoiceSession {
  readonly id: string;
  readonly events$: Observable<SessionEvent>;
  readonly state$: Observable<SessionState>;
  readonly audio$: Observable<SpeechAudio>;
  readonly controls$: Observable<PlaybackControl>;
  readonly metrics$: Observable<TurnMetrics>;

  readonly #config: ResolvedVoiceSessionConfig;
  readonly #scheduler: SchedulerLike;
  readonly #now: Clock;
  readonly #out: SessionOutlets;
  readonly #states: StateTracker;
  readonly #speaker: AgentSpeaker;
  readonly #history: ChatMessage[];
  readonly #preemptive: PreemptiveTrigger;

  #listener: UserListener | undefined;
  #audioClockMs = 0;
  /** Where the audio timeline stood at the last frame, and when (maps audio times to the clock). */
  #lastArrival: { audioMs: number; at: number } | undefined;
  #userMarks: UserTurnMarks = {};
  #isSuspended = false;
  #isClosed = false;

  constructor(config: ResolvedVoiceSessionConfig) {
    super();
    this.#config = config;
    this.id = config.id ?? nextSessionId();
    this.#scheduler = config.scheduler ?? asyncScheduler;
    this.#now = clockFor(config.scheduler);
    this.#history = [{ role: 'system', content: config.instructions }, ...config.history];
    const toolDefinitions: LlmToolDefinition[] = config.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: z.toJSONSchema(tool.parameters) as Record<string, unknown>,
    }));
    this.#states = new StateTracker(
      (state, previous) => {
        this.#out.state.next(state);
        this.#out.emit('state', { state, previous });
      },
      (error) => this.#out.emit('error', { error }),
    );
    this.#out = new SessionOutlets(
      this as { emit(type: string, payload: unknown): boolean },
      this.#states.snapshot(),
    );
    this.#speaker = new AgentSpeaker({
      config,
      scheduler: this.#scheduler,
      now: this.#now,
      out: this.#out,
      states: this.#states,
      history: this.#history,
      toolDefinitions,
      isAvailable: () => !this.#isClosed && !this.#isSuspended,
      onChange: () => this.#signalAgent(),
    });
    this.#preemptive = new PreemptiveTrigger(config.preemptiveGeneration, this.#speaker);
    this.events$ = this.#out.events.asObservable();
    this.state$ = this.#out.state.asObservable();
    this.audio$ = this.#out.audio.pipe(dropInterrupted(this.#out.interruptedSpeechIds));
    this.controls$ = this.#out.controls.asObservable();
    this.metrics$ = this.#out.metrics.asObservable();
    this.#states.moveAgent('start');
  }

  get state(): SessionState {
    return this.#out.state.value;
  }

  get history(): readonly ChatMessage[] {
    return this.#history;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  get isSuspended(): boolean {
    return this.#isSuspended;
  }

  // ── inputs ────────────────────────────────────────────────────────────────────────────────

  pushAudio(input: AudioInput): void {
    if (this.#isClosed || this.#isSuspended) return;
    const problem = audioInputProblem(input, this.#config.stt.sampleRate);
    if (problem) {
      this.#out.emit('error', { error: new AudioFormatError(problem, { source: 'session' }) });
      return;
    }
    const { frame, endMs } = placeOnTimeline(input, this.#audioClockMs);
    this.#audioClockMs = endMs;
    this.#lastArrival = { audioMs: endMs, at: this.#now() };
    this.#ensureListener()?.push(frame);
  }

  sendText(text: string): void {
    this.#assertOpen();
    const trimmed = typeof text === 'string' ? text.trim() : '';
    if (trimmed === '') return;
    const speaker = this.#speaker;
    if (this.#isSuspended || (speaker.current && !speaker.canBeInterrupted)) {
      speaker.queueUserTurn(trimmed);
      return;
    }
    speaker.interrupt('user_turn');
    this.#userMarks = {};
    speaker.reply(trimmed);
  }

  say(text: string, options: SayOptions = {}): string {
    this.#assertOpen();
    return this.#speaker.say(text, options);
  }

  interrupt(): void {
    this.#speaker.interrupt('programmatic');
  }

  playbackAck(ack: PlaybackAck): void {
    this.#speaker.playbackAck(ack?.speechId, ack?.playedMs);
  }

  playbackStarted(speechId: string): void {
    this.#speaker.playbackStarted(speechId);
  }

  playbackFinished(speechId: string): void {
    this.#speaker.playbackFinished(speechId);
  }

  setInterruptionsEnabled(enabled: boolean): void {
    this.#speaker.isInterruptible = enabled;
    this.#signalAgent();
  }

  suspend(): void {
    if (this.#isClosed || this.#isSuspended) return;
    this.#isSuspended = true;
    this.#speaker.stopAll('suspend');
    this.#closeListener();
    this.#states.moveUser('speech-end');
    this.#states.moveAgent('suspend');
  }

  resume(): void {
    if (this.#isClosed || !this.#isSuspended) return;
    this.#isSuspended = false;
    this.#states.moveAgent('start');
    this.#signalAgent();
    this.#speaker.drain();
  }

  close(reason = 'closed'): void {
    if (this.#isClosed) return;
    this.#speaker.stopAll('close');
    this.#isClosed = true;
    this.#closeListener();
    this.#states.moveAgent('close');
    this.#out.emit('closed', { reason });
    this.#out.complete();
    this.removeAllListeners();
  }

  // ── listening ─────────────────────────────────────────────────────────────────────────────

  #ensureListener(): UserListener | undefined {
    if (this.#listener && !this.#listener.isClosed) return this.#listener;
    const { interruption, turnDetection } = this.#config;
    const perState = (setting: typeof interruption.minSpeechMs) => ({
      thinking: valueForState(setting, 'thinking'),
      speaking: valueForState(setting, 'speaking'),
    });
    this.#listener = new UserListener(
      {
        stt: this.#config.stt,
        vad: this.#config.vad,
        turnDetection,
        bargeIn: {
          trigger: interruption.trigger,
          minSpeechMs: perState(interruption.minSpeechMs),
          minWords: perState(interruption.minWords),
          falseInterruptionMs: interruption.falseInterruptionMs,
          backchannels: interruption.backchannels,
        },
        recognitionRetry: this.#config.recognitionRetry,
        scheduler: this.#scheduler,
        now: this.#now,
      },
      {
        stt: (event) => this.#onStt(event),
        vad: (event) => this.#onVad(event),
        turn: (turn) => this.#onUserTurn(turn),
        bargeIn: (decision) => this.#speaker.onBargeIn(decision),
        lost: (loss) => this.#onRecognitionLost(loss),
      },
      this.#agentSignal(),
    );
    return this.#listener;
  }

  #closeListener(): void {
    this.#listener?.close();
    this.#listener = undefined;
  }

  /** A recognizer or VAD stream stopped: whatever it was hearing has ended; it reopens on audio. */
  #onRecognitionLost(loss: RecognitionLoss): void {
    this.#userSpeechEnd();
    const { provider, reason, consecutiveFailures, retryInMs } = loss;
    if (reason === 'failed') {
      const name = provider === 'stt' ? this.#config.stt.name : (this.#config.vad?.name ?? 'vad');
      this.#out.emit('error', { error: toVoxError(loss.error, `${provider}:${name}`) });
    }
    this.#out.emit('recognition-lost', { provider, reason, consecutiveFailures, retryInMs });
  }

  #onStt(event: SttEvent): void {
    const isActivitySource = !this.#config.vad;
    switch (event.type) {
      case 'speech-start':
        if (isActivitySource) this.#userSpeechStart();
        return;
      case 'speech-end':
        if (isActivitySource) this.#userSpeechEnd(event.atMs);
        return;
      case 'speech-pause':
        if (isActivitySource) this.#preemptive.onPause();
        return;
      case 'interim':
      case 'final': {
        const { transcript } = event;
        if (transcript.text.trim() === '') return;
        if (isActivitySource && event.type === 'interim') this.#userSpeechStart();
        this.#out.emit('transcript', { transcript });
        if (transcript.isFinal) this.#userMarks.sttFinal ??= this.#now();
        this.#listener?.signal({
          type: 'transcript',
          text: transcript.text,
          isFinal: transcript.isFinal,
          ...(transcript.stability === undefined ? {} : { stability: transcript.stability }),
        });
        this.#preemptive.onTranscript(transcript);
        return;
      }
    }
  }

  #onVad(event: VadEvent): void {
    if (event.type === 'speech-start') this.#userSpeechStart();
    else if (event.type === 'speech-pause') this.#preemptive.onPause();
    else this.#userSpeechEnd(event.atMs);
  }

  #userSpeechStart(): void {
    if (this.#states.user === 'speaking') return;
    this.#userMarks.onset = this.#now();
    this.#userMarks.speechEnd = undefined;
    this.#speaker.markOnset(this.#userMarks.onset);
    this.#states.moveUser('speech-start');
    this.#listener?.signal({ type: 'onset' });
  }

  #userSpeechEnd(atMs?: number): void {
    if (this.#states.user !== 'speaking') return;
    this.#userMarks.speechEnd = this.#clockTimeOfAudio(atMs);
    this.#states.moveUser('speech-end');
    this.#listener?.signal({ type: 'speech-end' });
  }

  /**
   * When the audio at `atMs` of the timeline reached the session: the moment the user's voice
   * really stopped, before the detector's silence wait, so latency metrics include that wait.
   */
  #clockTimeOfAudio(atMs: number | undefined): number {
    const now = this.#now();
    const arrival = this.#lastArrival;
    if (atMs === undefined || !arrival) return now;
    return Math.min(now, arrival.at - Math.max(0, arrival.audioMs - atMs));
  }

  #onUserTurn(turn: UserTurnEnd): void {
    this.#preemptive.onTurn();
    const { text } = turn;
    if (this.#isClosed || this.#isSuspended) return;
    const speaker = this.#speaker;
    if (speaker.current) {
      // The agent holds the floor: an acknowledgement is not a turn; a real turn over speech
      // that may not be interrupted waits for it; one that did not reach the barge-in
      // thresholds is dropped (the configuration said it is not enough to take the floor).
      if (isBackchannel(text, this.#config.interruption.backchannels)) return;
      if (!speaker.canBeInterrupted) speaker.queueUserTurn(text);
      return;
    }
    const marks = this.#userMarks;
    this.#userMarks = {};
    speaker.reply(text, marks);
  }

  #agentSignal(): BargeInSignal {
    const run = this.#speaker.current;
    return {
      type: 'agent',
      state: this.#states.agent,
      ...(run ? { speechId: run.speechId } : {}),
      isInterruptible: this.#speaker.canBeInterrupted,
    };
  }

  #signalAgent(): void {
    this.#listener?.signal(this.#agentSignal());
  }

  #assertOpen(): void {
    if (this.#isClosed) throw new SessionClosedError();
  }
}
