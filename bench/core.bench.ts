// Core benchmarks (issue 3): framework overhead per turn with zero-latency providers, time to
// first audio pipelined vs. a sequential (seed-style) baseline, and barge-in reaction.
import {
  createVoiceSession,
  defaultStages,
  type LlmEvent,
  type LlmProvider,
  type LlmRequest,
  type TtsChunk,
  type TtsProvider,
  type VoicePipeline,
} from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts, silence, tokenize } from '@voxduplex/core/testing';
import { concatMap, map, Observable, take, toArray, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { type BenchResult, quantile, quantileResults, report, result } from './harness';

const REPLY =
  'Sure, here is the plan for tomorrow. We meet at nine in the lobby, then walk to the museum together. ' +
  'Lunch is at the small cafe by the river, and the afternoon is free for anyone who wants to explore the old town.';
const now = () => performance.now();

/** An LLM that answers at once, stamping when it was asked and when it sent its first token. */
class InstantLlm implements LlmProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'instant';
  requestedAt = 0;
  firstTokenAt = 0;
  generate(_request: LlmRequest): Observable<LlmEvent> {
    return new Observable((subscriber) => {
      this.requestedAt = now();
      const tokens = tokenize(REPLY);
      tokens.forEach((text, i) => {
        if (i === 0) this.firstTokenAt = now();
        subscriber.next({ type: 'token', text });
      });
      subscriber.next({ type: 'done', finishReason: 'stop' });
      subscriber.complete();
    });
  }
}

