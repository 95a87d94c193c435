import type { TurnMetrics } from '@voxduplex/core';

const COLUMNS: [keyof TurnMetrics, string][] = [
  ['endOfUtteranceDelayMs', 'end of utterance'],
  ['sttFinalDelayMs', 'STT final'],
  ['llmTtftMs', 'LLM first token'],
  ['textAggregationMs', 'first sentence'],
  ['ttsTtfbMs', 'TTS first byte'],
  ['serverTtfaMs', 'server first audio'],
  ['voiceToVoiceMs', 'voice-to-voice'],
  ['interruptPauseMs', 'barge-in pause'],
  ['interruptCommitMs', 'barge-in commit'],
];

/** The per-turn latency breakdown as a plain-text table (ms), one row per turn. */
export function latencyTable(turns: readonly { label: string; metrics: TurnMetrics }[]): string {
  const header = ['turn', ...COLUMNS.map(([, title]) => title)];
  const rows = turns.map(({ label, metrics }) => [
    label + (metrics.interrupted ? ' (cut)' : ''),
    ...COLUMNS.map(([key]) => {
      const value = metrics[key];
      return typeof value === 'number' ? value.toFixed(0) : '–';
    }),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
