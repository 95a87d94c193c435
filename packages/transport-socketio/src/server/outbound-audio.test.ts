import { describe, expect, it } from 'vitest';
import { OutboundAudioQueue, type OutboundChunk } from './outbound-audio';

type Chunk = OutboundChunk & { seq: number };

function setup(windowMs = 200, maxQueueMs = 300) {
  const sent: Chunk[] = [];
  const acks: (() => void)[] = [];
  const dropped: Chunk[] = [];
  const queue = new OutboundAudioQueue<Chunk>(
    { windowMs, maxQueueMs },
    (chunk, onAck) => {
      sent.push(chunk);
      acks.push(onAck);
    },
    (chunk) => dropped.push(chunk),
  );
  const chunk = (speechId: string, seq: number): Chunk => ({ speechId, seq, durationMs: 100 });
  return { queue, sent, acks, dropped, chunk };
}

describe('OutboundAudioQueue', () => {
  it('sends within the window and holds the rest until the client acks', () => {
    const { queue, sent, acks, chunk } = setup();
    for (let seq = 0; seq < 4; seq++) queue.push(chunk('a', seq));
    expect(sent.map((c) => c.seq)).toEqual([0, 1]);
    expect(queue.queuedMs).toBe(200);
    acks[0]!();
    expect(sent.map((c) => c.seq)).toEqual([0, 1, 2]);
    acks[0]!(); // a duplicate ack changes nothing
    expect(sent.map((c) => c.seq)).toEqual([0, 1, 2]);
  });

  it('bounds a client that never acks: the rest of the speech is dropped and counted', () => {
    const { queue, sent, dropped, chunk } = setup();
    for (let seq = 0; seq < 10; seq++) queue.push(chunk('a', seq));
    expect(sent.map((c) => c.seq)).toEqual([0, 1]);
    expect(queue.queuedMs).toBe(300);
    // Chunks 2–4 fill the queue; from chunk 5 on the speech is cut.
    expect(dropped.map((c) => c.seq)).toEqual([5, 6, 7, 8, 9]);
  });

  it('sends what was queued before the cut, then a later speech, never a hole', () => {
    const { queue, sent, acks, chunk } = setup(100, 100);
    for (let seq = 0; seq < 4; seq++) queue.push(chunk('a', seq));
    acks[0]!();
    acks[1]!();
    queue.push(chunk('a', 4));
    queue.push(chunk('b', 0));
    expect(sent.map((c) => `${c.speechId}${c.seq}`)).toEqual(['a0', 'a1', 'b0']);
  });

  it('purges the queued chunks of an interrupted speech without counting drops', () => {
    const { queue, sent, acks, dropped, chunk } = setup(100, 1000);
    queue.push(chunk('a', 0));
    queue.push(chunk('a', 1));
    queue.push(chunk('b', 0));
    queue.purge('a');
    acks[0]!();
    expect(sent.map((c) => `${c.speechId}${c.seq}`)).toEqual(['a0', 'b0']);
    expect(dropped).toEqual([]);
  });

  it('ignores acks and pushes after close', () => {
    const { queue, sent, acks, chunk } = setup(100, 1000);
    queue.push(chunk('a', 0));
    queue.push(chunk('a', 1));
    queue.close();
    acks[0]!();
    expect(queue.push(chunk('a', 2))).toBe('dropped');
    expect(sent).toHaveLength(1);
  });
});
