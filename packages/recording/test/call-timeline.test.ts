import { describe, expect, it } from 'vitest';
import type { CallTranscript } from '../src/index';
import { formatCallTimeline } from '../src/index';

const transcript: CallTranscript = {
  version: 1,
  sessionId: 'call-1',
  startedAt: '2026-12-06T07:00:00.000Z',
  sampleRate: 16000,
  channels: ['user', 'agent'],
  durationMs: 10_000,
  errors: [],
  endReason: 'closed',
  turns: [
    {
      turnId: 't1',
      atMs: 2400,
      userText: 'tell me a story',
      utterances: [{ text: 'tell me a story', startMs: 1000, endMs: 2000 }],
      toolCalls: [],
      speeches: [
        {
          speechId: 's1',
          startMs: 3000,
          endMs: 5000,
          text: 'Once upon a time there was a fox.',
          heardText: 'Once upon a time',
          playedMs: 2000,
          interrupted: true,
          controls: [
            { atMs: 4800, type: 'pause', source: 'audio_activity' },
            { atMs: 5400, type: 'interrupt', source: 'audio_activity' },
          ],
          words: [],
        },
      ],
      metrics: {
        turnId: 't1',
        speechId: 's1',
        llmTtftMs: 300,
        serverTtfaMs: 1000,
        preemptiveWasted: 0,
        audioMs: 4000,
        interrupted: true,
      },
    },
  ],
};

describe('formatCallTimeline', () => {
  it('shows who spoke when, what was heard of a cut reply, and the turn latency', () => {
    const text = formatCallTimeline(transcript, { width: 10 });
    expect(text.split('\n')).toEqual([
      'Call call-1 — 2026-12-06T07:00:00.000Z, 0:10.0 long, 1 turns',
      '',
      'user  │ ██       │',
      'agent │   ███    │',
      '',
      '0:01.0–0:02.0  user   tell me a story',
      '0:03.0–0:05.0  agent  Once upon a time there was a fox.',
      '               cut after 2.0 s at 0:05.4 (audio_activity); heard: Once upon a time',
      '               latency: LLM first token 300 ms · server first audio 1000 ms',
    ]);
  });
});
