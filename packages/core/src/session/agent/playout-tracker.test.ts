import { describe, expect, it } from 'vitest';
import { PlayoutTracker } from './playout-tracker';

describe('PlayoutTracker', () => {
  it('follows the clock from the first audio, never past what was sent', () => {
    const playout = new PlayoutTracker();
    playout.audioEmitted(1000, 0);
    expect(playout.playedMs(400)).toBe(400);
    expect(playout.playedMs(1500)).toBe(1000);
  });

  it('after the listener ran out of audio, goes on from where the new audio arrives', () => {
    const playout = new PlayoutTracker();
    playout.audioEmitted(1000, 0);
    // The next sentence arrives 500 ms after the first one finished playing.
    playout.audioEmitted(2000, 1500);
    expect(playout.playedMs(1500)).toBe(1000);
    expect(playout.playedMs(2000)).toBe(1500);
  });

  it('stands still while paused and takes the listener’s acks as they come', () => {
    const playout = new PlayoutTracker();
    playout.audioEmitted(3000, 0);
    playout.pause(500);
    expect(playout.playedMs(1500)).toBe(500);
    playout.resume(1500);
    playout.ack(450, 1600);
    expect(playout.playedMs(1700)).toBe(550);
  });
});
