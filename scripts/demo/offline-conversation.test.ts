import { liveDecoderCount } from '@voxduplex/stt-pocketsphinx';
import { describe, expect, it, vi } from 'vitest';
import { latencyTable } from './latency-table';
import { runOfflineConversation } from './offline-conversation';

vi.setConfig({ testTimeout: 120_000 });

describe('npm run demo (the offline conversation)', () => {
  it('greets, gets talked over mid-story, answers the new question, and reports every turn', async () => {
    const lines: string[] = [];
    const { turns, events } = await runOfflineConversation({ onLine: ({ text }) => lines.push(text) });

    const userTurns = events.flatMap((e) => (e.type === 'user-turn' ? [e.text] : []));
    expect(userTurns).toHaveLength(3);
    expect(userTurns[1]).toContain('story');
    expect(userTurns[2]).toContain('time');
    const ends = events.flatMap((e) => (e.type === 'speech-end' ? [e] : []));
    expect(ends.map((e) => e.interrupted)).toEqual([false, true, false]);
    expect(ends[1]!.text.startsWith(ends[1]!.heardText)).toBe(true);
    expect(lines).toContain('control  interrupt (audio_activity)');
    expect(lines.some((line) => line.startsWith('heard    ') && line.endsWith('[interrupted]'))).toBe(true);

    expect(turns).toHaveLength(3);
    expect(turns.every((t) => typeof t.metrics.voiceToVoiceMs === 'number')).toBe(true);
    expect(latencyTable(turns)).toContain('(cut)');
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'demo finished' });
    await vi.waitFor(() => expect(liveDecoderCount()).toBe(0), { timeout: 20_000 });
  });
});
