import { describe, expect, it } from 'vitest';
import { UserUtterance } from './user-utterance';

describe('UserUtterance', () => {
  const at = (start = 0) => {
    let now = start;
    const utterance = new UserUtterance(() => now);
    return { utterance, advance: (ms: number) => (now += ms) };
  };

  it('measures the voice on the audio timeline when positions are given, else on the clock', () => {
    const { utterance, advance } = at();
    utterance.started(1000);
    advance(900); // the detector's end comes long after the voice stopped
    utterance.ended(1300);
    expect(utterance.wasShorterThan(600)).toBe(true);
    utterance.started(undefined);
    advance(700);
    utterance.ended(undefined);
    expect(utterance.wasShorterThan(600)).toBe(false);
  });

  it('keeps late words inside the window after a short pause, until the user goes on', () => {
    const { utterance, advance } = at();
    utterance.started(0);
    utterance.heard(1, false);
    utterance.paused(300);
    advance(800); // past the window on the clock
    utterance.heard(1, false); // the same word, late
    expect(utterance.isWithin(600)).toBe(true);
    utterance.heard(1, true); // the pause's final…
    utterance.heard(1, false); // …then words of a new part: the user went on
    expect(utterance.isWithin(600)).toBe(false);
  });

  it('takes more words than before the pause for a voice that went on', () => {
    const { utterance, advance } = at();
    utterance.started(0);
    utterance.heard(1, false);
    utterance.paused(200);
    advance(700);
    utterance.heard(3, false);
    expect(utterance.isWithin(600)).toBe(false);
    expect(utterance.isSpeaking).toBe(true);
  });

  it('ignores a pause outside an utterance, and one after the window', () => {
    const { utterance, advance } = at();
    utterance.paused(100);
    expect(utterance.hasPausedWithin(600)).toBe(false);
    utterance.started(0);
    utterance.paused(800);
    advance(900);
    expect(utterance.isWithin(600)).toBe(false);
  });
});
