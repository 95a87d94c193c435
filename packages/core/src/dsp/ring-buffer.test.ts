import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FloatRingBuffer } from './ring-buffer';

type Op = { kind: 'write'; length: number } | { kind: 'read'; length: number };

describe('FloatRingBuffer', () => {
  it('never reorders or loses samples across any mix of writes, reads and growth', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), length: fc.integer({ min: 0, max: 300 }) }),
      fc.record({ kind: fc.constant('read' as const), length: fc.integer({ min: 0, max: 300 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(op, { maxLength: 60 }), (capacity, ops: Op[]) => {
        const ring = new FloatRingBuffer(capacity);
        let next = 0;
        const read: number[] = [];
        for (const { kind, length } of ops) {
          if (kind === 'write') {
            ring.write(Float32Array.from({ length }, () => next++));
          } else {
            const target = new Float32Array(length);
            const n = ring.read(target);
            read.push(...target.subarray(0, n));
          }
        }
        const rest = new Float32Array(ring.size);
        ring.read(rest);
        read.push(...rest);
        expect(read).toEqual(Array.from({ length: next }, (_, i) => i));
      }),
      { numRuns: 200 },
    );
  });

  it('reads no more than it holds and reports what it moved', () => {
    const ring = new FloatRingBuffer(8);
    ring.write(Float32Array.of(1, 2, 3));
    const target = new Float32Array(5);
    expect(ring.read(target, 1)).toBe(3);
    expect(Array.from(target)).toEqual([0, 1, 2, 3, 0]);
    expect(ring.size).toBe(0);
  });

  it('forgets everything on clear', () => {
    const ring = new FloatRingBuffer(4);
    ring.write(Float32Array.of(1, 2, 3, 4, 5));
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.read(new Float32Array(4))).toBe(0);
  });
});
