import { defineTool, findHistoryProblems, type ReplyTurn } from '@voxduplex/core';
import { virtualConversation } from '@voxduplex/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FaqAnswerReport, type FaqEntry, faqAgent } from '../src/recipes/faq-agent';

const FAQ: FaqEntry[] = [
  { pattern: /\bhours\b/, answer: 'We are open from eight to six. On Sundays we open at ten.' },
  { pattern: /\bmenu\b/, answer: `Our menu: ${'tea, coffee, cake and toast. '.repeat(8)}` },
  { pattern: /\bstop\b/, answer: 'Okay.' },
  {
    pattern: /\btables?\b/,
    tool: 'free_tables',
    answer: ({ toolResult }) => `${toolResult} tables are free.`,
  },
];
const freeTables = defineTool({
  name: 'free_tables',
  description: 'How many tables are free right now',
  parameters: z.object({}),
  execute: async () => 3,
});

describe('recipe 2: your own agent as the reply stage', () => {
  it('speaks and stores its answer, streamed word by word, without calling the LLM', async () => {
    const c = virtualConversation({
      utterances: [{ text: 'what are your hours', startMs: 500 }],
      config: { pipeline: { reply: faqAgent(FAQ) } },
    });
    await c.runAsync();
    expect(c.tts.texts.join(' ')).toBe('We are open from eight to six. On Sundays we open at ten.');
    expect(c.assistantTexts()).toEqual(['We are open from eight to six. On Sundays we open at ten.']);
    expect(c.ofType('speech-end')[0]).toMatchObject({ interrupted: false });
    expect(c.llm.requests).toHaveLength(0);
  });

  it('hands a question it does not know to the session LLM', async () => {
    const c = virtualConversation({
      utterances: [{ text: 'who won the match', startMs: 500 }],
      llm: { reply: 'I only know about the café.' },
      config: { pipeline: { reply: faqAgent(FAQ) } },
    });
    await c.runAsync();
    expect(c.llm.requests).toHaveLength(1);
    expect(c.assistantTexts()).toEqual(['I only know about the café.']);
  });

  it('calls a session tool through turn.callTool and keeps a valid history', async () => {
    const c = virtualConversation({
      utterances: [{ text: 'is there a free table', startMs: 500 }],
      config: { tools: [freeTables], pipeline: { reply: faqAgent(FAQ) } },
    });
    await c.runAsync();
    expect(c.ofType('tool-call').map((e) => e.call.name)).toEqual(['free_tables']);
    expect(c.ofType('tool-result')).toMatchObject([{ result: '3', isError: false }]);
    expect(c.tts.texts.join(' ')).toBe('Let me check. 3 tables are free.');
    expect(c.session.history.slice(1)).toMatchObject([
      { role: 'user', content: 'is there a free table' },
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ name: 'free_tables' }] },
      { role: 'tool', name: 'free_tables', content: '3' },
      { role: 'assistant', content: '3 tables are free.' },
    ]);
    expect(findHistoryProblems(c.session.history)).toEqual([]);
  });

  it('stops streaming when the user interrupts: the signal aborts, the generator finishes, and "stop" gets no answer', async () => {
    const reports: FaqAnswerReport[] = [];
    const signals: AbortSignal[] = [];
    const abortedAtNextReply: boolean[][] = [];
    const agent = faqAgent(FAQ, { wordGapMs: 200, onAnswerEnd: (report) => reports.push(report) });
    const c = virtualConversation({
      utterances: [
        { text: 'read me the menu', startMs: 500 },
        { text: 'stop', startMs: 5000 },
      ],
      config: {
        pipeline: {
          reply: (turn: ReplyTurn) => {
            abortedAtNextReply.push(signals.map((signal) => signal.aborted));
            signals.push(turn.signal);
            return agent(turn);
          },
        },
      },
    });
    await c.runAsync();
    // The menu's signal was aborted by the interrupt; a bare "stop" after it is not a question:
    // the session falls quiet and never asks the agent about it.
    expect(abortedAtNextReply).toEqual([[]]);
    expect(signals.map((signal) => signal.aborted)).toEqual([true]);
    const [menu] = reports;
    expect(reports).toHaveLength(1);
    expect(menu).toMatchObject({ userText: 'read me the menu', wasStopped: true });
    expect(menu!.wordsSent).toBeLessThan(menu!.wordsInAnswer);
    const cut = c.ofType('speech-end')[0]!;
    expect(cut.interrupted).toBe(true);
    expect(cut.heardText).not.toBe('');
    expect(String(FAQ[1]!.answer).startsWith(cut.heardText)).toBe(true);
    expect(c.session.history[2]).toEqual({ role: 'assistant', content: cut.heardText, interrupted: true });
    expect(c.session.history.at(-1)).toEqual({ role: 'user', content: 'stop' });
  });
});
