import { describe, expect, it } from 'vitest';
import { FloorQueue } from './floor-queue';

describe('FloorQueue', () => {
  it('hands waiting speech out in arrival order', () => {
    const floor = new FloorQueue();
    floor.push({ kind: 'say', text: 'notice', speechId: 's1', options: {} });
    floor.push({ kind: 'user', text: 'what now' });
    expect([floor.shift()?.text, floor.shift()?.text, floor.shift()]).toEqual([
      'notice',
      'what now',
      undefined,
    ]);
  });

  it('when the user takes the floor, drops queued agent speech and returns the user turns that waited', () => {
    const floor = new FloorQueue();
    floor.push({ kind: 'user', text: 'hold on' });
    floor.push({ kind: 'say', text: 'stale', speechId: 's2', options: {} });
    floor.push({ kind: 'user', text: 'one more thing' });
    expect(floor.yieldToUser()).toEqual(['hold on', 'one more thing']);
    expect(floor.isEmpty).toBe(true);
  });
});