/** A TTS that answers at once with one 20 ms chunk, stamping its first request and chunk. */
class InstantTts implements TtsProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'instant';
  readonly sampleRate = 16000;
  readonly #chunk = silence(20, 16000);
  firstRequestAt = 0;
  firstChunkAt = 0;
  synthesize(): Observable<TtsChunk> {
    return new Observable((subscriber) => {
      if (this.firstRequestAt === 0) this.firstRequestAt = now();
      if (this.firstChunkAt === 0) this.firstChunkAt = now();
      subscriber.next({ samples: this.#chunk, sampleRate: 16000 });
      subscriber.complete();
    });
  }
}

/**
 * A user stage in every slot, each passing items through unchanged (wrapping the default where
 * the slot's default does the work): what the pipeline's wiring costs, stage by stage.
 */
const IDENTITY_STAGES: VoicePipeline = {
  audioIn: (frames$) => frames$.pipe(map((frame) => frame)),
  transcripts: (events$) => events$.pipe(map((event) => event)),
  endOfTurn: (signals$, context) => defaultStages.endOfTurn(signals$.pipe(map((s) => s)), context),
  bargeIn: (signals$, context) => defaultStages.bargeIn(signals$.pipe(map((s) => s)), context),
  reply: (turn) => defaultStages.reply(turn).pipe(map((piece) => piece)),
  sentences: (sentences$) => sentences$.pipe(map((sentence) => sentence)),
  speech: (sentences$, context) => defaultStages.speech(sentences$.pipe(map((s) => s)), context),
  audioOut: (audio$) => audio$.pipe(map((audio) => audio)),
};

function overhead(turns: number, turnsPerSession: number, pipeline?: VoicePipeline) {
  const finalToLlm: number[] = [];
  const tokenToTts: number[] = [];
  const ttsToOutput: number[] = [];
  for (let done = 0; done < turns; done += turnsPerSession) {
    const stt = new FakeStt();
    const llm = new InstantLlm();
    const tts = new InstantTts();
    const session = createVoiceSession({
      stt,
      llm,
      tts,
      turnDetection: { minEndpointDelayMs: 0 },
      ...(pipeline ? { pipeline } : {}),
    });
    let outputAt = 0;
    let lastSpeechId = '';
    session.audio$.subscribe((audio) => {
      if (outputAt === 0) outputAt = now();
      lastSpeechId = audio.speechId;
    });
    session.pushAudio({ samples: silence(20, 16000), sampleRate: 16000 });
    for (let turn = 0; turn < turnsPerSession; turn++) {
      outputAt = 0;
      tts.firstRequestAt = tts.firstChunkAt = 0;
      const finalAt = now();
      stt.emit({ type: 'final', transcript: { text: `question number ${turn}`, isFinal: true } });
      finalToLlm.push(llm.requestedAt - finalAt);
      tokenToTts.push(tts.firstRequestAt - llm.firstTokenAt);
      ttsToOutput.push(outputAt - tts.firstChunkAt);
      session.playbackFinished(lastSpeechId);
    }
    session.close();
  }
  return { finalToLlm, tokenToTts, ttsToOutput };
}

/** Time to first audio in virtual time: the session's pipeline vs. full reply → then TTS. */
function timeToFirstAudio() {
  const latencies = { ttftMs: 300, tokensPerSecond: 40 };
  const ttfbMs = 150;

  let pipelined = Number.NaN;
  {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    const session = createVoiceSession({
      stt: new FakeStt({ scheduler }),
      llm: new FakeLlm({ reply: REPLY, ...latencies, scheduler }),
      tts: new FakeTts({ ttfbMs, realtimeFactor: 0.1, scheduler }),
      scheduler,
    });
    session.audio$.pipe(take(1)).subscribe(() => (pipelined = scheduler.now()));
    session.sendText('what is the plan for tomorrow');
    scheduler.flush();
    session.close();
  }

  let sequential = Number.NaN;
  {
    // The seed's way: wait for the whole LLM reply, then synthesize it in one request.
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    const llm = new FakeLlm({ reply: REPLY, ...latencies, scheduler });
    const tts = new FakeTts({ ttfbMs, realtimeFactor: 0.1, scheduler });
    llm
      .generate({ messages: [] })
      .pipe(
        toArray(),
        concatMap((events) =>
          tts.synthesize(events.flatMap((e) => (e.type === 'token' ? [e.text] : [])).join('')),
        ),
        take(1),
      )
      .subscribe(() => (sequential = scheduler.now()));
    scheduler.flush();
  }
  return { pipelined, sequential };
}

function bargeIn(turns: number) {
  const onsetToPause: number[] = [];
  const onsetToAbort: number[] = [];
  const stt = new FakeStt();
  const llm = new FakeLlm({ reply: REPLY, tokensPerSecond: 5 });
  const tts = new FakeTts({ ttfbMs: 0, realtimeFactor: 1, msPerChar: 60 });
  // No backchannel window: it would hold the commit of a two-word interim for 600 ms by design;
  // what is measured here is the core's own path from the words to the cancelled providers.
  const session = createVoiceSession({
    stt,
    llm,
    tts,
    turnDetection: { minEndpointDelayMs: 0 },
    interruption: { backchannelWindowMs: 0 },
  });
  let pausedAt = 0;
  session.controls$.subscribe((control) => {
    if (control.type === 'pause') pausedAt = now();
  });
  session.pushAudio({ samples: silence(20, 16000), sampleRate: 16000 });
  for (let turn = 0; turn < turns; turn++) {
    session.sendText('tell me about the plan');
    if (session.state.agent !== 'thinking' || llm.streams.open !== 1)
      throw new Error('expected an agent mid-reply');
    const onsetAt = now();
    // The recognizer reports the onset and, with it, the first words (its own delay excluded).
    stt.emit({ type: 'speech-start', atMs: turn });
    onsetToPause.push(pausedAt - onsetAt);
    stt.emit({ type: 'interim', transcript: { text: 'wait stop', isFinal: false } });
    const abortedAt = now();
    if (llm.streams.open + tts.streams.open !== 0)
      throw new Error('provider work still open after the interrupt');
    onsetToAbort.push(abortedAt - onsetAt);
    stt.emit({ type: 'speech-end', atMs: turn + 1 });
  }
  session.close();
  return { onsetToPause, onsetToAbort };
}

export default async function coreBench(): Promise<readonly BenchResult[]> {
  overhead(2000, 100); // warm up the JIT
  overhead(2000, 100, IDENTITY_STAGES);
  const { finalToLlm, tokenToTts, ttsToOutput } = overhead(20_000, 100);
  const staged = overhead(20_000, 100, IDENTITY_STAGES);
  const stagedAll = [...staged.finalToLlm, ...staged.tokenToTts, ...staged.ttsToOutput];
  const { pipelined, sequential } = timeToFirstAudio();
  bargeIn(200);
  const { onsetToPause, onsetToAbort } = bargeIn(2000);
  const percentiles = (name: string, values: number[]) =>
    quantileResults(name, values, 'ms', { p50: '< 1', p99: '< 1' });
  const results = [
    ...percentiles('core.overhead.final_to_llm', finalToLlm),
    ...percentiles('core.overhead.token_to_tts', tokenToTts),
    ...percentiles('core.overhead.tts_to_output', ttsToOutput),
    // The same three stage-to-stage spans, pooled, with an identity user stage in every slot.
    ...quantileResults('core.overhead.pipeline_stages', stagedAll, 'ms', {
      p50: 'informational',
      p99: '< 0.1',
    }),
    ...percentiles('core.overhead.pipeline_stages.final_to_llm', staged.finalToLlm),
    ...percentiles('core.overhead.pipeline_stages.token_to_tts', staged.tokenToTts),
    ...percentiles('core.overhead.pipeline_stages.tts_to_output', staged.ttsToOutput),
    result('core.ttfa.pipelined_ms', pipelined, 'ms', 'informational'),
    result('core.ttfa.sequential_ms', sequential, 'ms', 'informational'),
    result('core.ttfa.ratio', pipelined / sequential, 'ratio', '<= 0.4'),
    result('core.bargein.onset_to_pause.p99', quantile(onsetToPause, 0.99), 'ms', '< 5'),
    result('core.bargein.onset_to_abort.p99', quantile(onsetToAbort, 0.99), 'ms', '< 5'),
  ];
  report('core', results);
  return results;
}
