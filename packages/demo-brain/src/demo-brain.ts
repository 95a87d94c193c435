import {
  ConfigError,
  type LlmEvent,
  type LlmProvider,
  type LlmRequest,
  ProviderRequestError,
} from '@voxduplex/core';
import {
  asyncScheduler,
  concat,
  defer,
  from,
  map,
  mergeMap,
  type Observable,
  of,
  type SchedulerLike,
  take,
  throwError,
  timer,
} from 'rxjs';
import { type DemoIntent, detectIntent } from './intents';
import { replyFor } from './replies';
import { replyTokens } from './reply-tokens';
import { checkTimeZone, clockFormat } from './spoken-time';

/** Options of {@link DemoBrain}. */
export interface DemoBrainOptions {
  /** Delay before the first token, ms; default 150 (a fast hosted model). */
  readonly timeToFirstTokenMs?: number;
  /** Token pace after the first; default 40. `Infinity` sends the rest at once. */
  readonly tokensPerSecond?: number;
  /** The clock the time intent reads; default `() => new Date()`. */
  readonly now?: () => Date;
  /** IANA time zone for the time intent; default the machine's. */
  readonly timeZone?: string;
  /** Scheduler for the pacing timers; pass a `TestScheduler` to run in virtual time. */
  readonly scheduler?: SchedulerLike;
}

const SOURCE = 'llm:demo-brain';

/**
 * **A demo, not a language model.** A small deterministic {@link LlmProvider} that lets a voice
 * agent run end to end with no LLM configured: it finds what the last user message asks for by
 * keyword matching (tolerant of speech-recognition slips) and streams a canned answer word by
 * word at a set pace. It knows a greeting, the time (from the real clock), a weather question
 * (it says plainly it has no live data and gives a pretend forecast), "tell me a story" (over a
 * minute of speech, to try interrupting) and a polite fallback saying what it can do.
 *
 * It ignores tool definitions, the system prompt and the temperature. Unsubscribing stops the
 * stream at once.
 *
 * @example
 * ```ts
 * const llm = process.env.OPENAI_API_KEY ? new OpenAiLlm({ model: 'gpt-4o-mini' }) : new DemoBrain();
 * ```
 */
export class DemoBrain implements LlmProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'demo-brain';
  readonly #timeToFirstTokenMs: number;
  readonly #gapMs: number;
  readonly #now: () => Date;
  readonly #timeZone: string | undefined;
  readonly #scheduler: SchedulerLike;

  /** @throws {@link ConfigError} for a negative delay, a non-positive rate or an unknown time zone. */
  constructor(options: DemoBrainOptions = {}) {
    const issues: string[] = [];
    const ttft = options.timeToFirstTokenMs ?? 150;
    const rate = options.tokensPerSecond ?? 40;
    if (!(ttft >= 0 && Number.isFinite(ttft)))
      issues.push('timeToFirstTokenMs: expected a finite number ≥ 0');
    if (!(rate > 0)) issues.push('tokensPerSecond: expected a number > 0 (Infinity for no pacing)');
    if (issues.length > 0) throw new ConfigError('Invalid demo brain options', issues);
    this.#timeToFirstTokenMs = ttft;
    this.#gapMs = Number.isFinite(rate) ? 1000 / rate : 0;
    this.#now = options.now ?? (() => new Date());
    this.#timeZone = options.timeZone === undefined ? undefined : checkTimeZone(options.timeZone);
    clockFormat(this.#timeZone); // so the first "what time is it" does not block the event loop
    this.#scheduler = options.scheduler ?? asyncScheduler;
  }

  /** The answer the brain gives to a conversation, and the intent it heard. Pure apart from the clock. */
  answer(request: LlmRequest): { intent: DemoIntent; text: string } {
    const { intent } = detectIntent(lastUserText(request));
    return { intent, text: replyFor(intent, { now: this.#now(), timeZone: this.#timeZone }) };
  }

  /**
   * Streams the answer: the first token after `timeToFirstTokenMs`, the others `1000 /
   * tokensPerSecond` ms apart, then `done` with `stop`. A request without a message list errors
   * with {@link ProviderRequestError}.
   */
  generate(request: LlmRequest): Observable<LlmEvent> {
    return defer(() => {
      if (!isRequest(request))
        return throwError(
          () =>
            new ProviderRequestError('The demo brain needs a request with a messages array', {
              source: SOURCE,
            }),
        );
      const tokens = replyTokens(this.answer(request).text);
      const done: LlmEvent = { type: 'done', finishReason: 'stop' };
      const pacedTokens$ =
        this.#gapMs > 0
          ? timer(this.#timeToFirstTokenMs, this.#gapMs, this.#scheduler).pipe(
              take(tokens.length),
              map((index) => tokens[index]!),
            )
          : timer(this.#timeToFirstTokenMs, this.#scheduler).pipe(mergeMap(() => from(tokens)));
      return concat(pacedTokens$.pipe(map((text): LlmEvent => ({ type: 'token', text }))), of(done));
    });
  }
}

function isRequest(request: unknown): request is LlmRequest {
  return typeof request === 'object' && request !== null && Array.isArray((request as LlmRequest).messages);
}

/** The text of the last user message; empty if there is none. */
function lastUserText(request: LlmRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message?.role === 'user' && typeof message.content === 'string') return message.content;
  }
  return '';
}
