import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultStages } from '../src/session/pipeline/default-stages';
import { defineTool } from '../src/session/tools';
import { findHistoryProblems } from '../src/session/turn-log';
import { virtualConversation } from '../src/testing/virtual-conversation';

const question = { text: 'what is the weather', startMs: 500 };

describe('custom pipeline: your own agent as the reply stage', () => {
  it('answers from an async generator, with ids on every chunk and metrics', () => {
    const c = virtualConversation({
      utterances: [question],
      config: {
        pipeline: {
          async *reply(turn) {
            yield `You asked about ${turn.userText}. `;
            yield 'The answer is yes.';
          },
        },
      },
    });
    return c.runAsync().then(() => {
      expect(c.ofType('agent-text').map((e) => e.text.trim())).toEqual([
        'You asked about what is the weather.',
        'The answer is yes.',
      ]);
      expect(c.assistantTexts()).toEqual(['You asked about what is the weather. The answer is yes.']);
      const { turnId, speechId } = c.ofType('speech-start')[0]!;
      const audio = c.ofType('audio').map((e) => e.audio);
      expect(audio.length).toBeGreaterThan(0);
      expect(audio.every((a) => a.turnId === turnId && a.speechId === speechId)).toBe(true);
      expect(audio.map((a) => a.seq)).toEqual(audio.map((_, i) => i));
      expect(c.llm.requests).toHaveLength(0);
      expect(c.ofType('metrics')[0]!.metrics.serverTtfaMs).toBeGreaterThan(0);
    });
  });

  it('stops reading the agent and aborts its signal when the user interrupts', async () => {
    let isFinallyRun = false;
    let signal: AbortSignal | undefined;
    const c = virtualConversation({
      utterances: [question, { text: 'no something else', startMs: 3000 }],
      config: {
        pipeline: {
          reply: async function* (turn) {
            if (turn.userText !== 'what is the weather') {
              yield 'Okay.';
              return;
            }
            signal = turn.signal;
            try {
              for (let i = 0; i < 50; i++)
                yield await c.later(200, `Part ${i} of a long answer. `, turn.signal);
            } finally {
              isFinallyRun = true;
            }
          },
        },
      },
    });
    await c.runAsync();
    expect(signal?.aborted).toBe(true);
    expect(isFinallyRun).toBe(true);
    const cut = c.ofType('speech-end')[0]!;
    expect(cut.interrupted).toBe(true);
    expect(c.session.history[2]).toEqual({ role: 'assistant', content: cut.heardText, interrupted: true });
    expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Okay.' });
  });

  it('runs tools through turn.callTool: events, and a history any provider accepts', async () => {
    const weather = defineTool({
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => ({ city, celsius: 21 }),
    });
    const c = virtualConversation({
      utterances: [question],
      config: {
        tools: [weather],
        pipeline: {
          async *reply(turn) {
            yield 'Let me look.';
            const outcome = await turn.callTool({
              id: 'c1',
              name: 'get_weather',
              arguments: '{"city":"Paris"}',
            });
            yield ` It is ${JSON.parse(outcome.content).celsius} degrees in Paris.`;
          },
        },
      },
    });
    await c.runAsync();
    expect(c.ofType('tool-call').map((e) => e.call.id)).toEqual(['c1']);
    expect(c.ofType('tool-result')).toMatchObject([{ toolCallId: 'c1', isError: false }]);
    expect(c.session.history.slice(1)).toEqual([
      { role: 'user', content: 'what is the weather' },
      {
        role: 'assistant',
        content: 'Let me look.',
        toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      },
      { role: 'tool', toolCallId: 'c1', name: 'get_weather', content: '{"city":"Paris","celsius":21}' },
      { role: 'assistant', content: 'It is 21 degrees in Paris.' },
    ]);
    expect(findHistoryProblems(c.session.history)).toEqual([]);
  });

  it('leaves turn.signal alone when the reply finishes normally', async () => {
    let signal: AbortSignal | undefined;
    const c = virtualConversation({
      utterances: [question],
      config: {
        pipeline: {
          async *reply(turn) {
            signal = turn.signal;
            yield 'All done.';
          },
        },
      },
    });
    await c.runAsync();
    expect(c.ofType('speech-end')[0]).toMatchObject({ interrupted: false, text: 'All done.' });
    expect(signal?.aborted).toBe(false);
  });

  it('an early reply runs no tool before its turn is confirmed; a discarded one runs none', async () => {
    const runs: string[] = [];
    const lookup = defineTool({
      name: 'lookup',
      description: 'Looks something up',
      parameters: z.object({ q: z.string() }),
      execute: async ({ q }) => {
        runs.push(q);
        return 'found';
      },
    });
    const c = virtualConversation({
      // The first words pause long enough for an early reply, then the user goes on.
      utterances: [
        { text: 'what is', startMs: 500 },
        { text: 'the weather', startMs: 1700 },
      ],
      config: {
        tools: [lookup],
        preemptiveGeneration: { enabled: true, minStability: 0.6 },
        turnDetection: { mode: 'stt', minEndpointDelayMs: 600 },
        pipeline: {
          async *reply(turn) {
            await turn.callTool({
              id: `c-${turn.userText}`,
              name: 'lookup',
              arguments: JSON.stringify({ q: turn.userText }),
            });
            yield 'Here it is.';
          },
        },
      },
    });
    await c.runAsync();
    const [turn] = c.ofType('user-turn');
    expect(turn!.text).toBe('what is the weather');
    expect(runs).toEqual(['what is the weather']);
    const [call] = c.ofType('tool-call');
    expect(call!.at).toBeGreaterThanOrEqual(turn!.at);
    expect(c.events.indexOf(call!)).toBeGreaterThan(c.events.indexOf(turn!));
  });

  it('starts early with preemptive generation and is reused when the words stay the same', () => {
    const calls: { text: string; isPreemptive: boolean }[] = [];
    const c = virtualConversation({
      utterances: [question],
      config: {
        preemptiveGeneration: { enabled: true, minStability: 0.7 },
        pipeline: {
          reply: (turn) => {
            calls.push({ text: turn.userText, isPreemptive: turn.isPreemptive });
            return defaultStages.reply(turn);
          },
        },
      },
    });
    c.run();
    expect(calls.at(-1)).toEqual({ text: 'what is the weather', isPreemptive: true });
    expect(calls.every((call) => call.isPreemptive)).toBe(true);
    expect(c.ofType('speech-end')).toHaveLength(1);
    expect(c.assistantTexts()).toEqual(['Sure. It is sunny and warm today.']);
  });
});
