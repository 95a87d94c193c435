import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { runFakeConversation } from './fake-conversation';
import { latencyTable } from './latency-table';

describe('the terminal demo conversation', () => {
  it('answers, gets interrupted mid-story, answers the interruption, and reports every turn', async () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    const done = runFakeConversation({ scheduler });
    scheduler.flush();
    const { turns, events } = await done;

    expect(events.filter((e) => e.type === 'user-turn').map((e) => e.text)).toEqual([
      'what is the weather like today',
      'tell me a story',
      'okay stop that is enough thanks',
    ]);
    const ends = events.flatMap((e) => (e.type === 'speech-end' ? [e] : []));
    expect(ends.map((e) => e.interrupted)).toEqual([false, true, false]);
    expect(ends[1]!.text.startsWith(ends[1]!.heardText)).toBe(true);
    expect(ends[1]!.heardText.length).toBeGreaterThan(10);
    expect(turns).toHaveLength(3);
    expect(turns.every((t) => typeof t.metrics.voiceToVoiceMs === 'number')).toBe(true);
    const table = latencyTable(turns);
    expect(table.split('\n')).toHaveLength(5);
    expect(table).toContain('tell me a story (cut)');
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'demo finished' });
  });
});
