import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from './reorder-buffer';

/** Frame n is one byte of value n; silence is a byte 0. */
function setUp(windowFrames = 3, maxGapFrames = 50) {
  const out: number[] = [];
  const buffer = new ReorderBuffer({
    windowFrames,
    maxGapFrames,
    silence: (like) => new Uint8Array(like.length),
    release: (payload) => out.push(payload[0]!),
  });
  const push = (...chunks: number[]) => {
    for (const chunk of chunks) buffer.push(chunk, Uint8Array.of(chunk));
  };
  return { buffer, out, push };
}

describe('ReorderBuffer', () => {
  it('passes frames that come in order at once', () => {
    const { out, push } = setUp();
    push(1, 2, 3);
    expect(out).toEqual([1, 2, 3]);
  });

  it('puts a frame that came after its successor back in place', () => {
    const { buffer, out, push } = setUp();
    push(1, 3, 2, 4);
    expect(out).toEqual([1, 2, 3, 4]);
    expect(buffer.stats).toEqual({ reordered: 1, late: 0, duplicates: 0, filled: 0 });
  });

  it('fills a frame that never comes with silence once the window is full, and drops it if it comes later', () => {
    const { buffer, out, push } = setUp(3);
    push(1, 3, 4, 5);
    expect(out).toEqual([1]); // 3, 4, 5 wait for 2
    push(6);
    expect(out).toEqual([1, 0, 3, 4, 5, 6]);
    push(2);
    expect(out).toEqual([1, 0, 3, 4, 5, 6]);
    expect(buffer.stats).toEqual({ reordered: 0, late: 1, duplicates: 0, filled: 1 });
  });

  it('drops duplicates, whether already played or still waiting', () => {
    const { buffer, out, push } = setUp();
    push(1, 1, 3, 3, 2);
    expect(out).toEqual([1, 2, 3]);
    expect(buffer.stats.duplicates).toBe(2);
  });

  it('takes a jump of the numbering for a renumbering, and never fills more silence than it received', () => {
    const jump = setUp(0, 5);
    jump.push(1, 1000, 1001);
    expect(jump.out).toEqual([1, 1000 & 0xff, 1001 & 0xff]);
    // Gaps of 4 (within maxGapFrames) after one frame each: filled only once 4 frames came.
    const gaps = setUp(0, 5);
    gaps.push(1, 6, 11, 16);
    expect(gaps.out).toEqual([1, 6, 11, 0, 0, 0, 0, 16]);
  });

  it('flushes what waits, gaps filled, when the stream ends', () => {
    const { buffer, out, push } = setUp();
    push(1, 3);
    buffer.flush();
    expect(out).toEqual([1, 0, 3]);
  });

  it('keeps every frame and the order when none is displaced by more than the window', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 60 }), (shifts) => {
        // Each frame is moved later by up to two places: a bounded shuffle.
        const order = shifts.map((shift, i) => ({
          chunk: i + 1,
          key: i + shift + 0.5 * (shift > 0 ? 1 : 0),
        }));
        order.sort((a, b) => a.key - b.key);
        const { buffer, out, push } = setUp(3);
        push(...order.map(({ chunk }) => chunk));
        buffer.flush();
        expect(out).toEqual(shifts.map((_, i) => (i + 1) & 0xff));
        expect(buffer.stats.filled + buffer.stats.late + buffer.stats.duplicates).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
