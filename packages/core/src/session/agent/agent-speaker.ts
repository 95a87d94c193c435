import type { ChatMessage } from '../../frames/chat';
import type { InterruptSource } from '../../frames/playback-control';
import type { Clock } from '../../internal/clock';
import type { BargeInDecision } from '../../operators/barge-in';
import type { LlmToolDefinition } from '../../providers/llm';
import type { SessionOutlets } from '../session-outlets';
import type { SessionParts } from '../session-parts';
import type { AgentEvent } from '../state-machine';
import type { StateTracker } from '../state-tracker';
import type { ReplyRound } from '../turn-log';
import type { SayOptions } from '../voice-session';
import { FloorQueue, type QueuedSay } from './floor-queue';
import { PlayedAudio } from './played-audio';
import { PlayoutWatch } from './playout-watch';
import { PreemptiveReplies } from './preemptive-replies';
import { SpeechFactory } from './speech-factory';
import type { SpeechRun, SpeechRunOutput } from './speech-run';

/** Word timings are estimates: the echo check looks this far past the playout position. */
const SPOKEN_TEXT_LEAD_MS = 1000;
/** The agent's last words may still reach the microphone this long after its speech ended. */
const ECHO_RETURN_MS = 500;

/** When the user's speech started and ended and the final arrived (session clock, ms). */
export interface UserTurnMarks {
  onset?: number;
  speechEnd?: number;
  sttFinal?: number;
}

/** What the speaker shares with its session. */
export interface AgentSpeakerContext extends SessionParts {
  /** The session's history; the speaker appends to it. */
  readonly history: ChatMessage[];
  readonly toolDefinitions: readonly LlmToolDefinition[];
  /** False while the session is suspended or closed: queued speech waits. */
  isAvailable(): boolean;
  /** The current speech or its interruptibility changed (barge-in must know). */
  onChange(): void;
}

/**
 * The agent's side of a session: "what does the agent say next". It holds the speech being
 * given (a reply or a `say()`), starts what waits for the floor, acts on barge-in decisions and
 * interrupts, tracks playout, and leaves each speech's history and metrics behind.
 */
export class AgentSpeaker {
  readonly #context: AgentSpeakerContext;
  readonly #out: SessionOutlets;
  readonly #states: StateTracker;
  readonly #now: Clock;
  readonly #history: ChatMessage[];
  readonly #speeches: SpeechFactory;
  readonly #floor = new FloorQueue();
  readonly #playout: PlayoutWatch;
  readonly #preemptive = new PreemptiveReplies();
  /** The agent audio the listener plays, for echo handling on the mic side. */
  readonly playedAudio: PlayedAudio;
  #current: SpeechRun | undefined;
  /** What the last finished speech said aloud, and when it ended: its echo may still come back. */
  #lastHeard: { text: string; endedAt: number } | undefined;
  /** Barge-in switched on for the session (`setInterruptionsEnabled`). */
  isInterruptible: boolean;

