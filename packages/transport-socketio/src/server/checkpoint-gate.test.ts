import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckpointGate } from './checkpoint-gate';

/** A write the test settles by hand. */
function pendingWrite() {
  let settle!: () => void;
  let fail!: (error: Error) => void;
  const written = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  return { written, settle, fail };
}

let delivered: string[];
let gate: CheckpointGate<string>;
beforeEach(() => {
  vi.useFakeTimers();
  delivered = [];
  gate = new CheckpointGate(1000, (item) => delivered.push(item));
});
afterEach(() => {
  gate.clear();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

describe('CheckpointGate', () => {
  it('delivers at once while no checkpoint is being written', () => {
    gate.send('a');
    gate.send('b');
    expect(delivered).toEqual(['a', 'b']);
    expect(gate.isHolding).toBe(false);
  });

  it('holds what is sent after a checkpoint until the write is stored, then delivers it in order', async () => {
    const write = pendingWrite();
    gate.send('a');
    gate.holdUntil(write.written);
    gate.send('speech-end');
    gate.send('state');
    await vi.advanceTimersByTimeAsync(999);
    expect(delivered).toEqual(['a']);
    write.settle();
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toEqual(['a', 'speech-end', 'state']);
    gate.send('next');
    expect(delivered.at(-1)).toBe('next');
  });

  it('a write that hangs holds the client for the timeout, then lets everything go', async () => {
    gate.holdUntil(pendingWrite().written);
    gate.send('speech-end');
    await vi.advanceTimersByTimeAsync(999);
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(delivered).toEqual(['speech-end']);
    expect(gate.isHolding).toBe(false);
  });

  it('a failed write opens the gate as a stored one does', async () => {
    const write = pendingWrite();
    gate.holdUntil(write.written);
    gate.send('speech-end');
    write.fail(new Error('store down'));
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toEqual(['speech-end']);
  });

  it('two checkpoints in a row: what came between them goes when the first is stored', async () => {
    const first = pendingWrite();
    const second = pendingWrite();
    gate.holdUntil(first.written);
    gate.send('end 1');
    gate.holdUntil(second.written);
    gate.send('end 2');
    second.settle();
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toEqual([]);
    first.settle();
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toEqual(['end 1', 'end 2']);
  });

  it('release() delivers what waits without the store; clear() drops it', async () => {
    gate.holdUntil(pendingWrite().written);
    gate.send('speech-end');
    gate.release();
    expect(delivered).toEqual(['speech-end']);
    gate.holdUntil(pendingWrite().written);
    gate.send('lost');
    gate.clear();
    await vi.advanceTimersByTimeAsync(2000);
    expect(delivered).toEqual(['speech-end']);
  });
});
