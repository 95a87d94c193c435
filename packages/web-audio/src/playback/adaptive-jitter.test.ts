import { describe, expect, it } from 'vitest';
import { PlayerCore } from './player-core';
import type { PlayerEvent } from './player-events';

const RATE = 48_000;
const QUANTUM = 128;
const CHUNK_MS = 20;
const CHUNK = (RATE * CHUNK_MS) / 1000;

interface Delivery {
  /** Bound of the jitter buffer; 60 makes it fixed at 60 ms. Default: the player's. */
  readonly maxJitterBufferMs?: number;
  readonly speeches: number;
  readonly chunksPerSpeech: number;
  /** How late chunk `seq` of speech `speech` comes, ms (the chunks behind it wait for it). */
  readonly lateMs: (speech: number, seq: number) => number;
}

/**
 * Plays speeches one after another (500 ms apart), each streamed in 20 ms chunks in simulated
 * real time: chunk n is due n × 20 ms after its speech began, plus `lateMs`. Renders quantum by
 * quantum and returns what a listener would notice: silent breaks inside speeches, samples heard.
 */
function play(delivery: Delivery) {
  const events: PlayerEvent[] = [];
  const player = new PlayerCore(
    {
      sampleRate: RATE,
      jitterBufferMs: 60,
      ...(delivery.maxJitterBufferMs ? { maxJitterBufferMs: delivery.maxJitterBufferMs } : {}),
    },
    (event) => events.push(event),
  );
  const out = new Float32Array(QUANTUM);
  let frame = 0;
  let gaps = 0;
  let heard = 0;
  for (let speech = 0; speech < delivery.speeches; speech++) {
    const speechId = `speech-${speech}`;
    const startFrame = frame;
    const arrivals: number[] = [];
    let due = 0;
    for (let seq = 0; seq < delivery.chunksPerSpeech; seq++) {
      due = Math.max(due, seq * CHUNK_MS + delivery.lateMs(speech, seq));
      arrivals.push(startFrame + Math.round((due / 1000) * RATE));
    }
    const output: number[] = [];
    let next = 0;
    while (!events.some((e) => e.type === 'finished' && e.speechId === speechId)) {
      for (; next < arrivals.length && arrivals[next]! <= frame; next++) {
        const samples = new Float32Array(CHUNK).fill(0.5);
        player.enqueue({ speechId, seq: next, sampleRate: RATE, samples });
        if (next === arrivals.length - 1) player.end(speechId);
      }
      player.render(out, frame);
      output.push(...out);
      frame += QUANTUM;
    }
    const first = output.findIndex((s) => s !== 0);
    let last = output.length - 1;
    while (last > 0 && output[last] === 0) last--;
    for (let i = first + 1; i <= last; i++) if (output[i] === 0 && output[i - 1] !== 0) gaps++;
    heard += output.filter((s) => s !== 0).length;
    for (const end = frame + RATE / 2; frame < end; frame += QUANTUM) player.render(out, frame);
  }
  return { events, gaps, heard, stats: player.stats };
}

// Ten 3 s replies over a link that, a second into each, holds one chunk back 90 ms (30 ms more
// than the 60 ms buffer hides).
const lateEachReply: Delivery = {
  speeches: 10,
  chunksPerSpeech: 150,
  lateMs: (_speech, seq) => (seq === 50 ? 90 : 0),
};

describe('adaptive jitter buffer', () => {
  it('has fewer gaps than a fixed buffer when delivery is late again and again', () => {
    const fixed = play({ ...lateEachReply, maxJitterBufferMs: 60 });
    const adaptive = play(lateEachReply);
    // The fixed buffer starts every reply with 60 ms in hand and runs dry in every one.
    expect(fixed.gaps).toBe(10);
    expect(fixed.stats.underruns).toBe(10);
    // The adaptive one remembers the lateness: one gap, then another only after it shrank back
    // over 20 s of steady playback.
    expect(adaptive.gaps).toBeLessThanOrEqual(3);
    expect(adaptive.gaps).toBe(adaptive.stats.underruns);
    expect(adaptive.gaps).toBeLessThan(fixed.gaps);
    // Nothing lost either way: every sample of every reply is heard.
    expect(adaptive.heard).toBe(10 * 150 * CHUNK);
    expect(fixed.heard).toBe(10 * 150 * CHUNK);
    // It reports each change and its current size.
    const changes = adaptive.events.filter((e) => e.type === 'jitter-buffer');
    expect(changes[0]).toEqual({ type: 'jitter-buffer', targetMs: expect.any(Number), reason: 'underrun' });
    expect(changes[0]!.type === 'jitter-buffer' && changes[0]!.targetMs).toBeGreaterThanOrEqual(90);
    expect(adaptive.stats.jitterBufferChanges).toBe(changes.length);
    expect(fixed.stats).toMatchObject({ jitterBufferMs: 60, jitterBufferChanges: 0 });
  });

  it('never grows past its bound, however late the audio', () => {
    const { stats, events } = play({
      speeches: 3,
      chunksPerSpeech: 150,
      lateMs: (_, seq) => (seq % 50 === 49 ? 400 : 0),
    });
    expect(stats.jitterBufferMs).toBe(200);
    const targets = events.flatMap((e) => (e.type === 'jitter-buffer' ? [e.targetMs] : []));
    expect(Math.max(...targets)).toBe(200);
  });

  it('shrinks back a step per 10 s of steady playback, to the base', () => {
    const { events, stats } = play({
      speeches: 22,
      chunksPerSpeech: 150,
      lateMs: (speech, seq) => (speech === 0 && seq === 50 ? 90 : 0),
    });
    expect(stats.underruns).toBe(1);
    // Grown to ≈ 166 ms (1.5 × the 60 ms buffer + 51 ms of silence), then down 20 ms per 10 s of
    // playback, to 60 after a minute.
    expect(events.flatMap((e) => (e.type === 'jitter-buffer' ? [e.reason] : []))).toEqual([
      'underrun',
      ...Array(6).fill('stable'),
    ]);
    expect(stats.jitterBufferMs).toBe(60);
  });

  it('keeps the interrupt fade as short with a grown buffer', () => {
    const events: PlayerEvent[] = [];
    const player = new PlayerCore({ sampleRate: RATE, jitterBufferMs: 60 }, (e) => events.push(e));
    const out = new Float32Array(QUANTUM);
    let frame = 0;
    const renderMs = (ms: number) => {
      for (const end = frame + (ms / 1000) * RATE; frame < end; frame += QUANTUM) player.render(out, frame);
    };
    player.enqueue({
      speechId: 's',
      seq: 0,
      sampleRate: RATE,
      samples: new Float32Array(RATE / 10).fill(0.5),
    });
    renderMs(200); // plays its 100 ms, then starves for 100 ms
    player.enqueue({ speechId: 's', seq: 1, sampleRate: RATE, samples: new Float32Array(RATE).fill(0.5) });
    renderMs(300);
    expect(player.stats.jitterBufferMs).toBeGreaterThan(60);
    const interruptAt = frame;
    player.interrupt('s');
    renderMs(20);
    const cut = events.find((e) => e.type === 'interrupted');
    expect(cut?.type === 'interrupted' && cut.silentFrame! - interruptAt).toBeLessThanOrEqual(
      (RATE * 5) / 1000,
    );
  });
});
