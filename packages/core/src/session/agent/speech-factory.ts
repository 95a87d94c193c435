import { defer, from, type Observable } from 'rxjs';
import type { ChatMessage, ToolCall } from '../../frames/chat';
import { createIdFactory } from '../../internal/ids';
import { splitSentences } from '../../operators/chunk-sentences';
import type { LlmToolDefinition } from '../../providers/llm';
import { replyFrom } from '../pipeline/from-streams';
import type { ReplyPiece, ReplySettings, ReplyTurn } from '../pipeline/reply-turn';
import type { SessionParts } from '../session-parts';
import { runToolCall, type ToolOutcome } from '../tool-runner';
import type { QueuedSay } from './floor-queue';
import { SpeechRun, type SpeechRunEnvironment, type SpeechRunOutput } from './speech-run';

/** Tool rounds in one reply before the model must answer in words. */
const MAX_TOOL_ROUNDS = 5;

/** What the factory shares with its session. */
export interface SpeechFactoryContext extends Omit<SessionParts, 'states'> {
  readonly toolDefinitions: readonly LlmToolDefinition[];
  readonly output: SpeechRunOutput;
}

/**
 * Starts agent speeches: a reply (the `reply` stage given a {@link ReplyTurn}) or a `say()`
 * text, each through the `sentences` → `speech` → `audioOut` stages of one {@link SpeechRun}.
 */
export class SpeechFactory {
  readonly #context: SpeechFactoryContext;
  readonly #environment: SpeechRunEnvironment;
  readonly #settings: ReplySettings;
  readonly nextTurnId = createIdFactory('turn');
  readonly nextSpeechId = createIdFactory('speech');

  constructor(context: SpeechFactoryContext) {
    this.#context = context;
    const { config, pipeline } = context;
    this.#environment = {
      stages: pipeline,
      context: { sessionId: context.sessionId, scheduler: context.scheduler, tts: config.tts },
      now: context.now,
      output: context.output,
    };
    this.#settings = {
      temperature: config.temperature,
      maxToolRounds: MAX_TOOL_ROUNDS,
      toolFiller: config.toolFiller,
    };
  }

  /** A new reply speech answering `userText`. */
  reply(userText: string): SpeechRun {
    return new SpeechRun({
      turnId: this.nextTurnId(),
      speechId: this.nextSpeechId(),
      kind: 'reply',
      allowInterruptions: true,
      addToHistory: true,
      chunking: this.#context.config.chunker,
      userText,
    });
  }

  /**
   * Starts a reply's generation on `messages` (system prompt, history, the user's message); with
   * `isPreemptive` its output is held until the run is opened.
   */
  startReply(run: SpeechRun, messages: readonly ChatMessage[], isPreemptive: boolean): void {
    run.start(this.#replyPieces(run, messages, isPreemptive), this.#environment, isPreemptive);
  }

  /** A new speech for a `say()` text. */
  say(queued: QueuedSay): SpeechRun {
    return new SpeechRun({
      turnId: this.nextTurnId(),
      speechId: queued.speechId,
      kind: 'say',
      allowInterruptions: queued.options.allowInterruptions ?? true,
      addToHistory: queued.options.addToHistory ?? true,
      chunking: this.#context.config.chunker,
    });
  }

  /** Starts speaking a `say()` text: its sentences go straight to the `sentences` stage. */
  startSay(run: SpeechRun, text: string): void {
    const pieces = splitSentences(text, this.#context.config.chunker).map(
      ({ text: spoken, displayText }): ReplyPiece => ({ text: spoken, displayText }),
    );
    run.start(from(pieces), this.#environment);
  }

  /** The `reply` stage's pieces for `run`, with the turn's metrics taken on the way. */
  #replyPieces(
    run: SpeechRun,
    messages: readonly ChatMessage[],
    isPreemptive: boolean,
  ): Observable<ReplyPiece> {
    const { config, pipeline, now } = this.#context;
    return defer(() => {
      run.metrics.mark('llmRequest', now());
      const turn: ReplyTurn = {
        turnId: run.turnId,
        speechId: run.speechId,
        sessionId: this.#context.sessionId,
        userText: run.userText ?? '',
        messages,
        llm: config.llm,
        tools: config.tools,
        toolDefinitions: this.#context.toolDefinitions,
        settings: this.#settings,
        get signal() {
          return run.signal;
        },
        isPreemptive,
        scheduler: this.#context.scheduler,
        dtmf$: this.#context.out.dtmf$,
        generate: (request) =>
          defer(() => {
            run.assembly.nextRound();
            run.metrics.remark('llmRequest', now());
            const origin = { sessionId: this.#context.sessionId, turnId: run.turnId, speechId: run.speechId };
            return config.llm.generate({ origin, ...request });
          }),
        callTool: (call) => this.#callTool(run, call),
        declineToolCall: (call, reason) => {
          const round = run.assembly.addToolCall(call);
          this.#context.out.emit('tool-call', { turnId: run.turnId, call });
          round.results.set(call.id, { content: JSON.stringify({ error: reason }), isError: true });
        },
        roundMessages: () => run.log.requestMessages([]),
      };
      // Its errors are named after the `reply` stage where the speech assembles the pieces.
      return replyFrom(pipeline.reply(turn));
    });
  }

  async #callTool(run: SpeechRun, requested: ToolCall): Promise<ToolOutcome> {
    const call: ToolCall = {
      id: String(requested.id),
      name: String(requested.name),
      // A hand-written reply may pass the arguments as an object: the model's form is JSON text.
      arguments:
        typeof requested.arguments === 'string'
          ? requested.arguments
          : JSON.stringify(requested.arguments ?? {}),
    };
    // An early reply (preemptive generation) runs no tool before its turn is confirmed.
    await run.whenOpen();
    const round = run.assembly.addToolCall(call);
    const { out, config } = this.#context;
    out.emit('tool-call', { turnId: run.turnId, call });
    const outcome = await runToolCall(call, config.tools, {
      signal: run.signal,
      turnId: run.turnId,
      dtmf$: out.dtmf$,
    });
    if (run.signal.aborted) throw run.signal.reason;
    if (!round.results.has(call.id)) {
      round.results.set(call.id, { content: outcome.content, isError: outcome.isError });
      out.emit('tool-result', {
        turnId: run.turnId,
        toolCallId: call.id,
        name: call.name,
        result: outcome.content,
        isError: outcome.isError,
      });
    }
    return outcome;
  }
}
