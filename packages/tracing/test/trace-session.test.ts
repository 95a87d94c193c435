import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  defineTool,
  fallbackLlm,
  type LlmProvider,
  ProviderUnavailableError,
  type SttEvent,
} from '@voxduplex/core';
import { FakeLlm } from '@voxduplex/core/testing';
import { virtualCall } from '@voxduplex/test-support';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { ATTR, EVENT, type TracingOptions, traceLlm, traceSession, traceTts } from '../src/index';
import { eventAt, memoryTracing, ms } from './spans';

const question = { text: 'what is the weather in paris', startMs: 500 };

function tracedCall(options: Parameters<typeof virtualCall>[0] = {}, recordContent = false) {
  const tracing = memoryTracing();
  let now = () => 0;
  const traced = { tracer: tracing.tracer, now: () => now(), recordContent };
  const call = virtualCall({
    ...options,
    wrapLlm: (llm) => traceLlm(llm, traced),
    wrapTts: (tts) => traceTts(tts, traced),
  });
  now = () => call.scheduler.now();
  const handle = traceSession(call.session, traced);
  return { ...call, ...tracing, handle };
}

describe('traceSession with traced providers', () => {
  it('nests recognition, the LLM request, each TTS request and playback under the turn, under the session', () => {
    const c = tracedCall({ utterances: [question], micMs: 8000 });
    c.run();
    c.session.close();

    const session = c.one('voice.session');
    const turn = c.one('voice.turn');
    expect(c.parentOf(turn)).toBe(session);
    for (const name of ['voice.recognition', 'chat', 'voice.playback'])
      expect(c.parentOf(c.one(name))?.name, name).toBe('voice.turn');
    const tts = c.named('tts fake');
    expect(tts.length).toBe(2); // "Sure." and "It is sunny today."
    for (const span of tts) expect(c.parentOf(span)).toBe(turn);
    expect(new Set(c.spans().map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(c.openCount()).toBe(0);
  });

  it('times the spans on the session clock, in step with the turn metrics', () => {
    const c = tracedCall({ utterances: [question], micMs: 8000 });
    const metrics: unknown[] = [];
    c.session.metrics$.subscribe((m) => metrics.push(m));
    c.run();
    c.session.close();
    const [m] = metrics as { llmTtftMs: number; ttsTtfbMs: number; serverTtfaMs: number; turnId: string }[];

    const chat = c.one('chat');
    expect(eventAt(chat, EVENT.firstToken)! - ms(chat.startTime)).toBe(m!.llmTtftMs);
    const firstTts = c.named('tts fake').sort((a, b) => ms(a.startTime) - ms(b.startTime))[0]!;
    expect(eventAt(firstTts, EVENT.firstChunk)! - ms(firstTts.startTime)).toBe(m!.ttsTtfbMs);
    const playback = c.one('voice.playback');
    expect(ms(playback.startTime)).toBe(eventAt(firstTts, EVENT.firstChunk));

    const turn = c.one('voice.turn');
    expect(turn.attributes).toMatchObject({
      [ATTR.turnId]: m!.turnId,
      'voxduplex.turn.llm_ttft_ms': m!.llmTtftMs,
      'voxduplex.turn.tts_ttfb_ms': m!.ttsTtfbMs,
      'voxduplex.turn.server_ttfa_ms': m!.serverTtfaMs,
      [ATTR.interrupted]: false,
    });
    // The turn opens at the user's first word and holds every child inside it.
    const recognition = c.one('voice.recognition');
    expect(ms(turn.startTime)).toBe(ms(recognition.startTime));
    for (const child of [recognition, chat, playback, firstTts]) {
      expect(ms(child.startTime)).toBeGreaterThanOrEqual(ms(turn.startTime));
      expect(ms(child.endTime)).toBeLessThanOrEqual(ms(turn.endTime));
    }
    expect(ms(recognition.endTime)).toBeLessThanOrEqual(ms(chat.startTime));
  });

  it('ends every span of an interrupted turn, with the barge-in as events and what was heard', () => {
    const c = tracedCall({
      utterances: [question, { text: 'wait what about dragons then', startMs: 5000 }],
      llm: { reply: 'One two three four. Five six seven eight. Nine ten eleven twelve.', tokensPerSecond: 2 },
      micMs: 12_000,
    });
    c.run();
    c.session.close();

    const [first, second] = c.named('voice.turn').sort((a, b) => ms(a.startTime) - ms(b.startTime));
    expect(first!.attributes[ATTR.interrupted]).toBe(true);
    expect(first!.events.map((e) => e.name)).toEqual(
      expect.arrayContaining([EVENT.bargeInPause, EVENT.bargeInCommit]),
    );
    const playback = c.named('voice.playback').find((span) => c.parentOf(span) === first)!;
    expect(playback.attributes[ATTR.interrupted]).toBe(true);
    expect(playback.attributes[ATTR.heardChars]).toBeLessThan(playback.attributes[ATTR.textChars] as number);
    expect(ms(playback.endTime)).toBe(eventAt(first!, EVENT.bargeInCommit));
    // The reply's LLM request was still streaming when the user cut in: cancelled, and says so.
    const firstChat = c.named('chat').find((span) => c.parentOf(span) === first)!;
    expect(firstChat.attributes[ATTR.cancelled]).toBe(true);
    expect(ms(firstChat.endTime)).toBe(eventAt(first!, EVENT.bargeInCommit));
    expect(second!.attributes[ATTR.interrupted]).toBe(false);
    expect(c.openCount()).toBe(0);
  });

  it('traces tool calls under their turn and keeps conversation text off spans unless asked', async () => {
    const weather = defineTool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => ({ city, celsius: 21 }),
    });
    const reply = (_request: unknown, call: number) =>
      call === 0
        ? [{ toolCall: { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } } }]
        : 'It is 21 degrees in Paris.';
    for (const recordContent of [false, true]) {
      const c = tracedCall(
        { utterances: [question], llm: { reply }, config: { tools: [weather] }, micMs: 8000 },
        recordContent,
      );
      await c.runAsync();
      c.session.close();
      const tool = c.one('execute_tool get_weather');
      expect(c.parentOf(tool)?.name).toBe('voice.turn');
      expect(tool.attributes).toMatchObject({
        [ATTR.genAiToolName]: 'get_weather',
        [ATTR.genAiToolCallId]: 'call_1',
      });
      expect(c.named('chat').map((span) => span.attributes[ATTR.genAiFinishReasons])).toEqual([
        ['tool-calls'],
        ['stop'],
      ]);
      const everything = JSON.stringify(c.spans().map((span) => [span.attributes, span.events]));
      expect(everything.includes('Paris'), `recordContent: ${recordContent}`).toBe(recordContent);
      expect(everything.includes('weather in paris')).toBe(recordContent);
      expect(c.openCount()).toBe(0);
    }
  });

  it('ends every span when the session closes mid-reply', () => {
    const c = tracedCall({
      utterances: [question],
      llm: { reply: 'A long answer. '.repeat(20) },
      micMs: 4000,
    });
    c.at(3000, () => c.session.close('hang-up'));
    c.run();
    expect(c.openCount()).toBe(0);
    expect(c.one('voice.session').attributes['voxduplex.session.close_reason']).toBe('hang-up');
    expect(c.one('voice.turn').endTime).toBeDefined();
  });

  it('ends the turn of an early reply that was thrown away, with its cancelled LLM request under it', () => {
    const c = tracedCall({
      micMs: 6000,
      config: {
        turnDetection: { mode: 'vad', minEndpointDelayMs: 100 },
        preemptiveGeneration: { enabled: true },
      },
    });
    const script: [number, SttEvent][] = [
      [500, { type: 'speech-start', atMs: 500 }],
      [1400, { type: 'interim', transcript: { text: 'what time is it', isFinal: false } }],
      [1500, { type: 'speech-pause', atMs: 1350 }],
      [1700, { type: 'interim', transcript: { text: 'what time is it in paris', isFinal: false } }],
      [2300, { type: 'speech-pause', atMs: 2150 }],
      [2450, { type: 'speech-end', atMs: 2150 }],
      [2500, { type: 'final', transcript: { text: 'what time is it in paris', isFinal: true } }],
    ];
    for (const [at, event] of script) c.at(at, () => c.stt.emit(event));
    c.run();
    c.session.close();

    const [early, answered] = c.named('voice.turn').sort((a, b) => ms(a.startTime) - ms(b.startTime));
    expect(early!.attributes[ATTR.turnUnanswered]).toBe(true);
    const earlyChat = c.named('chat').find((span) => c.parentOf(span) === early)!;
    expect(earlyChat.attributes[ATTR.cancelled]).toBe(true);
    expect(ms(earlyChat.startTime)).toBe(1500);
    expect(answered!.attributes[ATTR.turnUnanswered]).toBeUndefined();
    expect(c.parentOf(c.one('voice.playback'))).toBe(answered);
    expect(c.openCount()).toBe(0);
  });

  it('puts a request from an untraced session under the active span', () => {
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    onTestFinished(() => {
      context.disable();
    });
    const tracing = memoryTracing();
    const llm = traceLlm(
      new FakeLlm({ reply: 'Hi.', ttftMs: 0, tokensPerSecond: Number.POSITIVE_INFINITY }),
      {
        tracer: tracing.tracer,
      },
    );
    tracing.tracer.startActiveSpan('app.request', (parent) => {
      llm.generate({ messages: [{ role: 'user', content: 'hello' }] }).subscribe();
      parent.end();
    });
    expect(tracing.parentOf(tracing.one('chat'))?.name).toBe('app.request');
    expect(tracing.one('chat').attributes).toMatchObject({
      [ATTR.genAiSystem]: 'fake',
      [ATTR.genAiFinishReasons]: ['stop'],
    });
  });

  it('without an SDK follows nothing and passes requests through untouched', () => {
    const call = virtualCall({
      utterances: [question],
      micMs: 6000,
      wrapLlm: (llm) => traceLlm(llm),
      wrapTts: (tts) => traceTts(tts),
    });
    const tracing = traceSession(call.session);
    call.run();
    expect(tracing.span.isRecording()).toBe(false);
    expect(call.llm.requests).toHaveLength(1);
    expect(call.session.history.at(-1)).toMatchObject({
      role: 'assistant',
      content: 'Sure. It is sunny today.',
    });
    call.session.close();
  });

  function callWithFailingPrimary(
    wrap: (down: LlmProvider, backup: LlmProvider, traced: TracingOptions) => LlmProvider,
  ) {
    const tracing = memoryTracing();
    let now = () => 0;
    const traced = { tracer: tracing.tracer, now: () => now() };
    const down = new FakeLlm({
      name: 'primary',
      reply: [{ error: new ProviderUnavailableError('service unavailable') }],
    });
    const call = virtualCall({
      utterances: [question],
      micMs: 8000,
      wrapLlm: (backup) => wrap(down, backup, traced),
      wrapTts: (tts) => traceTts(tts, traced),
    });
    now = () => call.scheduler.now();
    traceSession(call.session, traced);
    const switched: unknown[] = [];
    call.session.on('provider-switched', (event) => switched.push(event));
    call.run();
    call.session.close();
    const switchOn = (span: ReadableSpan) => span.events.find((e) => e.name === EVENT.providerSwitched);
    return { ...tracing, switched, switchOn };
  }

  it('names the provider of a fallback chain that served each request, and marks the switch', () => {
    const c = callWithFailingPrimary((down, backup, traced) =>
      fallbackLlm([traceLlm(down, traced), traceLlm(backup, traced)]),
    );
    expect(c.switched).toHaveLength(1);
    const chats = c.named('chat');
    expect(chats.map((span) => span.attributes[ATTR.genAiSystem]).sort()).toEqual(['fake', 'primary']);
    for (const chat of chats) expect(c.parentOf(chat)?.name).toBe('voice.turn');
    expect(c.switchOn(c.one('voice.session'))?.attributes).toMatchObject({
      kind: 'llm',
      from: 'primary',
      to: 'fake',
    });
    expect(c.switchOn(c.one('voice.turn'))).toBeDefined();
    expect(c.openCount()).toBe(0);
  });

  it('a traced chain still tells the session when it switches', () => {
    const c = callWithFailingPrimary((down, backup, traced) => traceLlm(fallbackLlm([down, backup]), traced));
    expect(c.switched).toHaveLength(1);
    expect(c.switchOn(c.one('voice.session'))).toBeDefined();
  });

  it("makes its spans off the session's path, once the event loop turns", async () => {
    const c = tracedCall({ utterances: [question], micMs: 8000 });
    c.run();
    // The whole turn has happened; its spans are only queued.
    expect(c.finishedUnflushed()).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    const turn = c.finishedUnflushed().find((span) => span.name === 'voice.turn');
    expect(turn?.attributes[ATTR.interrupted]).toBe(false);
    expect(c.finishedUnflushed().map((span) => span.name)).toEqual(
      expect.arrayContaining(['voice.recognition', 'chat', 'tts fake', 'voice.playback']),
    );
    c.session.close();
    expect(c.openCount()).toBe(0);
  });

  it('stop() ends the trace of a session that goes on', () => {
    const c = tracedCall({ utterances: [question], micMs: 2000 });
    c.run();
    c.handle.stop();
    expect(c.openCount()).toBe(0);
    c.session.close();
  });
});
