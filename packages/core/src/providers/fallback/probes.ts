import { type Observable, of } from 'rxjs';
import type { SttEvent } from '../../frames/transcript';
import type { LlmEvent, LlmProvider } from '../llm';
import type { SttProvider } from '../stt';
import type { TtsChunk, TtsProvider } from '../tts';

/*
 * The default background probes: the cheapest request that proves a provider answers again.
 * The chain takes the first output (or a clean end) as the answer and cancels the rest.
 */

/** A one-word LLM request; the first token (or `done`) is the answer, the rest is cancelled. */
export function probeLlm(llm: LlmProvider): Observable<LlmEvent> {
  return llm.generate({ messages: [{ role: 'user', content: 'ping' }] });
}

/** The synthesis of `OK`; the first chunk is the answer. */
export function probeTts(tts: TtsProvider): Observable<TtsChunk> {
  return tts.synthesize('OK');
}

/** A recognition stream fed 200 ms of silence: it must end (or say something) without an error. */
export function probeStt(stt: SttProvider): Observable<SttEvent> {
  const samples = new Int16Array(Math.round(stt.sampleRate / 5));
  return stt.transcribe(of({ samples, sampleRate: stt.sampleRate, channels: 1, startMs: 0 }));
}
