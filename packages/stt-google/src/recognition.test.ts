import { EventEmitter } from 'node:events';
import type { AudioFrame, SttEvent, VoxError } from '@voxduplex/core';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { resolveSttOptions } from './options';
import { Recognition, type RecognizeStream } from './recognition';

class FakeStream extends EventEmitter {
  readonly requests: unknown[] = [];
  isEnded = false;
  isCancelled = false;
  write(request: unknown): boolean {
    this.requests.push(request);
    return true;
  }
  end(): void {
    this.isEnded = true;
  }
  cancel(): void {
    this.isCancelled = true;
    this.emit('error', Object.assign(new Error('1 CANCELLED: Call cancelled'), { code: 1 }));
  }
  respond(response: object): void {
    this.emit('data', response);
  }
}

const d = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
const final = (text: string, endMs: number) => ({
  results: [{ alternatives: [{ transcript: text }], isFinal: true, resultEndTime: d(endMs) }],
});
const frame = (startMs: number, ms = 100): AudioFrame => ({
  samples: new Int16Array((ms * 16000) / 1000),
  sampleRate: 16000,
  channels: 1,
  startMs,
});

function setUp(options: Parameters<typeof resolveSttOptions>[0] = {}) {
  const streams: FakeStream[] = [];
  const events: SttEvent[] = [];
  const outcome: { error?: VoxError; isComplete: boolean } = { isComplete: false };
  const recognition = new Recognition({
    options: resolveSttOptions(options),
    streamingConfig: {},
    source: 'stt:google',
    openStream: () => {
      const stream = new FakeStream();
      streams.push(stream);
      return stream as unknown as RecognizeStream;
    },
    emit: (event) => events.push(event),
    fail: (error) => {
      outcome.error = error;
    },
    complete: () => {
      outcome.isComplete = true;
    },
  });
  return { recognition, streams, events, outcome };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('Recognition', () => {
  test('drops a final that repeats one already delivered, and speech events older than what was reported', () => {
    const { recognition, streams, events } = setUp();
    recognition.push(frame(0, 2000));
    const stream = streams[0]!;
    stream.respond({ speechEventType: 'SPEECH_ACTIVITY_BEGIN', speechEventTime: d(100) });
    stream.respond({ speechEventType: 'SPEECH_ACTIVITY_END', speechEventTime: d(900) });
    stream.respond(final('hello', 900));
    stream.respond({ speechEventType: 'SPEECH_ACTIVITY_BEGIN', speechEventTime: d(100) });
    stream.respond(final('hello', 900));
    stream.respond(final('hello again', 700));
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end', 'final']);
    recognition.dispose();
  });

  test('retries with exponential backoff capped at maxDelayMs, then fails with the mapped error', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { recognition, streams, outcome } = setUp({
      retry: { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 300 },
    });
    recognition.push(frame(0, 200));
    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const count = streams.length;
      streams
        .at(-1)!
        .emit('error', Object.assign(new Error('14 UNAVAILABLE'), { code: 14, details: 'down' }));
      let waited = 0;
      while (streams.length === count) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 300, 300]);
    streams.at(-1)!.emit('error', Object.assign(new Error('14 UNAVAILABLE'), { code: 14, details: 'down' }));
    expect(outcome.error).toMatchObject({ code: 'provider_unavailable', attempts: 5 });
    expect(outcome.error?.cause).toMatchObject({ message: 'Google stt:google: down' });
    expect(vi.getTimerCount()).toBe(0);
  });

  test('interims do not refill the retry budget; a final does', () => {
    const interim = {
      results: [{ alternatives: [{ transcript: 'hel' }], isFinal: false, resultEndTime: d(100) }],
    };
    const drop = () =>
      streams.at(-1)!.emit('error', Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }));
    const { recognition, streams, outcome } = setUp({
      chunkMs: 10,
      retry: { maxAttempts: 2, initialDelayMs: 10 },
    });
    recognition.push(frame(0, 200));
    // Each stream replays what the last final left: its own times start there (100, 150, 170 ms).
    for (const [i, endMs] of [100, 50, 20].entries()) {
      streams.at(-1)!.respond(final(`word ${i}`, endMs));
      drop();
      vi.advanceTimersByTime(20);
    }
    // Each drop followed a final: one failure counts (the last), however many came before.
    expect(streams).toHaveLength(4);
    expect(outcome.error).toBeUndefined();
    streams.at(-1)!.respond(interim);
    drop();
    vi.advanceTimersByTime(20);
    streams.at(-1)!.respond(interim);
    drop();
    expect(streams).toHaveLength(5);
    expect(outcome.error).toMatchObject({ code: 'provider_unavailable', attempts: 5 });
    expect(vi.getTimerCount()).toBe(0);
  });

  test('half-closes after idleTimeoutMs without audio, and opens a new stream for the next frame', () => {
    const { recognition, streams } = setUp({ idleTimeoutMs: 1000 });
    recognition.push(frame(0, 150));
    vi.advanceTimersByTime(999);
    expect(streams[0]!.isEnded).toBe(false);
    vi.advanceTimersByTime(1);
    expect(streams[0]!.isEnded).toBe(true);
    expect(streams[0]!.requests.at(-1)).toEqual({ audioContent: expect.any(Buffer) });
    streams[0]!.emit('end');
    expect(vi.getTimerCount()).toBe(0);
    recognition.push(frame(60_000));
    expect(streams).toHaveLength(2);
    recognition.dispose();
  });

  test('leaves no timer and no open stream after completing, failing or being disposed', () => {
    const done = setUp();
    done.recognition.push(frame(0, 300));
    done.recognition.endOfAudio();
    done.streams[0]!.emit('end');
    expect(done.outcome.isComplete).toBe(true);
    expect(vi.getTimerCount()).toBe(0);

    const failed = setUp();
    failed.recognition.push(frame(0, 300));
    failed.streams[0]!.emit('error', Object.assign(new Error('16'), { code: 16 }));
    expect(failed.outcome.error?.code).toBe('provider_auth');
    expect(vi.getTimerCount()).toBe(0);

    const disposed = setUp();
    disposed.recognition.push(frame(0, 300));
    disposed.recognition.dispose();
    expect(disposed.streams[0]!.isCancelled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a half-closed stream the service never finishes is cancelled, retried with its audio, and finally fails', () => {
    const { recognition, streams, outcome } = setUp({ retry: { maxAttempts: 1, initialDelayMs: 100 } });
    recognition.push(frame(0, 300));
    recognition.endOfAudio();
    expect(streams[0]!.isEnded).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(streams[0]!.isCancelled).toBe(true);
    vi.advanceTimersByTime(100);
    expect(streams).toHaveLength(2);
    const audio = streams[1]!.requests.slice(1) as { audioContent: Buffer }[];
    expect(audio.reduce((n, r) => n + r.audioContent.length, 0)).toBe(300 * 32);
    vi.advanceTimersByTime(10_000);
    expect(outcome.error).toMatchObject({ code: 'provider_unavailable', retryable: true, attempts: 2 });
    expect(outcome.error?.cause).toMatchObject({ code: 'provider_timeout' });
    expect(vi.getTimerCount()).toBe(0);
  });
});
