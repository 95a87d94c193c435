import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AudioLedger } from './audio-ledger';

const RATE = 16000;
const bytesOf = (ms: number, fill = 1) => {
  const samples = new Int16Array((ms * RATE) / 1000).fill(fill);
  return new Uint8Array(samples.buffer);
};
const drain = (ledger: AudioLedger, max = 3200) => {
  const out: Buffer[] = [];
  for (let part = ledger.take(max); part; part = ledger.take(max)) out.push(part);
  return Buffer.concat(out);
};

describe('AudioLedger', () => {
  test('maps stream times back to session times across gaps between frames', () => {
    const ledger = new AudioLedger(RATE);
    ledger.startStream(10_000);
    ledger.append(1000, bytesOf(100));
    ledger.append(1100, bytesOf(100));
    ledger.append(5000, bytesOf(100)); // 3.8 s the microphone did not send
    expect(drain(ledger, 1000).length).toBe(3 * 3200);
    expect(ledger.toSessionMs(0)).toBe(1000);
    expect(ledger.toSessionMs(150)).toBe(1150);
    expect(ledger.toSessionMs(250)).toBe(5050);
    expect(ledger.streamMs).toBe(300);
  });

  test('replays what no final covers into the next stream, from the final on', () => {
    const ledger = new AudioLedger(RATE);
    ledger.startStream(10_000);
    ledger.append(0, bytesOf(500, 1));
    ledger.append(500, bytesOf(500, 2));
    drain(ledger);
    ledger.coverUntil(700);
    expect(ledger.heldMs).toBe(300);
    expect(ledger.startStream(10_000)).toBe(300);
    const replay = drain(ledger);
    expect(replay.length).toBe(300 * 32);
    expect(replay.readInt16LE(0)).toBe(2);
    expect(ledger.toSessionMs(0)).toBe(700);
  });

  test('keeps at most maxReplayMs of sent audio but never drops audio not sent yet', () => {
    const ledger = new AudioLedger(RATE);
    ledger.startStream(1000);
    ledger.append(0, bytesOf(3000));
    ledger.take(3200 * 20); // 2 s sent, 1 s not yet
    expect(ledger.startStream(500)).toBe(500);
    expect(ledger.heldMs).toBe(1500);
    expect(drain(ledger).length).toBe(1500 * 32);
    expect(ledger.toSessionMs(0)).toBe(1500);
  });

  test('forgets everything sent once the service processed it', () => {
    const ledger = new AudioLedger(RATE);
    ledger.startStream(1000);
    ledger.append(0, bytesOf(250));
    ledger.take(3200);
    ledger.dropSent();
    expect(ledger.heldMs).toBe(150);
    expect(ledger.unsentBytes).toBe(150 * 32);
  });

  test('copies appended audio, so callers may reuse their buffers', () => {
    const ledger = new AudioLedger(RATE);
    ledger.startStream(1000);
    const frame = bytesOf(10, 7);
    ledger.append(0, frame);
    frame.fill(0);
    expect(ledger.take(3200)?.readInt16LE(0)).toBe(7);
  });

  test('whatever the frames, requests and finals: bytes go out in order, once per stream, and times map back', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ ms: fc.integer({ min: 1, max: 120 }), gapMs: fc.integer({ min: 0, max: 50 }) }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.integer({ min: 2, max: 9000 }).map((n) => n * 2),
        fc.integer({ min: 0, max: 100 }),
        (frames, requestBytes, coverPercent) => {
          const ledger = new AudioLedger(RATE);
          ledger.startStream(1_000_000);
          let at = 0;
          const starts: number[] = [];
          frames.forEach((f, i) => {
            at += f.gapMs;
            starts.push(at);
            ledger.append(at, bytesOf(f.ms, i + 1));
            at += f.ms;
          });
          const sent = drain(ledger, requestBytes);
          const total = frames.reduce((sum, f) => sum + f.ms, 0);
          expect(sent.length).toBe(total * 32);
          // Every frame's first sample sits at its session time.
          let streamMs = 0;
          frames.forEach((f, i) => {
            expect(sent.readInt16LE(streamMs * 32)).toBe(i + 1);
            expect(ledger.toSessionMs(streamMs)).toBeCloseTo(starts[i]!, 6);
            streamMs += f.ms;
          });
          // Cover part of it: the next stream replays exactly the rest, starting at the cover point.
          const coverAt = (at * coverPercent) / 100;
          ledger.coverUntil(coverAt);
          const held = ledger.startStream(1_000_000);
          const replay = drain(ledger, requestBytes);
          expect(replay.length).toBe(Math.round(held * 32));
          if (replay.length > 0) expect(ledger.toSessionMs(0)).toBeGreaterThanOrEqual(coverAt - 1 / 16);
        },
      ),
      { numRuns: 200 },
    );
  });
});
