import { describe, expect, test } from 'vitest';
import { durationMs, eventsFromResponse } from './responses';

const shift = (ms: number) => ms + 1000;
const d = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

describe('eventsFromResponse', () => {
  test('reads durations with string or number seconds', () => {
    expect(durationMs({ seconds: '2', nanos: 500_000_000 })).toBe(2500);
    expect(durationMs({ seconds: 1, nanos: 0 })).toBe(1000);
    expect(durationMs(null)).toBeUndefined();
  });

  test('joins a stable and an unstable interim result into one interim', () => {
    const events = eventsFromResponse(
      {
        results: [
          { alternatives: [{ transcript: 'hello' }], isFinal: false, stability: 0.9, resultEndTime: d(800) },
          { alternatives: [{ transcript: ' world' }], isFinal: false, stability: 0.1, resultEndTime: d(900) },
        ],
        speechEventType: 'SPEECH_EVENT_UNSPECIFIED',
      },
      shift,
    );
    expect(events).toEqual([
      { type: 'interim', transcript: { text: 'hello world', isFinal: false, stability: 0.9, endMs: 1900 } },
    ]);
  });

  test('maps a final with word times, confidence and language onto the session timeline', () => {
    const [event] = eventsFromResponse(
      {
        results: [
          {
            alternatives: [{ transcript: ' Hi there', confidence: 0.87, words: [{ startTime: d(300) }] }],
            isFinal: true,
            resultEndTime: d(1200),
            languageCode: 'en-us',
          },
        ],
      },
      shift,
    );
    expect(event).toEqual({
      type: 'final',
      transcript: {
        text: 'Hi there',
        isFinal: true,
        confidence: 0.87,
        startMs: 1300,
        endMs: 2200,
        language: 'en-us',
      },
    });
  });

  test('turns voice activity events into speech-start and speech-end, and ignores the rest', () => {
    expect(
      eventsFromResponse(
        { results: [], speechEventType: 'SPEECH_ACTIVITY_BEGIN', speechEventTime: d(40) },
        shift,
      ),
    ).toEqual([{ type: 'speech-start', atMs: 1040 }]);
    expect(
      eventsFromResponse(
        { results: [], speechEventType: 'SPEECH_ACTIVITY_END', speechEventTime: d(90) },
        shift,
      ),
    ).toEqual([{ type: 'speech-end', atMs: 1090 }]);
    expect(eventsFromResponse({ results: [], speechEventType: 'SPEECH_ACTIVITY_TIMEOUT' }, shift)).toEqual(
      [],
    );
    expect(
      eventsFromResponse({ results: [{ alternatives: [{ transcript: '' }], isFinal: false }] }, shift),
    ).toEqual([]);
  });
});
