import { describe, expect, it } from 'vitest';
import { JitterTarget } from './jitter-target';

const options = { baseFrames: 60, maxFrames: 200, stepFrames: 20, stableFrames: 1000 };

describe('JitterTarget', () => {
  it('grows after an underrun to 1.5 × the stall it failed to cover (at least a step), up to the bound', () => {
    const target = new JitterTarget(options);
    expect(target.frames).toBe(60);
    expect(target.grow(30)).toBe(true);
    // A stall of 60 + 30 frames: the target becomes 135.
    expect(target.frames).toBe(135);
    target.grow(500);
    expect(target.frames).toBe(200);
    expect(target.grow(10)).toBe(false);
    expect(target.frames).toBe(200);
  });

  it('shrinks one step per stable stretch, never below the base, and an underrun restarts the count', () => {
    const target = new JitterTarget(options);
    target.grow(0); // 90
    expect(target.frames).toBe(90);
    expect(target.played(999)).toBe(false);
    target.grow(0); // 135, and the stable count starts over
    expect(target.played(999)).toBe(false);
    expect(target.played(1)).toBe(true);
    expect(target.frames).toBe(115);
    for (let i = 0; i < 10; i++) target.played(1000);
    expect(target.frames).toBe(60);
    expect(target.played(5000)).toBe(false);
  });

  it('stays fixed when the bound is the base', () => {
    const target = new JitterTarget({ ...options, maxFrames: 60 });
    expect(target.grow(100)).toBe(false);
    expect(target.frames).toBe(60);
  });
});
