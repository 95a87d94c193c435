import type { VoiceClientSnapshot } from '@voxduplex/react';

/** The per-turn latency breakdown the server sends. */
export type TurnMetrics = NonNullable<VoiceClientSnapshot['lastMetrics']>;

/** One step of a turn's latency waterfall: from `startMs` to `endMs`, both after the user stopped speaking. */
export interface WaterfallStep {
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The moments of a turn on one axis, 0 = end of the user's speech: STT final, end of turn, first
 * LLM token, first sentence, first audio out of the server, first sample played in the browser.
 * Each step starts where the previous known one ended; moments that did not happen are left out.
 */
export function waterfallSteps(metrics: TurnMetrics): WaterfallStep[] {
  const endOfTurn = metrics.endOfUtteranceDelayMs;
  const firstToken =
    endOfTurn !== undefined && metrics.llmTtftMs !== undefined ? endOfTurn + metrics.llmTtftMs : undefined;
  const firstSentence =
    firstToken !== undefined && metrics.textAggregationMs !== undefined
      ? firstToken + metrics.textAggregationMs
      : undefined;
  const moments: [string, number | undefined][] = [
    ['STT final', metrics.sttFinalDelayMs],
    ['end of turn', endOfTurn],
    ['first token', firstToken],
    ['first sentence', firstSentence],
    ['first audio', metrics.serverTtfaMs],
    ['first sample played', metrics.voiceToVoiceMs],
  ];
  const steps: WaterfallStep[] = [];
  let previous = 0;
  for (const [label, at] of moments) {
    if (at === undefined) continue;
    const endMs = Math.round(at);
    steps.push({ label, startMs: Math.min(previous, endMs), endMs });
    previous = Math.max(previous, endMs);
  }
  return steps;
}
