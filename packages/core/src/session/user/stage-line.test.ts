import { map, scan } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { StageLine } from './stage-line';

describe('StageLine', () => {
  it('starts the stage on the first input and keeps its state across inputs', () => {
    const out: number[] = [];
    const line = new StageLine(
      scan((sum: number, n: number) => sum + n, 0),
      { next: (v) => out.push(v), failed: () => {} },
    );
    for (const n of [1, 2, 3]) line.push(n);
    expect(out).toEqual([1, 3, 6]);
  });

  it('after a failure, starts afresh on the next input, replaying what the stage must know first', () => {
    const out: string[] = [];
    const failures: unknown[] = [];
    const line = new StageLine(
      map((v: string) => {
        if (v === 'bad') throw new Error('boom');
        return v.toUpperCase();
      }),
      { next: (v) => out.push(v), failed: (error) => failures.push(error) },
      () => ['state'],
    );
    line.push('a');
    line.push('bad');
    line.push('b');
    expect(out).toEqual(['A', 'STATE', 'B']);
    expect(failures).toHaveLength(1);
  });

  it('delivers nothing after close', () => {
    const out: string[] = [];
    const line = new StageLine(
      map((v: string) => v),
      { next: (v) => out.push(v), failed: () => {} },
    );
    line.push('a');
    line.close();
    line.push('b');
    expect(out).toEqual(['a']);
  });
});