  constructor(context: AgentSpeakerContext) {
    this.#context = context;
    this.#out = context.out;
    this.#states = context.states;
    this.#now = context.now;
    this.#history = context.history;
    this.isInterruptible = context.config.interruption.enabled;
    this.#speeches = new SpeechFactory({ ...context, output: this.#runOutput });
    this.playedAudio = new PlayedAudio(() => {
      const run = this.#current;
      return run?.playout.hasStarted
        ? { speechId: run.speechId, playedMs: run.playout.playedMs(this.#now()) }
        : undefined;
    });
    this.#playout = new PlayoutWatch(
      context.scheduler,
      context.now,
      context.config.playout.slackMs,
      (run) => run === this.#current,
      (run) => this.#endSpeech(run, 'done'),
    );
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
    this.#floor.push({ kind: 'user', text });
  }

  say(text: string, options: SayOptions): string {
    const queued: QueuedSay = { kind: 'say', text, speechId: this.#speeches.nextSpeechId(), options };
    if (this.#context.isAvailable() && this.#states.agent === 'listening' && !this.#current)
      this.#startSay(queued);
    else this.#floor.push(queued);
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
    this.#playout.watch(run);
  }

  playbackStarted(speechId: string): void {
    const run = this.#current;
    if (run && run.speechId === speechId) run.metrics.mark('firstPlayed', this.#now());
  }

  playbackFinished(speechId: string): void {
    const run = this.#current;
    if (run && run.speechId === speechId && run.isGenerated) this.#endSpeech(run, 'done');
  }

  /**
   * The agent's words the microphone may be picking up now: the current speech up to a little
   * past where the listener is (word timings are estimates), or the last speech for `tailMs`
   * after it ended — but only for words the user began to say before it ended (plus the echo's
   * way back): a user who starts after the agent has finished is not its echo, even repeating it.
   *
   * @param userOnsetAt When the user's current utterance began (session clock).
   */
  recentlySpokenText(userOnsetAt: number, tailMs: number): string {
    const now = this.#now();
    const run = this.#current;
    if (run) return run.heard.heardText(run.playout.playedMs(now) + SPOKEN_TEXT_LEAD_MS);
    const last = this.#lastHeard;
    const isEchoTime = last && now - last.endedAt <= tailMs && userOnsetAt <= last.endedAt + ECHO_RETURN_MS;
    return isEchoTime ? last.text : '';
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
        this.#playout.stop();
        this.#out.control({ type: 'pause', speechId: run.speechId, source: decision.source });
        return;
      case 'resume':
        run.playout.resume(now);
        this.#out.control({ type: 'resume', speechId: run.speechId });
        this.#playout.watch(run);
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
    this.#floor.clear();
  }

  /** Answers a finished user turn (reusing a matching early reply), with the turn's timing marks. */
  reply(text: string, marks: UserTurnMarks = {}): void {
    const preemptive = this.#preemptive.take(text);
    const run = preemptive ?? this.#speeches.reply(text);
    const now = this.#now();
    if (marks.speechEnd !== undefined) run.metrics.mark('speechEnd', marks.speechEnd);
    if (marks.sttFinal !== undefined) run.metrics.mark('sttFinal', marks.sttFinal);
    run.metrics.mark('turnEnd', now);
    run.metrics.preemptiveWasted = this.#preemptive.takeWastedCount();
    const messages = [...this.#history, { role: 'user' as const, content: text }];
    this.#history.push({ role: 'user', content: text });
    this.#out.emit('user-turn', { turnId: run.turnId, text });
    this.#activate(run);
    if (preemptive) run.open();
    else this.#speeches.startReply(run, messages, false);
  }

  /**
   * The user's turn only asked the agent to stop: it is recorded (history, `user-turn`) and not
   * answered; an early reply started on it is dropped. The agent goes on listening.
   */
  acknowledgeStop(text: string): void {
    this.#preemptive.take(text)?.cancel();
    this.#history.push({ role: 'user', content: text });
    this.#out.emit('user-turn', { turnId: this.#speeches.nextTurnId(), text });
  }

  /** The user's words so far are `text`: an early reply to other words is dropped and counted. */
  dropPreemptUnlessFor(text: string): void {
    this.#preemptive.dropUnlessFor(text);
  }

  /** Starts (or restarts) a held-back reply on the user's words so far (preemptive generation). */
  preempt(text: string): void {
    if (this.#current || this.#states.agent !== 'listening') return;
    if (text === '' || this.#preemptive.isRunningFor(text)) return;
    const run = this.#speeches.reply(text);
    this.#preemptive.replace(run);
    this.#speeches.startReply(run, [...this.#history, { role: 'user', content: text }], true);
  }

  /** Starts what waited for the floor, in order, while the agent listens. */
  drain(): void {
    while (this.#context.isAvailable() && !this.#current && this.#states.agent === 'listening') {
      const next = this.#floor.shift();
      if (!next) return;
      if (next.kind === 'user') this.reply(next.text);
      else this.#startSay(next);
    }
  }

  #startSay(queued: QueuedSay): void {
    const run = this.#speeches.say(queued);
    run.metrics.mark('turnEnd', this.#now());
    this.#activate(run);
    this.#speeches.startSay(run, queued.text);
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
      this.playedAudio.emitted(audio);
      this.#out.audioOut(audio);
    },
    generated: (run) => {
      if (run !== this.#current) return;
      this.#emitGenerated(run);
      if (run.playout.emittedMs === 0) this.#endSpeech(run, 'done');
      else this.#playout.watch(run);
    },
    failed: (run, error) => {
      if (run !== this.#current) return;
      this.#out.emit('error', { error, turnId: run.turnId });
      // Audio already sent still plays out; with none, the turn ends here.
      run.isGenerated = true;
      this.#emitGenerated(run);
      if (run.playout.emittedMs === 0) this.#endSpeech(run, 'fail');
      else this.#playout.watch(run);
      this.#apologize(run);
    },
  };

  /** After the reply's text failed (LLM, `reply` or `sentences` stage), speaks `errorReply` once the floor is free. */
  #apologize(run: SpeechRun): void {
    const apology = this.#context.config.errorReply;
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

  #commitInterrupt(source: InterruptSource, run: SpeechRun): void {
    // Control first: the listener goes silent before anything else happens.
    this.#out.control({ type: 'interrupt', speechId: run.speechId, source });
    run.metrics.mark('commit', this.#now());
    run.cancel();
    if (source !== 'programmatic') {
      // The user took the floor: queued agent speech is stale, and what the user said while
      // the agent could not be interrupted becomes context for the turn now starting.
      for (const text of this.#floor.yieldToUser()) this.#history.push({ role: 'user', content: text });
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
    this.#playout.stop();
    if (this.#current === run) this.#current = undefined;
    const playedMs = playedMsOverride ?? run.playout.playedMs(this.#now());
    const isCut = interrupted || run.failedIn !== undefined;
    if (run.addToHistory) {
      // What the `sentences` stage emitted, round by round: all of it, or — for a speech cut
      // short by an interrupt or a failure — the part that was heard.
      const textOf = (round: ReplyRound) =>
        isCut
          ? run.heard.heardText(playedMs, round.sentenceIndexes)
          : run.heard.spokenText(round.sentenceIndexes);
      this.#history.push(...run.log.historyEntries(textOf, interrupted));
    }
    const text = run.heard.fullText();
    const heardText = isCut ? run.heard.heardText(playedMs) : text;
    this.#lastHeard = { text: heardText, endedAt: this.#now() };
    this.#out.emit('speech-end', {
      turnId: run.turnId,
      speechId: run.speechId,
      interrupted,
      heardText,
      text,
      playedMs: isCut ? Math.min(playedMs, run.playout.emittedMs) : run.playout.emittedMs,
    });
    const metrics = run.metrics.toMetrics(run.playout.emittedMs, interrupted);
    this.#out.metricsOut(metrics);
  }
}
