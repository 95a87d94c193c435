import type { AudioFrame } from '@voxduplex/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecognizerTimeline } from './timeline';

const frame = (startMs: number, ms = 20): AudioFrame => ({
  samples: new Int16Array((ms / 1000) * 16000),
  sampleRate: 16000,
  channels: 1,
  startMs,
});

describe('RecognizerTimeline', () => {
  it('maps recognizer positions onto session positions across gaps', () => {
    const timeline = new RecognizerTimeline();
    for (const start of [1000, 1020, 1040, 5000, 5020]) timeline.append(frame(start));
    expect(timeline.pushedMs).toBe(100);
    expect(timeline.toSessionMs(0)).toBe(1000);
    expect(timeline.toSessionMs(50)).toBe(1050);
    expect(timeline.toSessionMs(60)).toBe(5000);
    expect(timeline.toSessionMs(90)).toBe(5030);
  });

  it('returns the session start of any pushed frame', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 40 }), (gaps) => {
        const timeline = new RecognizerTimeline();
        const starts: number[] = [];
        let at = 0;
        for (const gap of gaps) {
          at += gap;
          starts.push(at);
          timeline.append(frame(at));
          at += 20;
        }
        starts.forEach((start, i) => {
          expect(timeline.toSessionMs(i * 20)).toBe(start);
        });
      }),
    );
  });
});
