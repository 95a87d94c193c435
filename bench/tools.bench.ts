// Tool-call round trip (issue 6): from the model's tool call to the follow-up LLM request, with
// an instant tool, minus the tool's own run time — what the session adds around a tool.
import {
  createVoiceSession,
  defineTool,
  type LlmEvent,
  type LlmProvider,
  type LlmRequest,
} from '@voxduplex/core';
import { FakeStt, FakeTts } from '@voxduplex/core/testing';
import { Observable } from 'rxjs';
import { z } from 'zod';
import { type BenchResult, quantileResults, report } from './harness';

const now = () => performance.now();

/** Calls the tool on every first round, answers in words on the second. */
class ToolCallingLlm implements LlmProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'tool-calling';
  toolCalledAt = 0;
  onFollowUp: (() => void) | undefined;
  generate(request: LlmRequest): Observable<LlmEvent> {
    return new Observable((subscriber) => {
      const isFollowUp = request.messages.at(-1)?.role === 'tool';
      if (isFollowUp) {
        this.onFollowUp?.();
        subscriber.next({ type: 'token', text: 'Done.' });
        subscriber.next({ type: 'done', finishReason: 'stop' });
      } else {
        this.toolCalledAt = now();
        subscriber.next({ type: 'tool-call', call: { id: 'c1', name: 'lookup', arguments: '{"q":"x"}' } });
        subscriber.next({ type: 'done', finishReason: 'tool-calls' });
      }
      subscriber.complete();
    });
  }
}

export default async function toolsBench(): Promise<readonly BenchResult[]> {
  let toolMs = 0;
  const lookup = defineTool({
    name: 'lookup',
    description: 'instant lookup',
    parameters: z.object({ q: z.string() }),
    execute: async ({ q }) => {
      const started = now();
      const answer = { q, found: true };
      toolMs = now() - started;
      return answer;
    },
  });
  const llm = new ToolCallingLlm();
  const overheads: number[] = [];
  // Batches of 100 turns per session keep the history (and request size) realistic.
  for (let batch = 0; batch < 30; batch++) {
    const session = createVoiceSession({ stt: new FakeStt(), llm, tts: new FakeTts(), tools: [lookup] });
    let lastSpeechId = '';
    session.on('speech-start', ({ speechId }) => (lastSpeechId = speechId));
    for (let turn = 0; turn < 100; turn++) {
      const followUp = new Promise<number>((resolve) => (llm.onFollowUp = () => resolve(now())));
      session.sendText('look it up');
      const followUpAt = await followUp;
      if (batch >= 3) overheads.push(followUpAt - llm.toolCalledAt - toolMs); // 300 turns of warm-up
      session.playbackFinished(lastSpeechId);
    }
    session.close();
  }
  const results = [
    ...quantileResults('llm.tool_roundtrip_overhead', overheads, 'ms', { p50: '< 1', p99: '< 1' }),
  ];
  report('tools', results);
  return results;
}
