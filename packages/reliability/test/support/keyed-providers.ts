import {
  type LlmEvent,
  type LlmProvider,
  type LlmRequest,
  ProviderAuthError,
  ProviderQuotaError,
  type SttProvider,
  type TtsProvider,
} from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import { type Observable, throwError } from 'rxjs';
import { bystanderUtterances } from './bystander';

/** A recognizable fake API key: if any of it reaches a client, a secret leaked. */
export const FAKE_API_KEY = 'sk-vox-FAKE-3f9c2a7e41b85d60c1e2';

/** The words that make the keyed providers fail, each time quoting the key in the error text. */
export const FAILING_WORDS = {
  /** LLM answers with a typed `ProviderAuthError` naming the key (as an HTTP 401 body would). */
  llmAuth: 'check my key',
  /** LLM throws a plain `Error` naming the key (an SDK error nobody mapped). */
  llmPlain: 'crash the sdk',
  /** TTS fails a sentence holding this with a `ProviderQuotaError` naming the key. */
  ttsQuota: 'quota',
} as const;

/** What vendor SDK clients hold: the key in a plain options object on the provider. */
interface KeyedOptions {
  readonly apiKey: string;
  readonly endpoint: string;
}

const keyed = (service: string): KeyedOptions => ({
  apiKey: FAKE_API_KEY,
  endpoint: `https://${service}.example.invalid/v1?key=${FAKE_API_KEY}`,
});

/** Recognizer with the key in its options; the test can make it fail with the key in the text. */
export class KeyedStt extends FakeStt implements SttProvider {
  readonly options = keyed('stt');

  constructor() {
    super({ utterances: bystanderUtterances(50), finalDelayMs: 20 });
  }

  /** Fails every open recognition stream the way a revoked key does. */
  failWithKey(): void {
    this.fail(
      new ProviderAuthError(`stream refused: API key ${FAKE_API_KEY} was revoked`, { source: 'stt:keyed' }),
    );
  }
}

/** Language model with the key in its options, failing on {@link FAILING_WORDS}. */
export class KeyedLlm implements LlmProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'keyed';
  readonly options = keyed('llm');
  readonly #inner = new FakeLlm({
    reply: (request) => {
      const said = lastUserText(request);
      if (said.includes(FAILING_WORDS.llmAuth))
        return [
          {
            error: new ProviderAuthError(`401 Incorrect API key provided: ${FAKE_API_KEY}`, {
              source: 'llm:keyed',
            }),
          },
        ];
      if (said.includes(FAILING_WORDS.ttsQuota)) return 'This sentence hits the quota.';
      return 'Sure, happy to help with that.';
    },
  });

  get streams() {
    return this.#inner.streams;
  }

  generate(request: LlmRequest): Observable<LlmEvent> {
    if (lastUserText(request).includes(FAILING_WORDS.llmPlain))
      return throwError(
        () =>
          new Error(`fetch failed: POST ${this.options.endpoint} (Authorization: Bearer ${FAKE_API_KEY})`),
      );
    return this.#inner.generate(request);
  }
}

/** Synthesizer with the key in its options, failing sentences that mention the quota. */
export class KeyedTts extends FakeTts implements TtsProvider {
  readonly options = keyed('tts');

  constructor() {
    super({
      failWith: (text) =>
        text.includes(FAILING_WORDS.ttsQuota)
          ? new ProviderQuotaError(`quota exceeded for key ${FAKE_API_KEY}`, { source: 'tts:keyed' })
          : undefined,
    });
  }
}

function lastUserText(request: LlmRequest): string {
  const last = request.messages.filter((m) => m.role === 'user').at(-1);
  return typeof last?.content === 'string' ? last.content : '';
}
