import { describe, expect, it } from 'vitest';
import { waterfallSteps } from '../src/waterfall';

const base = { turnId: 't1', speechId: 's1', preemptiveWasted: 0, audioMs: 2000, interrupted: false };

describe('waterfallSteps', () => {
  it('lays the moments of a turn on one axis from the end of speech, each step starting where the last ended', () => {
    const steps = waterfallSteps({
      ...base,
      sttFinalDelayMs: 120,
      endOfUtteranceDelayMs: 320,
      llmTtftMs: 150,
      textAggregationMs: 40,
      ttsTtfbMs: 90,
      serverTtfaMs: 610,
      voiceToVoiceMs: 700.4,
    });
    expect(steps).toEqual([
      { label: 'STT final', startMs: 0, endMs: 120 },
      { label: 'end of turn', startMs: 120, endMs: 320 },
      { label: 'first token', startMs: 320, endMs: 470 },
      { label: 'first sentence', startMs: 470, endMs: 510 },
      { label: 'first audio', startMs: 510, endMs: 610 },
      { label: 'first sample played', startMs: 610, endMs: 700 },
    ]);
  });

  it('leaves out moments that did not happen (a reply interrupted before any audio)', () => {
    expect(
      waterfallSteps({ ...base, interrupted: true, sttFinalDelayMs: 80, endOfUtteranceDelayMs: 200 }),
    ).toEqual([
      { label: 'STT final', startMs: 0, endMs: 80 },
      { label: 'end of turn', startMs: 80, endMs: 200 },
    ]);
  });
});
