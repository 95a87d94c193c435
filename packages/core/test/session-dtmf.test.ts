import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DtmfDigit } from '../src/frames/dtmf';
import { defineTool } from '../src/session/tools';
import type { LlmScriptStep } from '../src/testing/fake-llm';
import { type VirtualConversation, virtualConversation } from '../src/testing/virtual-conversation';

type Harness = VirtualConversation;

describe('DTMF keys', () => {
  it('reports each key as a dtmf event without interrupting the agent or starting a turn', () => {
    const c = virtualConversation({ utterances: [{ text: 'hello there', startMs: 500 }] });
    let agentAtPress = '';
    c.at(2500, () => {
      agentAtPress = c.session.state.agent;
      c.session.pushDtmf('5');
    });
    c.at(2600, () => c.session.pushDtmf('#'));
    c.run();
    expect(agentAtPress).toBe('speaking');
    expect(c.ofType('dtmf').map((e) => e.digit)).toEqual(['5', '#']);
    expect(c.ofType('user-turn')).toHaveLength(1);
    expect(c.ofType('speech-end').every((e) => !e.interrupted)).toBe(true);
  });

  it('drops anything but one keypad digit with a protocol error, and nothing once closed', () => {
    const c = virtualConversation();
    c.at(100, () => c.session.pushDtmf('12' as DtmfDigit));
    c.at(200, () => c.session.pushDtmf(7 as unknown as DtmfDigit));
    c.at(300, () => c.session.close());
    c.at(400, () => c.session.pushDtmf('1'));
    c.run();
    expect(c.ofType('dtmf')).toEqual([]);
    expect(c.ofType('error').map((e) => [e.error.code, e.error.source])).toEqual([
      ['protocol_invalid', 'session:dtmf'],
      ['protocol_invalid', 'session:dtmf'],
    ]);
  });

  it('lets a tool ask for a key and answer with the one the caller pressed', async () => {
    let c!: Harness;
    const askDepartment = defineTool({
      name: 'ask_department',
      description: 'Waits for the caller to press 1 (sales) or 2 (support)',
      parameters: z.object({}),
      execute: async (_, { dtmf$ }) => ((await firstValueFrom(dtmf$)) === '1' ? 'sales' : 'support'),
    });
    const reply = (_: unknown, call: number): LlmScriptStep[] =>
      call === 0
        ? [
            { text: 'Press 1 for sales, 2 for support.' },
            { toolCall: { id: 'k', name: 'ask_department', arguments: {} } },
          ]
        : [{ text: 'Connecting you.' }];
    c = virtualConversation({
      utterances: [{ text: 'i need help', startMs: 500 }],
      llm: { reply },
      config: { tools: [askDepartment] },
    });
    c.at(4000, () => c.session.pushDtmf('2'));
    await c.runAsync();
    expect(c.ofType('tool-result')).toMatchObject([{ toolCallId: 'k', result: 'support', isError: false }]);
    expect(c.ofType('tool-result')[0]!.at).toBe(4000);
  });
});
