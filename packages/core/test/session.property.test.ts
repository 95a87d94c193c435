import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderUnavailableError } from '../src/errors/index';
import { AGENT_TRANSITIONS } from '../src/session/state-machine';
import { defineTool } from '../src/session/tools';
import { findHistoryProblems } from '../src/session/turn-log';
import type { LlmScriptStep } from '../src/testing/fake-llm';
import { type VirtualConversation, virtualConversation } from '../src/testing/virtual-conversation';

const words = ['what', 'is', 'the', 'weather', 'stop', 'wait', 'yeah', 'tell', 'me', 'story', 'okay', 'no'];

const utteranceArb = fc.record({
  gapMs: fc.integer({ min: 0, max: 3000 }),
  text: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
});

const replyArb = fc.oneof(
  fc.constant<LlmScriptStep[]>([
    { text: 'Sure. Here is a fairly long answer that keeps going for a while.' },
  ]),
  fc.constant<LlmScriptStep[]>([{ error: new ProviderUnavailableError('down') }]),
  fc.constant<LlmScriptStep[]>([
    { text: 'Starting to answer,' },
    { error: new ProviderUnavailableError('dropped') },
  ]),
  fc.constant<LlmScriptStep[]>([
    { text: 'Let me check.' },
    { toolCall: { name: 'slow_lookup', arguments: { q: 'x' } } },
  ]),
  fc.constant<LlmScriptStep[]>([
    { toolCall: { name: 'failing_tool', arguments: {} } },
    { toolCall: { name: 'slow_lookup', arguments: { q: 'y' } } },
  ]),
  fc.constant<LlmScriptStep[]>([{ toolCall: { name: 'slow_lookup', arguments: { wrong: 1 } } }]),
);

const actionArb = fc.record({
  atMs: fc.integer({ min: 0, max: 14_000 }),
  kind: fc.constantFrom(
    'interrupt',
    'ack',
    'finished',
    'text',
    'say',
    'say-locked',
    'toggle',
    'suspend',
    'tts-fail',
    'pause',
  ),
  value: fc.integer({ min: 0, max: 5000 }),
});

describe('session properties', () => {
  it('for any interleaving: no audio after its interrupt, only legal transitions, back to listening, valid history, nothing left open after close', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(utteranceArb, { maxLength: 5 }),
        fc.array(replyArb, { minLength: 1, maxLength: 6 }),
        fc.array(actionArb, { maxLength: 8 }),
        fc.record({
          trigger: fc.constantFrom('audio-activity', 'transcript'),
          preemptive: fc.boolean(),
          withVad: fc.boolean(),
        }),
        async (utterancePlan, replies, actions, options) => {
          let at = 300;
          const utterances = utterancePlan.map(({ gapMs, text }) => {
            const startMs = at + gapMs;
            at = startMs + text.split(' ').length * 300;
            return { text, startMs };
          });
          let failTts = false;
          let c: VirtualConversation;
          const tools = [
            defineTool({
              name: 'slow_lookup',
              description: 'slow',
              parameters: z.object({ q: z.string() }),
              execute: ({ q }, { signal }) => c.later(1500, `found ${q}`, signal),
            }),
            defineTool({
              name: 'failing_tool',
              description: 'fails',
              parameters: z.object({}),
              execute: () => Promise.reject(new Error('tool broke')),
            }),
          ];
          c = virtualConversation({
            utterances,
            withVad: options.withVad,
            micMs: 16_000,
            llm: { reply: (_, call) => (call < replies.length ? replies[call]! : 'Fine.') },
            tts: {
              failWith: (text) =>
                failTts && text.length > 20 ? new ProviderUnavailableError('tts down') : undefined,
            },
            config: {
              tools,
              interruption: { trigger: options.trigger },
              preemptiveGeneration: { enabled: options.preemptive },
            },
          });
          let currentSpeech = '';
          c.session.on('speech-start', ({ speechId }) => (currentSpeech = speechId));
          for (const action of actions) {
            c.at(action.atMs, () => {
              const { session } = c;
              switch (action.kind) {
                case 'interrupt':
                  return session.interrupt();
                case 'ack':
                  return session.playbackAck({ speechId: currentSpeech, playedMs: action.value });
                case 'finished':
                  return session.playbackFinished(currentSpeech);
                case 'text':
                  return session.sendText('typed question');
                case 'say':
                  return void session.say('A short announcement.');
                case 'say-locked':
                  return void session.say('A notice that cannot be interrupted.', {
                    allowInterruptions: false,
                  });
                case 'toggle':
                  return session.setInterruptionsEnabled(action.value % 2 === 0);
                case 'suspend':
                  session.suspend();
                  c.at(action.atMs + action.value, () => session.resume());
                  return;
                case 'tts-fail':
                  failTts = !failTts;
                  return;
                case 'pause': {
                  // A short pause in the voice: early replies may start on the words so far.
                  const atMs = Math.max(0, action.atMs - (action.value % 300));
                  c.stt.emit({ type: 'speech-pause', atMs });
                  c.vad?.emit({ type: 'speech-pause', atMs, probability: 0.1 });
                  return;
                }
              }
            });
          }
          await c.runAsync();

          // (a) nothing of an interrupted speech reaches the listener after its interrupt
          const interruptedAt = new Map<string, number>();
          c.events.forEach((event, index) => {
            if (event.type === 'control' && event.control.type === 'interrupt')
              interruptedAt.set(event.control.speechId, index);
            if (event.type === 'audio') {
              const cut = interruptedAt.get(event.audio.speechId);
              expect(cut === undefined || index < cut).toBe(true);
            }
          });
          // (b) only transitions the table allows
          for (const { previous, state } of c.ofType('state')) {
            const allowed = Object.values(AGENT_TRANSITIONS[previous.agent]) as string[];
            expect(previous.agent === state.agent || allowed.includes(state.agent)).toBe(true);
          }
          expect(c.ofType('error').filter((e) => e.error.code === 'illegal_transition')).toEqual([]);
          // never stuck; the history is one any provider accepts
          expect(c.session.state.agent).toBe('listening');
          expect(findHistoryProblems(c.session.history)).toEqual([]);
          expect(c.ofType('speech-start').length).toBe(c.ofType('speech-end').length);
          // (c) close leaves nothing open
          c.session.close();
          for (const fake of [c.stt, c.llm, c.tts, ...(c.vad ? [c.vad] : [])])
            expect(fake.streams.open).toBe(0);
          expect(c.scheduler.actions).toHaveLength(0);
        },
      ),
      { numRuns: 200 },
    );
  }, 180_000);
});
