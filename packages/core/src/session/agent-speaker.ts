import { from, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { Sentence } from '../frames/agent';
import type { ChatMessage } from '../frames/chat';
import type { Clock } from '../internal/clock';
import { createIdFactory } from '../internal/ids';
import type { BargeInDecision } from '../operators/barge-in';
import { splitSentences } from '../operators/chunk-sentences';
import type { LlmToolDefinition } from '../providers/llm';
import type { ResolvedVoiceSessionConfig } from './config';
import type { InterruptSource } from './controls';
import { PreemptiveReplies } from './preemptive-replies';
import { replySentences } from './reply-sentences';
import type { SessionOutlets } from './session-outlets';
import { SpeechRun, type SpeechRunOutput } from './speech-run';
import type { AgentEvent } from './state-machine';
import type { StateTracker } from './state-tracker';
import type { ReplyRound } from './turn-log';
import type { SayOptions } from './voice-session';

/** Tool rounds in one reply before the model must answer in words. */
const MAX_TOOL_ROUNDS = 5;

/** When the user's speech started and ended and the final arrived (session clock, ms). */
export interface UserTurnMarks {
  onset?: number;
  speechEnd?: number;
  sttFinal?: number;
}

type QueuedSay = {
  readonly kind: 'say';
  readonly text: string;
  readonly speechId: string;
  readonly options: SayOptions;
};
type QueuedSpeech = { readonly kind: 'user'; readonly text: string } | QueuedSay;

/** What the speaker shares with its session. */
export interface AgentSpeakerContext {
  readonly config: ResolvedVoiceSessionConfig;
  readonly scheduler: SchedulerLike;
  readonly now: Clock;
  readonly out: SessionOutlets;
  readonly states: StateTracker;
  /** The session's history; the speaker appends to it. */
  readonly history: ChatMessage[];
  readonly toolDefinitions: readonly LlmToolDefinition[];
  /** False while the session is suspended or closed: queued speech waits. */
  isAvailable(): boolean;
  /** The current speech or its interruptibility changed (barge-in must know). */
  onChange(): void;
}

/**
 * The agent's side of a session: the speech it is giving (reply or `say()`), what waits for the
 * floor, playout tracking, barge-in decisions, interrupts, and the history and metrics each
 * speech leaves behind.
 */
export class AgentSpeaker {
  readonly #context: AgentSpeakerContext;
  readonly #config: ResolvedVoiceSessionConfig;
  readonly #scheduler: SchedulerLike;
  readonly #now: Clock;
  readonly #out: SessionOutlets;
  readonly #states: StateTracker;
  readonly #history: ChatMessage[];
  readonly #toolDefinitions: readonly LlmToolDefinition[];
  readonly #preemptive = new PreemptiveReplies();
  readonly #nextTurnId = createIdFactory('turn');
  readonly #nextSpeechId = createIdFactory('speech');
  #current: SpeechRun | undefined;
  #queue: QueuedSpeech[] = [];
  #playoutTimer: Subscription | undefined;
  /** Barge-in switched on for the session (`setInterruptionsEnabled`). */
  isInterruptible: boolean;

  constructor(context: AgentSpeakerContext) {
    this.#context = context;
    this.#config = context.config;
    this.#scheduler = context.scheduler;
    this.#now = context.now;
    this.#out = context.out;
    this.#states = context.states;
    this.#history = context.history;
    this.#toolDefinitions = context.toolDefinitions;
    this.isInterruptible = context.config.interruption.enabled;
  }

  /** The speech the agent is giving, if any. */
  get current(): SpeechRun | undefined {
    return this.#current;
  }

  /** Whether user speech may cut the agent now. */
  get canBeInterrupted(): boolean {
    return this.isInterruptible && (this.#current?.allowInterruptions ?? true);
  }

  /** A user turn that must wait for the current speech to end. */
  queueUserTurn(text: string): void {
    this.#queue.push({ kind: 'user', text });
  }

  say(text: string, options: SayOptions): string {
    const queued: QueuedSay = { kind: 'say', text, speechId: this.#nextSpeechId(), options };
    if (this.#context.isAvailable() && this.#states.agent === 'listening' && !this.#current)
      this.#startSay(queued);
    else this.#queue.push(queued);
    return queued.speechId;
  }

  /** Cuts the current speech now. */
  interrupt(source: InterruptSource): void {
    if (this.#current) this.#commitInterrupt(source, this.#current);
  }

  playbackAck(speechId: string, playedMs: number): void {
    const run = this.#current;
    if (!run || run.speechId !== speechId || !Number.isFinite(playedMs) || playedMs < 0) return;
    run.playout.ack(playedMs, this.#now());
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

  /** The user started speaking: barge-in reaction times count from here. */
  markOnset(at: number): void {
    this.#current?.metrics.mark('onset', at);
  }

  onBargeIn(decision: BargeInDecision): void {
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

  /**
   * Ends everything at once: `suspend` cuts the speech where the listener last acked it (it is
   * gone and heard no more) and tells its player; `close` cuts it where playback is estimated.
   * Early replies and queued speech are dropped. The agent's state is the caller's to move.
   */
  stopAll(how: 'suspend' | 'close'): void {
    const run = this.#current;
    if (run) {
      if (how === 'suspend')
        this.#out.control({ type: 'interrupt', speechId: run.speechId, source: 'programmatic' });
      run.cancel();
      this.#finishSpeech(run, true, how === 'suspend' ? run.playout.lastAckedMs : undefined);
    }
    this.#preemptive.drop();
    this.#queue = [];
  }

  /** Answers a finished user turn (reusing a matching early reply), with the turn's timing marks. */
  reply(text: string, marks: UserTurnMarks = {}): void {
    const preemptive = this.#preemptive.take(text);
    const run = preemptive ?? this.#newReply(text);
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

  #startSay(queued: QueuedSay): void {
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
    this.#context.onChange();
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
        this.#context.onChange();
      }
      run.playout.audioEmitted(audio.durationMs, now);
      this.#out.audioOut(audio);
    },
    generated: (run) => {
      if (run !== this.#current) return;
      this.#emitGenerated(run);
      if (run.playout.emittedMs === 0) this.#endSpeech(run, 'done');
      else this.#schedulePlayoutCheck(run);
    },
    failed: (run, error) => {
      if (run !== this.#current) return;
      this.#out.emit('error', { error, turnId: run.turnId });
      // Audio already sent still plays out; with none, the turn ends here.
      run.isGenerated = true;
      this.#emitGenerated(run);
      if (run.playout.emittedMs === 0) this.#endSpeech(run, 'fail');
      else this.#schedulePlayoutCheck(run);
      this.#apologize(run);
    },
  };

  /** After the LLM failed a reply, speaks `errorReply` (when set) once the floor is free. */
  #apologize(run: SpeechRun): void {
    const apology = this.#config.errorReply;
    if (!apology || run.kind !== 'reply' || run.failedIn !== 'text') return;
    this.say(apology.text, { addToHistory: false });
  }

  /** No more audio of `run` will come: its player may report the true end of playback. */
  #emitGenerated(run: SpeechRun): void {
    this.#out.emit('speech-generated', {
      turnId: run.turnId,
      speechId: run.speechId,
      audioMs: run.playout.emittedMs,
    });
  }

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
    this.#context.onChange();
    this.drain();
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

  /** Starts what waited for the floor, in order, while the agent listens. */
  drain(): void {
    while (this.#context.isAvailable() && !this.#current && this.#states.agent === 'listening') {
      const next = this.#queue.shift();
      if (!next) return;
      if (next.kind === 'user') this.reply(next.text);
      else this.#startSay(next);
    }
  }

  #newReply(userText: string): SpeechRun {
    return new SpeechRun({
      turnId: this.#nextTurnId(),
      speechId: this.#nextSpeechId(),
      kind: 'reply',
      allowInterruptions: true,
      addToHistory: true,
      userText,
    });
  }

  /** The user's words so far are `text`: an early reply to other words is dropped and counted. */
  dropPreemptUnlessFor(text: string): void {
    this.#preemptive.dropUnlessFor(text);
  }

  /** Starts (or restarts) a held-back reply on the user's words so far (preemptive generation). */
  preempt(text: string): void {
    if (this.#current || this.#states.agent !== 'listening') return;
    if (text === '' || this.#preemptive.isRunningFor(text)) return;
    const run = this.#newReply(text);
    this.#preemptive.replace(run);
    const baseMessages = [...this.#history, { role: 'user' as const, content: text }];
    run.start(this.#replySentences(run, baseMessages), this.#config.tts, this.#now, this.#runOutput, true);
  }
}
