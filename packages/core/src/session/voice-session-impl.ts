import { EventEmitter } from 'eventemitter3';
import { asyncScheduler, from, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { z } from 'zod';
import { AudioFormatError, SessionClosedError } from '../errors/families';
import { toVoxError } from '../errors/to-vox-error';
import type { Sentence, SpeechAudio } from '../frames/agent';
import type { ChatMessage } from '../frames/chat';
import type { SttEvent, VadEvent } from '../frames/transcript';
import { type Clock, clockFor } from '../internal/clock';
import { createIdFactory } from '../internal/ids';
import type { TurnMetrics } from '../metrics/turn-metrics';
import type { BargeInDecision, BargeInSignal } from '../operators/barge-in';
import { splitSentences } from '../operators/chunk-sentences';
import type { UserTurnEnd } from '../operators/detect-end-of-turn';
import { dropInterrupted } from '../operators/drop-interrupted';
import { isBackchannel } from '../operators/words';
import type { LlmToolDefinition } from '../providers/llm';
import { audioInputProblem, placeOnTimeline } from './audio-input';
import { type ResolvedVoiceSessionConfig, valueForState } from './config';
import type { InterruptSource, PlaybackControl } from './controls';
import type { SessionEvent, SessionEventMap, SessionEventType } from './events';
import { PreemptiveReplies } from './preemptive-replies';
import { replySentences } from './reply-sentences';
import { SessionOutlets } from './session-outlets';
import { SpeechRun, type SpeechRunOutput } from './speech-run';
import type { SessionState } from './state';
import type { AgentEvent } from './state-machine';
import { StateTracker } from './state-tracker';
import type { ReplyRound } from './turn-log';
import { UserListener } from './user-listener';
import type { AudioInput, PlaybackAck, SayOptions, VoiceSession } from './voice-session';

type Listeners = { [K in SessionEventType]: (event: SessionEventMap[K]) => void };
type QueuedSpeech =
  | { readonly kind: 'user'; readonly text: string }
  | { readonly kind: 'say'; readonly text: string; readonly speechId: string; readonly options: SayOptions };

/** After the recognizer fails, wait this long before opening a new stream on incoming audio. */
const RECOGNITION_RETRY_MS = 1000;
/** Tool rounds in one reply before the model must answer in words. */
const MAX_TOOL_ROUNDS = 5;

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
  readonly #nextTurnId = createIdFactory('turn');
  readonly #nextSpeechId = createIdFactory('speech');
  readonly #out: SessionOutlets;
  readonly #states: StateTracker;
  readonly #preemptive = new PreemptiveReplies();
  readonly #history: ChatMessage[];
  readonly #toolDefinitions: LlmToolDefinition[];

  #listener: UserListener | undefined;
  #recognitionRetryAt = Number.NEGATIVE_INFINITY;
  #audioClockMs = 0;
  #current: SpeechRun | undefined;
  #queue: QueuedSpeech[] = [];
  #playoutTimer: Subscription | undefined;
  #userFinals: string[] = [];
  #userMarks: { onset?: number; speechEnd?: number; sttFinal?: number } = {};
  #isInterruptible = true;
  #isSuspended = false;
  #isClosed = false;

  constructor(config: ResolvedVoiceSessionConfig) {
    super();
    this.#config = config;
    this.id = config.id ?? nextSessionId();
    this.#scheduler = config.scheduler ?? asyncScheduler;
    this.#now = clockFor(config.scheduler);
    this.#isInterruptible = config.interruption.enabled;
    this.#history = [{ role: 'system', content: config.instructions }, ...config.history];
    this.#toolDefinitions = config.tools.map((tool) => ({
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
    this.#ensureListener()?.push(frame);
  }

  sendText(text: string): void {
    this.#assertOpen();
    const trimmed = typeof text === 'string' ? text.trim() : '';
    if (trimmed === '') return;
    const run = this.#current;
    if (this.#isSuspended || (run && (!run.allowInterruptions || !this.#isInterruptible))) {
      this.#queue.push({ kind: 'user', text: trimmed });
      return;
    }
    if (run) this.#commitInterrupt('user_turn', run);
    this.#userMarks = {};
    this.#startReply(trimmed);
  }

  say(text: string, options: SayOptions = {}): string {
    this.#assertOpen();
    const speechId = this.#nextSpeechId();
    const queued: QueuedSpeech = { kind: 'say', text, speechId, options };
    if (this.#states.agent === 'listening' && !this.#current) this.#startSay(queued);
    else this.#queue.push(queued);
    return speechId;
  }

  interrupt(): void {
    if (this.#current) this.#commitInterrupt('programmatic', this.#current);
  }

  playbackAck(ack: PlaybackAck): void {
    const run = this.#current;
    if (!run || run.speechId !== ack.speechId || !Number.isFinite(ack.playedMs) || ack.playedMs < 0) return;
    run.playout.ack(ack.playedMs, this.#now());
    this.#schedulePlayoutCheck(run);
  }

  playbackStarted(speechId: string): void {
    const run = this.#current;
    if (run && run.speechId === speechId) run.metrics.mark('firstPlayed', this.#now());
  }

  playbackFinished(speechId: string): void {
    const run = this.#current;
    if (run && run.speechId === speechId && run.isGenerated) this.#endSpeech(run, 'done');
  }

  setInterruptionsEnabled(enabled: boolean): void {
    this.#isInterruptible = enabled;
    this.#signalAgent();
  }

  suspend(): void {
    if (this.#isClosed || this.#isSuspended) return;
    this.#isSuspended = true;
    const run = this.#current;
    if (run) {
      // The listener is gone: only what it acknowledged was heard.
      this.#out.control({ type: 'interrupt', speechId: run.speechId, source: 'programmatic' });
      run.cancel();
      this.#finishSpeech(run, true, run.playout.lastAckedMs);
    }
    this.#preemptive.drop();
    this.#queue = [];
    this.#closeListener();
    this.#states.moveUser('speech-end');
    this.#states.moveAgent('suspend');
  }

  resume(): void {
    if (this.#isClosed || !this.#isSuspended) return;
    this.#isSuspended = false;
    this.#states.moveAgent('start');
    this.#signalAgent();
    this.#drainQueue();
  }

  close(reason = 'closed'): void {
    if (this.#isClosed) return;
    const run = this.#current;
    if (run) {
      run.cancel();
      this.#finishSpeech(run, true);
    }
    this.#isClosed = true;
    this.#preemptive.drop();
    this.#queue = [];
    this.#closeListener();
    this.#states.moveAgent('close');
    this.#out.emit('closed', { reason });
    this.#out.complete();
    this.removeAllListeners();
  }

  // ── listening ─────────────────────────────────────────────────────────────────────────────

  #ensureListener(): UserListener | undefined {
    if (this.#listener && !this.#listener.isClosed) return this.#listener;
    if (this.#now() < this.#recognitionRetryAt) return undefined;
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
        scheduler: this.#scheduler,
      },
      {
        stt: (event) => this.#onStt(event),
        vad: (event) => this.#onVad(event),
        turn: (turn) => this.#onUserTurn(turn),
        bargeIn: (decision) => this.#onBargeIn(decision),
        error: (error) => this.#onRecognitionError(error),
      },
      this.#agentSignal(),
    );
    return this.#listener;
  }

  #closeListener(): void {
    this.#listener?.close();
    this.#listener = undefined;
  }

  #onRecognitionError(error: unknown): void {
    this.#closeListener();
    this.#recognitionRetryAt = this.#now() + RECOGNITION_RETRY_MS;
    this.#states.moveUser('speech-end');
    this.#out.emit('error', { error: toVoxError(error, `stt:${this.#config.stt.name}`) });
  }

  #onStt(event: SttEvent): void {
    const isActivitySource = !this.#config.vad;
    switch (event.type) {
      case 'speech-start':
        if (isActivitySource) this.#userSpeechStart();
        return;
      case 'speech-end':
        if (isActivitySource) this.#userSpeechEnd();
        return;
      case 'interim':
      case 'final': {
        const { transcript } = event;
        if (transcript.text.trim() === '') return;
        if (isActivitySource && event.type === 'interim') this.#userSpeechStart();
        this.#out.emit('transcript', { transcript });
        if (transcript.isFinal) {
          this.#userMarks.sttFinal ??= this.#now();
          this.#userFinals.push(transcript.text);
        }
        this.#listener?.signal({
          type: 'transcript',
          text: transcript.text,
          isFinal: transcript.isFinal,
          ...(transcript.stability === undefined ? {} : { stability: transcript.stability }),
        });
        this.#maybePreempt(transcript.isFinal ? undefined : transcript.text, transcript.stability);
        return;
      }
    }
  }

  #onVad(event: VadEvent): void {
    if (event.type === 'speech-start') this.#userSpeechStart();
    else this.#userSpeechEnd();
  }

  #userSpeechStart(): void {
    if (this.#states.user === 'speaking') return;
    this.#userMarks.onset = this.#now();
    this.#userMarks.speechEnd = undefined;
    this.#current?.metrics.mark('onset', this.#userMarks.onset);
    this.#states.moveUser('speech-start');
    this.#listener?.signal({ type: 'onset' });
  }

  #userSpeechEnd(): void {
    if (this.#states.user !== 'speaking') return;
    this.#userMarks.speechEnd = this.#now();
    this.#states.moveUser('speech-end');
    this.#listener?.signal({ type: 'speech-end' });
  }

  #onUserTurn(turn: UserTurnEnd): void {
    this.#userFinals = [];
    const { text } = turn;
    if (this.#isClosed || this.#isSuspended) return;
    const run = this.#current;
    if (run) {
      // The agent holds the floor: an acknowledgement is not a turn; a real turn over speech
      // that may not be interrupted waits for it; one that did not reach the barge-in
      // thresholds is dropped (the configuration said it is not enough to take the floor).
      if (isBackchannel(text, this.#config.interruption.backchannels)) return;
      if (!run.allowInterruptions || !this.#isInterruptible) this.#queue.push({ kind: 'user', text });
      return;
    }
    this.#startReply(text);
  }

  #onBargeIn(decision: BargeInDecision): void {
    const run = this.#current;
    if (!run || run.speechId !== decision.speechId) return;
    const now = this.#now();
    switch (decision.type) {
      case 'pause':
        run.metrics.mark('pause', now);
        run.playout.pause(now);
        this.#playoutTimer?.unsubscribe();
        this.#out.control({ type: 'pause', speechId: run.speechId, source: decision.source });
        return;
      case 'resume':
        run.playout.resume(now);
        this.#out.control({ type: 'resume', speechId: run.speechId });
        this.#schedulePlayoutCheck(run);
        return;
      case 'commit':
        this.#commitInterrupt(decision.source, run);
        return;
    }
  }

  // ── speaking ──────────────────────────────────────────────────────────────────────────────

  #startReply(text: string): void {
    const marks = this.#userMarks;
    this.#userMarks = {};
    const preemptive = this.#preemptive.take(text);
    const run =
      preemptive ??
      new SpeechRun({
        turnId: this.#nextTurnId(),
        speechId: this.#nextSpeechId(),
        kind: 'reply',
        allowInterruptions: true,
        addToHistory: true,
        userText: text,
      });
    const now = this.#now();
    if (marks.speechEnd !== undefined) run.metrics.mark('speechEnd', marks.speechEnd);
    if (marks.sttFinal !== undefined) run.metrics.mark('sttFinal', marks.sttFinal);
    run.metrics.mark('turnEnd', now);
    run.metrics.preemptiveWasted = this.#preemptive.takeWastedCount();
    const baseMessages = [...this.#history, { role: 'user' as const, content: text }];
    this.#history.push({ role: 'user', content: text });
    this.#out.emit('user-turn', { turnId: run.turnId, text });
    this.#activate(run);
    if (!preemptive)
      run.start(this.#replySentences(run, baseMessages), this.#config.tts, this.#now, this.#runOutput);
    else run.open();
  }

  #startSay(queued: Extract<QueuedSpeech, { kind: 'say' }>): void {
    const run = new SpeechRun({
      turnId: this.#nextTurnId(),
      speechId: queued.speechId,
      kind: 'say',
      allowInterruptions: queued.options.allowInterruptions ?? true,
      addToHistory: queued.options.addToHistory ?? true,
    });
    const round = run.log.startRound();
    round.text = queued.text;
    const sentences: Sentence[] = splitSentences(queued.text, this.#config.chunker).map((chunk, index) => {
      round.sentenceIndexes.push(index);
      return {
        turnId: run.turnId,
        speechId: run.speechId,
        text: chunk.text,
        displayText: chunk.displayText,
        index,
      };
    });
    run.metrics.mark('turnEnd', this.#now());
    this.#activate(run);
    run.start(from(sentences), this.#config.tts, this.#now, this.#runOutput);
  }

  #replySentences(run: SpeechRun, baseMessages: readonly ChatMessage[]): Observable<Sentence> {
    return replySentences({
      llm: this.#config.llm,
      baseMessages,
      tools: this.#config.tools,
      toolDefinitions: this.#toolDefinitions,
      temperature: this.#config.temperature,
      ref: run,
      chunker: this.#config.chunker,
      log: run.log,
      maxToolRounds: MAX_TOOL_ROUNDS,
      filler: this.#config.toolFiller,
      scheduler: this.#scheduler,
      hooks: {
        onLlmRequest: () => run.metrics.remark('llmRequest', this.#now()),
        onFirstToken: () => run.metrics.mark('firstToken', this.#now()),
        onToolCall: (call) => this.#out.emit('tool-call', { turnId: run.turnId, call }),
        onToolResult: (outcome) =>
          this.#out.emit('tool-result', {
            turnId: run.turnId,
            toolCallId: outcome.call.id,
            name: outcome.call.name,
            result: outcome.content,
            isError: outcome.isError,
          }),
      },
    });
  }

  /** Makes `run` the agent's current speech. */
  #activate(run: SpeechRun): void {
    this.#current = run;
    this.#states.moveAgent('reply');
    this.#out.emit('speech-start', {
      turnId: run.turnId,
      speechId: run.speechId,
      allowInterruptions: run.allowInterruptions,
    });
    this.#signalAgent();
  }

  readonly #runOutput: SpeechRunOutput = {
    text: (run, sentence) => {
      this.#out.emit('agent-text', {
        turnId: run.turnId,
        speechId: run.speechId,
        text: sentence.displayText,
        index: sentence.index,
      });
    },
    audio: (run, audio) => {
      if (run !== this.#current) return;
      const now = this.#now();
      if (this.#states.agent === 'thinking') {
        run.metrics.mark('firstAudio', now);
        this.#states.moveAgent('first-audio');
        this.#signalAgent();
      }
      run.playout.audioEmitted(audio.durationMs, now);
      this.#out.audioOut(audio);
    },
    generated: (run) => {
      if (run !== this.#current) return;
      if (run.playout.emittedMs === 0) this.#endSpeech(run, 'done');
      else this.#schedulePlayoutCheck(run);
    },
    failed: (run, error) => {
      if (run !== this.#current) return;
      this.#out.emit('error', { error, turnId: run.turnId });
      // Audio already sent still plays out; with none, the turn ends here.
      run.isGenerated = true;
      if (run.playout.emittedMs === 0) this.#endSpeech(run, 'fail');
      else this.#schedulePlayoutCheck(run);
    },
  };

  #schedulePlayoutCheck(run: SpeechRun): void {
    this.#playoutTimer?.unsubscribe();
    this.#playoutTimer = undefined;
    if (run !== this.#current || !run.isGenerated || run.playout.isPaused) return;
    const waitMs = run.playout.remainingMs(this.#now()) + this.#config.playout.slackMs;
    this.#playoutTimer = this.#scheduler.schedule(() => {
      if (run !== this.#current) return;
      if (run.playout.remainingMs(this.#now()) > 0) this.#schedulePlayoutCheck(run);
      else this.#endSpeech(run, 'done');
    }, waitMs);
  }

  #commitInterrupt(source: InterruptSource, run: SpeechRun): void {
    // Control first: the listener goes silent before anything else happens.
    this.#out.control({ type: 'interrupt', speechId: run.speechId, source });
    run.metrics.mark('commit', this.#now());
    run.cancel();
    if (source !== 'programmatic') {
      // The user took the floor: queued agent speech is stale, and what the user said while
      // the agent could not be interrupted becomes context for the turn now starting.
      for (const queued of this.#queue)
        if (queued.kind === 'user') this.#history.push({ role: 'user', content: queued.text });
      this.#queue = [];
    }
    this.#endSpeech(run, 'interrupt');
  }

  #endSpeech(run: SpeechRun, how: Extract<AgentEvent, 'done' | 'interrupt' | 'fail'>): void {
    if (run !== this.#current) return;
    run.cancel();
    this.#finishSpeech(run, how === 'interrupt');
    this.#states.moveAgent(how);
    this.#signalAgent();
    this.#drainQueue();
  }

  /** Records the speech in history, reports it and its metrics, and forgets it. */
  #finishSpeech(run: SpeechRun, interrupted: boolean, playedMsOverride?: number): void {
    this.#playoutTimer?.unsubscribe();
    this.#playoutTimer = undefined;
    if (this.#current === run) this.#current = undefined;
    const playedMs = playedMsOverride ?? run.playout.playedMs(this.#now());
    if (run.addToHistory) {
      const textOf = (round: ReplyRound) =>
        interrupted ? run.heard.heardText(playedMs, round.sentenceIndexes) : round.text;
      this.#history.push(...run.log.historyEntries(textOf, interrupted));
    }
    const text = run.heard.fullText();
    this.#out.emit('speech-end', {
      turnId: run.turnId,
      speechId: run.speechId,
      interrupted,
      heardText: interrupted ? run.heard.heardText(playedMs) : text,
      text,
    });
    const metrics = run.metrics.toMetrics(run.playout.emittedMs, interrupted);
    this.#out.metricsOut(metrics);
  }

  #drainQueue(): void {
    while (!this.#isClosed && !this.#isSuspended && !this.#current && this.#states.agent === 'listening') {
      const next = this.#queue.shift();
      if (!next) return;
      if (next.kind === 'user') this.#startReply(next.text);
      else this.#startSay(next);
    }
  }

  // ── preemptive generation ─────────────────────────────────────────────────────────────────

  /** Starts (or restarts) a gated reply on the user's text so far, if the option is on. */
  #maybePreempt(interim: string | undefined, stability: number | undefined): void {
    const { enabled, minStability } = this.#config.preemptiveGeneration;
    if (!enabled || this.#current || this.#states.agent !== 'listening') return;
    if (interim !== undefined && (stability ?? 0) < minStability) return;
    const text = [...this.#userFinals, ...(interim === undefined ? [] : [interim])].join(' ').trim();
    if (text === '' || this.#preemptive.isRunningFor(text)) return;
    const run = new SpeechRun({
      turnId: this.#nextTurnId(),
      speechId: this.#nextSpeechId(),
      kind: 'reply',
      allowInterruptions: true,
      addToHistory: true,
      userText: text,
    });
    this.#preemptive.replace(run);
    const baseMessages = [...this.#history, { role: 'user' as const, content: text }];
    run.start(this.#replySentences(run, baseMessages), this.#config.tts, this.#now, this.#runOutput, true);
  }

  #agentSignal(): BargeInSignal {
    const run = this.#current;
    return {
      type: 'agent',
      state: this.#states.agent,
      ...(run ? { speechId: run.speechId } : {}),
      isInterruptible: this.#isInterruptible && (run?.allowInterruptions ?? true),
    };
  }

  #signalAgent(): void {
    this.#listener?.signal(this.#agentSignal());
  }

  #assertOpen(): void {
    if (this.#isClosed) throw new SessionClosedError();
  }
}
