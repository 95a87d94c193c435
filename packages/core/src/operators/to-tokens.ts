import { filter, map, type OperatorFunction } from 'rxjs';
import type { Token } from '../frames/agent';
import type { SpeechRef } from '../frames/identity';
import type { LlmEvent } from '../providers/llm';

/**
 * Turns an LLM event stream into {@link Token}s of one speech: keeps `token` events, stamps them
 * with the speech's identity and a running index, skips empty text. Tool calls and `done` are
 * not text and are dropped (the session handles tool calls before this operator).
 *
 * ```
 * llm:     -t(Hel)-t(lo)-c-d|      t = token, c = tool-call, d = done
 * toTokens({ turnId: 'u1', speechId: 's1' })
 * tokens:  -0------1-------|      0 = { text: 'Hel', index: 0, turnId: 'u1', speechId: 's1' }
 * ```
 */
export function toTokens(ref: SpeechRef, startIndex = 0): OperatorFunction<LlmEvent, Token> {
  return (source) => {
    let index = startIndex;
    return source.pipe(
      filter(
        (event): event is Extract<LlmEvent, { type: 'token' }> => event.type === 'token' && event.text !== '',
      ),
      map((event) => ({ turnId: ref.turnId, speechId: ref.speechId, text: event.text, index: index++ })),
    );
  };
}
