import { type LlmEvent, type LlmProvider, type LlmRequest, ProviderUnavailableError } from '@voxduplex/core';
import { FakeLlm, type LlmScriptStep, ResourceCounter, tokenize } from '@voxduplex/core/testing';
import type { Observable } from 'rxjs';
import { type FaultTally, faultIn, faultWord } from './faults';
import { tracked } from './tracked';

export interface FaultyLlmOptions {
  /** Its `name` (errors name it `llm:<name>`). Default `'faulty'`. */
  readonly name?: string;
  /**
   * A stand-by that ignores `llm-*` fault words (it still repeats `tts-*` ones), failing only
   * while {@link FaultyLlm.isDown}: the backup of a fallback chain. Default false.
   */
  readonly ignoresFaultWords?: boolean;
  /** Time to first token of a healthy reply, ms. Default 40. */
  readonly ttftMs?: number;
  /** Token pace of a healthy reply. Default 200/s. */
  readonly tokensPerSecond?: number;
  /** Pause of a `stall` fault, ms. Default 1500. */
  readonly stallMs?: number;
  /** Gap between the tokens of a `slow` reply, ms. Default 150. */
  readonly slowTokenGapMs?: number;
  readonly tally?: FaultTally;
}

const REST = 'Here is a longer answer that goes on for a little while, so there is time to talk over it.';

/**
 * An LLM that answers every user message, failing as the message asks (`llm-fail-mid`…, see
 * `FaultKind`) and repeating any `tts-*` fault word at the start of its reply so the
 * synthesis of that text fails in turn. While {@link isDown} every request fails: every other
 * one by throwing from `generate()` itself, the rest as an erroring stream.
 * `requests` counts open requests.
 */
export class FaultyLlm implements LlmProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly requests = new ResourceCounter();
  /** Every request fails while true (an LLM outage). */
  isDown = false;
  readonly #inner: FakeLlm;
  readonly #options: FaultyLlmOptions;
  #outageFailures = 0;

  constructor(options: FaultyLlmOptions = {}) {
    this.#options = options;
    this.name = options.name ?? 'faulty';
    this.#inner = new FakeLlm({
      ttftMs: options.ttftMs ?? 40,
      tokensPerSecond: options.tokensPerSecond ?? 200,
      reply: (request) => this.#script(request),
    });
  }

  /** The inner fake's own count of open streams (must agree with `requests`). */
  get innerStreams(): ResourceCounter {
    return this.#inner.streams;
  }

  generate(request: LlmRequest): Observable<LlmEvent> {
    if (this.isDown) {
      this.#options.tally?.add('llm', 'outage');
      const error = new ProviderUnavailableError('language model unavailable', {
        source: `llm:${this.name}`,
      });
      if (this.#outageFailures++ % 2 === 0) throw error;
      return tracked(this.requests, () => {
        throw error;
      });
    }
    return tracked(this.requests, () => this.#inner.generate(request));
  }

  #script(request: LlmRequest): LlmScriptStep[] {
    // The inner fake records every request; a soak would read that as a leak.
    this.#inner.requests.length = 0;
    const said = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const ttsFault = faultIn(said, 'tts');
    const opening = ttsFault ? `${faultWord('tts', ttsFault)}, sure.` : 'Sure.';
    const text = `${opening} ${REST}`;
    const fault = this.#options.ignoresFaultWords ? undefined : faultIn(said, 'llm');
    if (fault) this.#options.tally?.add('llm', fault);
    const error = () => new ProviderUnavailableError(`injected ${fault}`, { source: `llm:${this.name}` });
    switch (fault) {
      case undefined:
        return [{ text }];
      case 'fail-first':
        return [{ error: error() }];
      case 'fail-mid':
        return [{ text: `${opening} Here is the start` }, { error: error() }];
      case 'stall':
        return [{ stallMs: this.#options.stallMs ?? 1500 }, { text }];
      case 'hang':
        // Far beyond any test; only cancelling the request ends it.
        return [{ stallMs: 1e9 }, { text }];
      case 'slow': {
        const gapMs = this.#options.slowTokenGapMs ?? 150;
        return tokenize(text).flatMap((token) => [{ text: token }, { stallMs: gapMs }]);
      }
    }
  }
}
